// Making events and proposals the way people do: through the forms.
import type { FastifyInstance } from 'fastify'
import type { Browser, Page } from './browser.js'
import { person } from './communities.js'

export const campForm = {
  name: 'UKGovCamp 2027',
  slug: '',
  hashtag: '#ukgc27',
  communitySlug: '',
  venueName: 'The Assembly Hall (demo)',
  venueAddress: '1 Example Street\nLondon',
  mapUrl: '',
  timeZone: 'Europe/London',
  firstDay: '2027-01-16',
  lastDay: '2027-01-16',
  dayStarts: '09:00',
  dayEnds: '17:30',
  description: 'An unconference.',
}

/** A signed-in person whom the site admin has made an organiser. */
export async function organiser(app: FastifyInstance, admin: Browser, name: string): Promise<Browser> {
  const browser = await person(app, name)
  const row = await app.db.selectFrom('users').select('id').where('display_name', '=', name).executeTakeFirstOrThrow()
  await admin.submit('/admin/people', `/admin/people/${row.id}/role`, { role: 'organiser' })
  return browser
}

export async function createEvent(org: Browser, fields: Partial<typeof campForm> = {}): Promise<Page> {
  return org.submit('/events/new', '/events', { ...campForm, ...fields })
}

export async function setPhase(org: Browser, slug: string, ...phases: string[]): Promise<void> {
  for (const phase of phases) {
    await org.get(`/events/${slug}/manage`)
    const page = await org.post(`/events/${slug}/phase`, { phase })
    if (page.status !== 303) throw new Error(`phase ${phase}: ${page.status}`)
  }
}

export async function propose(who: Browser, slug: string, title: string, extra: Record<string, string> = {}): Promise<number> {
  const page = await who.submit(`/events/${slug}/proposals/new`, `/events/${slug}/proposals`, { title, description: '', format: 'discussion', ...extra })
  if (page.status !== 303) throw new Error(`propose: ${page.status}`)
  return Number(/\/proposals\/(\d+)$/.exec(page.location!)![1])
}
