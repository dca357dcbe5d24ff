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

export async function loadGrid(db: Kysely<Database>, event: EventRow, viewerId: number | null): Promise<GridData> {
  const [rooms, slots, entries, people, interest, starred] = await Promise.all([
    listRooms(db, event.id),
    listSlots(db, event.id),
    listEntries(db, event.id),
    listSessionPeople(db, event.id),
    interestCounts(db, event.id),
    viewerId === null ? Promise.resolve(new Set<number>()) : starredIn(db, event.id, viewerId),
  ])
  const conflicts = findConflicts(entries, new Map(rooms.map((r) => [r.id, r])), people, interest)
  return { rooms, slots, entries, people, interest, starred, conflicts }
}
