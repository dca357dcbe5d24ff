// Rooms, slots and the grid, set up the way organisers do it: through the forms.
import type { FastifyInstance } from 'fastify'
import type { Browser, Page } from './browser.js'
import { person } from './communities.js'
import { createEvent, organiser, setPhase } from './events.js'

export const roomForm = { name: 'Room 1', capacity: '30', location: '', accessibilityNotes: '' }

/** The day-plan form's defaults: a 30-minute opening, five 45-minute sessions, 15-minute breaks, lunch after the third. */
export const dayPlan = { planDay: '2027-01-16', start: '09:30', opening: '30', sessions: '5', length: '45', gap: '15', lunchAfter: '3', lunchLength: '60' }

export async function addRoom(org: Browser, slug: string, fields: Partial<typeof roomForm> & { features?: string[] } = {}): Promise<Page> {
  return org.submit(`/events/${slug}/rooms`, `/events/${slug}/rooms`, { ...roomForm, ...fields })
}

export async function layOutDay(org: Browser, slug: string, fields: Partial<typeof dayPlan> = {}): Promise<Page> {
  return org.submit(`/events/${slug}/slots`, `/events/${slug}/slots/generate`, { ...dayPlan, ...fields })
}

/** Room ids by name, and the session slots' ids in time order. */
export async function gridIds(app: FastifyInstance, slug: string): Promise<{ rooms: Record<string, number>; sessionSlots: number[]; allSlots: { id: number; kind: string }[] }> {
  const event = await app.db.selectFrom('events').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()
  const rooms = await app.db.selectFrom('rooms').select(['id', 'name']).where('event_id', '=', event.id).execute()
  const slots = await app.db.selectFrom('slots').select(['id', 'kind']).where('event_id', '=', event.id).orderBy('starts_at').execute()
  return { rooms: Object.fromEntries(rooms.map((r) => [r.name, r.id])), sessionSlots: slots.filter((s) => s.kind === 'session').map((s) => s.id), allSlots: slots }
}

/** Posts the grid editor's place form: what a "Put here" or "Swap" button sends. */
export async function place(org: Browser, slug: string, proposal: number, slot: number, room: number, expected: number | '' = ''): Promise<Page> {
  return org.submit(`/events/${slug}/schedule/edit`, `/events/${slug}/schedule/place`, { proposal: String(proposal), slot: String(slot), room: String(room), expected: String(expected) })
}

export async function liveEntries(app: FastifyInstance): Promise<{ proposal_id: number; slot_id: number; room_id: number }[]> {
  return app.db.selectFrom('schedule_entries').select(['proposal_id', 'slot_id', 'room_id']).where('cancelled_at', 'is', null).orderBy('proposal_id').execute()
}

/**
 * The start of most schedule stories: the site admin makes Olu an organiser, who creates the
 * camp (slug ukgc27, from campForm's hashtag), opens it for proposals, adds these rooms (20 seats each unless
 * given) and lays out a day. Returns Olu's browser and the slug.
 */
export async function campWithRooms(app: FastifyInstance, rooms: { name: string; capacity?: string }[] = [{ name: 'Hall' }]): Promise<{ org: Browser; slug: string }> {
  const admin = await person(app, 'Site Admin')
  const org = await organiser(app, admin, 'Olu Organiser')
  const slug = 'ukgc27'
  await createEvent(org)
  await setPhase(org, slug, 'proposals')
  for (const room of rooms) await addRoom(org, slug, { name: room.name, capacity: room.capacity ?? '20' })
  await layOutDay(org, slug)
  return { org, slug }
}
