// The demo event's published grid: twelve rooms from a 150-seat hall to a 15-seat snug,
// a day of five 45-minute sessions after a welcome, with breaks and lunch, and the 40
// proposals placed by interest (a simple spread, not the scheduler: the busiest sessions
// each get a big room, in different slots). Runs inside the demo's one transaction.
import type { Kysely } from 'kysely'
import type { Database, RoomRow } from '../../db/database.js'
import { interestCounts } from '../schedule/grid.queries.js'
import { insertRoom } from '../schedule/rooms.queries.js'
import { planDay, slotFields } from '../schedule/slot-times.js'
import { insertSlots, listSlots } from '../schedule/slots.queries.js'

const ROOMS: { name: string; capacity: number; features: string; location: string; notes?: string }[] = [
  { name: 'Great Hall', capacity: 150, features: 'projector step-free hearing-loop big-room', location: 'Ground floor', notes: 'Step-free from the main entrance; hearing loop in the first six rows.' },
  { name: 'Council Chamber', capacity: 100, features: 'projector step-free hearing-loop big-room', location: 'First floor, by the lifts' },
  { name: 'Library', capacity: 80, features: 'projector step-free quiet-room', location: 'Ground floor, east wing' },
  { name: 'Committee Room 1', capacity: 70, features: 'projector step-free whiteboard', location: 'First floor' },
  { name: 'Committee Room 2', capacity: 60, features: 'projector step-free whiteboard', location: 'First floor' },
  { name: 'Studio', capacity: 50, features: 'projector step-free', location: 'Basement, by the lift' },
  { name: 'Garden Room', capacity: 45, features: 'step-free whiteboard', location: 'Ground floor, rear' },
  { name: 'Board Room', capacity: 40, features: 'projector step-free hearing-loop', location: 'Second floor' },
  { name: 'Meeting Room A', capacity: 30, features: 'whiteboard', location: 'Second floor', notes: 'Up one flight of stairs; no lift to this half-floor.' },
  { name: 'Meeting Room B', capacity: 25, features: 'whiteboard', location: 'Second floor', notes: 'Up one flight of stairs; no lift to this half-floor.' },
  { name: 'Quiet Room', capacity: 20, features: 'step-free quiet-room', location: 'Ground floor' },
  { name: 'The Snug', capacity: 15, features: 'step-free', location: 'Ground floor, by the café' },
]

export async function seedDemoSchedule(db: Kysely<Database>, event: { id: number; day: string; timeZone: string }, now: Date): Promise<void> {
  const stamp = now.toISOString()
  const rooms: RoomRow[] = []
  for (const room of ROOMS) {
    rooms.push(await insertRoom(db, event.id, { name: room.name, capacity: room.capacity, location: room.location, features: room.features, accessibility_notes: room.notes ?? '' }, stamp))
  }
  const plan = planDay(
    { day: event.day, start: '09:30', opening: 30, sessions: 5, length: 45, gap: 15, lunchAfter: 3, lunchLength: 60 },
    { opening: 'Welcome and pitches', break: 'Break', lunch: 'Lunch' },
  )!
  await insertSlots(db, event.id, plan.map((slot) => slotFields(slot, event.timeZone)), stamp)
  const sessionSlots = (await listSlots(db, event.id)).filter((s) => s.kind === 'session')

  const interest = await interestCounts(db, event.id)
  const proposals = await db.selectFrom('proposals').select('id').where('event_id', '=', event.id).where('walk_up', '=', 0).execute()
  const ranked = proposals.map((p) => p.id).sort((a, b) => (interest.get(b) ?? 0) - (interest.get(a) ?? 0) || a - b)
  const entries = ranked.map((proposalId, rank) => ({
    event_id: event.id,
    proposal_id: proposalId,
    slot_id: sessionSlots[rank % sessionSlots.length]!.id,
    room_id: rooms[Math.floor(rank / sessionSlots.length)]!.id,
    cancelled_at: null,
    created_at: stamp,
    updated_at: stamp,
  }))
  await db.insertInto('schedule_entries').values(entries).execute()
  await db.updateTable('proposals').set({ state: 'scheduled', updated_at: stamp }).where('id', 'in', ranked).execute()
  await db.updateTable('events').set({ phase: 'published', schedule_published_at: stamp }).where('id', '=', event.id).execute()
}
