// Everything one grid page needs, read in a handful of queries for the whole event (never
// one per cell), in parallel.
import type { Kysely } from 'kysely'
import type { Database, EventRow, RoomRow, SlotRow } from '../../db/database.js'
import { findConflicts, type Conflict } from './conflicts.js'
import { interestCounts, listEntries, listSessionPeople, type GridEntry, type SessionPerson } from './grid.queries.js'
import { listRooms } from './rooms.queries.js'
import { listSlots } from './slots.queries.js'
import { starredIn } from './stars.queries.js'

export interface GridData {
  rooms: RoomRow[]
  slots: SlotRow[]
  entries: GridEntry[]
  people: SessionPerson[]
  interest: Map<number, number>
  starred: Set<number>
  conflicts: Map<number, Conflict[]>
}

/**
 * `withInterest: false` for the public grid, which shows neither interest nor conflicts:
 * counting interest reads every vote and star of the event (300,000 at a large camp).
 */
export async function loadGrid(db: Kysely<Database>, event: EventRow, viewerId: number | null, { withInterest = true } = {}): Promise<GridData> {
  const [rooms, slots, entries, people, interest, starred] = await Promise.all([
    listRooms(db, event.id),
    listSlots(db, event.id),
    listEntries(db, event.id),
    listSessionPeople(db, event.id),
    withInterest ? interestCounts(db, event.id) : new Map<number, number>(),
    viewerId === null ? Promise.resolve(new Set<number>()) : starredIn(db, event.id, viewerId),
  ])
  const conflicts = withInterest ? findConflicts(entries, new Map(rooms.map((r) => [r.id, r])), people, interest) : new Map<number, Conflict[]>()
  return { rooms, slots, entries, people, interest, starred, conflicts }
}
