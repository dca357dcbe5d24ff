// Making meetups through the form.
import type { Browser, Page } from './browser.js'

/** A local 'YYYY-MM-DDTHH:MM' some days from now (London time is fine for tests). */
export function daysFromNow(days: number, time = '12:30'): string {
  const date = new Date(Date.now() + days * 86400000).toISOString().slice(0, 10)
  return `${date}T${time}`
}

export const lunchForm = {
  title: 'Lunch on Saturday',
  slug: '',
  description: 'Iron out the details over lunch.',
  startsAt: daysFromNow(10, '12:30'),
  endsAt: daysFromNow(10, '13:30'),
  timeZone: 'Europe/London',
  venueName: 'The Café (demo)',
  venueAddress: '',
  mapUrl: '',
  onlineUrl: '',
  capacity: '3',
  maxPartySize: '3',
  rsvpOpensAt: '',
  rsvpClosesAt: '',
  communitySlug: '',
  eventSlug: '',
  attendeeVisibility: 'public',
}

export async function createMeetup(host: Browser, fields: Partial<typeof lunchForm> = {}): Promise<Page> {
  return host.submit('/meetups/new', '/meetups', { ...lunchForm, ...fields })
}

export async function rsvp(who: Browser, slug: string, partySize = 1): Promise<Page> {
  return who.submit(`/meetups/${slug}`, `/meetups/${slug}/rsvp`, { going: 'yes', partySize: String(partySize) })
}

export async function cancelRsvp(who: Browser, slug: string): Promise<Page> {
  return who.submit(`/meetups/${slug}`, `/meetups/${slug}/rsvp`, { going: 'no' })
}
