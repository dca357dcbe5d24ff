import type { MeetupRow } from '../../db/database.js'
import { formatInstant } from '../../i18n/format.js'
import type { Locale } from '../../i18n/i18n.js'
import { renderMarkdown } from '../../lib/markdown.js'
import { utcToZoned } from '../../lib/zoned-time.js'
import { mapLink } from '../events/events.view-models.js'

export function meetupPath(meetup: Pick<MeetupRow, 'slug'>, rest = ''): string {
  return `/meetups/${meetup.slug}${rest}`
}

export function seatsLeft(meetup: Pick<MeetupRow, 'capacity' | 'seats_taken'>): number | null {
  return meetup.capacity === null ? null : Math.max(0, meetup.capacity - meetup.seats_taken)
}

/** "Saturday, 16 January 2027, 12:30–13:30 Greenwich Mean Time": the zone named, as it could be misread. */
export function meetupWhen(locale: Locale, meetup: Pick<MeetupRow, 'starts_at' | 'ends_at' | 'time_zone'>): string {
  const sameDay = utcToZoned(new Date(meetup.starts_at), meetup.time_zone).date === utcToZoned(new Date(meetup.ends_at), meetup.time_zone).date
  const start = formatInstant(locale, meetup.starts_at, meetup.time_zone, 'dateTime')
  const end = formatInstant(locale, meetup.ends_at, meetup.time_zone, sameDay ? 'timeWithZone' : 'dateTimeWithZone')
  return `${start}–${end}`
}

/** When it starts, with the zone named: for lists. */
export function meetupStart(locale: Locale, meetup: Pick<MeetupRow, 'starts_at' | 'time_zone'>): string {
  return formatInstant(locale, meetup.starts_at, meetup.time_zone, 'dateTimeWithZone')
}

export function toMeetupView(locale: Locale, meetup: MeetupRow) {
  return {
    slug: meetup.slug,
    title: meetup.title,
    descriptionHtml: renderMarkdown(meetup.description),
    when: meetupWhen(locale, meetup),
    startIso: meetup.starts_at,
    timeZone: meetup.time_zone,
    venueName: meetup.venue_name,
    venueAddressLines: meetup.venue_address.split('\n').filter(Boolean),
    mapUrl: meetup.venue_name || meetup.venue_address ? mapLink(meetup) : null,
    onlineUrl: meetup.online_url,
    capacity: meetup.capacity,
    seatsLeft: seatsLeft(meetup),
    maxPartySize: meetup.max_party_size,
    cancelled: meetup.state === 'cancelled',
    visibility: meetup.attendee_visibility,
    rsvpOpensLabel: meetup.rsvp_opens_at ? formatInstant(locale, meetup.rsvp_opens_at, meetup.time_zone, 'dateTimeWithZone') : null,
    rsvpClosesLabel: meetup.rsvp_closes_at ? formatInstant(locale, meetup.rsvp_closes_at, meetup.time_zone, 'dateTimeWithZone') : null,
  }
}

/** An instant as the 'YYYY-MM-DDTHH:MM' a datetime-local field shows, in the meetup's zone. */
export function toLocalInput(instant: string | null, timeZone: string): string {
  if (!instant) return ''
  const { date, time } = utcToZoned(new Date(instant), timeZone)
  return `${date}T${time}`
}

export function meetupFormValues(meetup: MeetupRow, communitySlug: string | null, eventSlug: string | null): Record<string, string> {
  return {
    title: meetup.title,
    slug: meetup.slug,
    description: meetup.description,
    startsAt: toLocalInput(meetup.starts_at, meetup.time_zone),
    endsAt: toLocalInput(meetup.ends_at, meetup.time_zone),
    timeZone: meetup.time_zone,
    venueName: meetup.venue_name,
    venueAddress: meetup.venue_address,
    mapUrl: meetup.map_url ?? '',
    onlineUrl: meetup.online_url ?? '',
    capacity: meetup.capacity === null ? '' : String(meetup.capacity),
    maxPartySize: String(meetup.max_party_size),
    rsvpOpensAt: toLocalInput(meetup.rsvp_opens_at, meetup.time_zone),
    rsvpClosesAt: toLocalInput(meetup.rsvp_closes_at, meetup.time_zone),
    communitySlug: communitySlug ?? '',
    eventSlug: eventSlug ?? '',
    attendeeVisibility: meetup.attendee_visibility,
  }
}
