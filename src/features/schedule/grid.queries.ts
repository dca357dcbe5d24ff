// What sits in the grid: schedule entries, the people and interest behind each session, the
// changelog. Kysely only, db first; every list is one query for the whole event.
import { sql, type Kysely } from 'kysely'
import type { Database, ProposalState, ScheduleChangeRow, ScheduleEntryRow } from '../../db/database.js'
import type { Dialect } from '../../db/dialect.js'

export interface GridEntry {
  id: number
  proposal_id: number
  slot_id: number
  room_id: number
  pinned: number
  cancelled_at: string | null
  title: string
  state: ProposalState
  needs: string
}

/** Every entry of the event, cancelled ones too (the public grid shows them as cancelled). */
export async function listEntries(db: Kysely<Database>, eventId: number): Promise<GridEntry[]> {
  return db
    .selectFrom('schedule_entries as e')
    .innerJoin('proposals as p', 'p.id', 'e.proposal_id')
    .select(['e.id', 'e.proposal_id', 'e.slot_id', 'e.room_id', 'e.pinned', 'e.cancelled_at', 'p.title', 'p.state', 'p.needs'])
    .where('e.event_id', '=', eventId)
    // A hidden session leaves the grid, public and editor alike, until it is restored.
    .where('p.hidden_at', 'is', null)
    .orderBy('e.id')
    .execute()
}

export async function findEntryOfProposal(db: Kysely<Database>, proposalId: number): Promise<ScheduleEntryRow | undefined> {
  return db.selectFrom('schedule_entries').selectAll().where('proposal_id', '=', proposalId).executeTakeFirst()
}

export async function findEntryInCell(db: Kysely<Database>, slotId: number, roomId: number): Promise<ScheduleEntryRow | undefined> {
  return db
    .selectFrom('schedule_entries')
    .selectAll()
    .where('slot_id', '=', slotId)
    .where('room_id', '=', roomId)
    .where('cancelled_at', 'is', null)
    .executeTakeFirst()
}

export async function insertEntry(db: Kysely<Database>, entry: Pick<ScheduleEntryRow, 'event_id' | 'proposal_id' | 'slot_id' | 'room_id'>, stamp: string): Promise<void> {
  await db.insertInto('schedule_entries').values({ ...entry, cancelled_at: null, created_at: stamp, updated_at: stamp }).execute()
}

/** Moves an entry (and brings a cancelled one back); a change of place bumps its calendar SEQUENCE. */
export async function placeEntry(db: Kysely<Database>, id: number, slotId: number, roomId: number, stamp: string): Promise<void> {
  await db
    .updateTable('schedule_entries')
    .set((eb) => ({ slot_id: slotId, room_id: roomId, cancelled_at: null, sequence: eb('sequence', '+', 1), updated_at: stamp }))
    .where('id', '=', id)
    .execute()
}

export async function cancelEntry(db: Kysely<Database>, id: number, stamp: string): Promise<void> {
  await db
    .updateTable('schedule_entries')
    .set((eb) => ({ cancelled_at: stamp, pinned: 0, sequence: eb('sequence', '+', 1), updated_at: stamp }))
    .where('id', '=', id)
    .execute()
}

/**
 * Takes a live entry out of the one-session-per-cell index for the rest of the transaction,
 * touching nothing else (pin, sequence): the first half of a swap, undone by placeEntry.
 */
export async function stepAside(db: Kysely<Database>, id: number, stamp: string): Promise<void> {
  await db.updateTable('schedule_entries').set({ cancelled_at: stamp }).where('id', '=', id).execute()
}

export async function deleteEntry(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('schedule_entries').where('id', '=', id).execute()
}

export async function setEntryPinned(db: Kysely<Database>, id: number, pinned: boolean, stamp: string): Promise<void> {
  await db.updateTable('schedule_entries').set({ pinned: pinned ? 1 : 0, updated_at: stamp }).where('id', '=', id).execute()
}

/**
 * A new calendar SEQUENCE for the entries of one slot, room or event: their time or place
 * changed (a slot retimed, a room renamed, the venue or the time zone changed).
 */
async function bumpEntries(db: Kysely<Database>, column: 'slot_id' | 'room_id' | 'event_id', id: number, stamp: string): Promise<void> {
  await db
    .updateTable('schedule_entries')
    .set((eb) => ({ sequence: eb('sequence', '+', 1), updated_at: stamp }))
    .where(column, '=', id)
    .execute()
}

/** Live sessions in a room or a slot: what deleting it would throw off the grid. */
export async function countLiveEntries(db: Kysely<Database>, where: { roomId: number } | { slotId: number }, cancelledSince?: string): Promise<number> {
  const row = await db
    .selectFrom('schedule_entries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('roomId' in where ? 'room_id' : 'slot_id', '=', 'roomId' in where ? where.roomId : where.slotId)
    // With cancelledSince, sessions cancelled since then count too: calendars still list them.
    .where((eb) => (cancelledSince ? eb.or([eb('cancelled_at', 'is', null), eb('cancelled_at', '>=', cancelledSince)]) : eb('cancelled_at', 'is', null)))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export const bumpSlotEntries = (db: Kysely<Database>, slotId: number, stamp: string) => bumpEntries(db, 'slot_id', slotId, stamp)

/**
 * Interest per proposal: the people who voted for it or starred it, each counted once.
 * What the room-size warning and the scheduler go by.
 */
export async function interestCounts(db: Kysely<Database>, eventId: number): Promise<Map<number, number>> {
  const counts = new Map<number, number>()
  for (const { proposal_id } of await listInterested(db, eventId)) counts.set(proposal_id, (counts.get(proposal_id) ?? 0) + 1)
  return counts
}

export interface SessionPerson {
  proposal_id: number
  user_id: number
  display_name: string
}

/** The people running each session of the event: its proposer and its co-hosts. */
export async function listSessionPeople(db: Kysely<Database>, eventId: number): Promise<SessionPerson[]> {
  return db
    .selectFrom('proposals as p')
    .innerJoin('users as u', 'u.id', 'p.proposer_id')
    .select(['p.id as proposal_id', 'u.id as user_id', 'u.display_name'])
    .where('p.event_id', '=', eventId)
    .where('p.walk_up', '=', 0)
    .union(
      db
        .selectFrom('proposal_hosts as h')
        .innerJoin('proposals as p', 'p.id', 'h.proposal_id')
        .innerJoin('users as u', 'u.id', 'h.user_id')
        .select(['p.id as proposal_id', 'u.id as user_id', 'u.display_name'])
        .where('p.event_id', '=', eventId),
    )
    .execute()
}

export interface TraySession {
  id: number
  title: string
  state: ProposalState
  needs: string
  walk_up: number
}

/** Proposals that could go on the grid but are not on it yet. */
export async function listUnscheduled(db: Kysely<Database>, eventId: number): Promise<TraySession[]> {
  return db
    .selectFrom('proposals')
    .select(['id', 'title', 'state', 'needs', 'walk_up'])
    .where('event_id', '=', eventId)
    .where('state', 'in', ['proposed', 'accepted'])
    .where('hidden_at', 'is', null)
    .orderBy('id')
    .execute()
}

export async function listChanges(db: Kysely<Database>, eventId: number, limit = 200): Promise<ScheduleChangeRow[]> {
  return db
    .selectFrom('schedule_changes')
    .selectAll()
    .where('event_id', '=', eventId)
    // The changelog names sessions: a hidden one is left out of it too (issue 20).
    .where((eb) => eb.or([eb('proposal_id', 'is', null), eb('proposal_id', 'not in', eb.selectFrom('proposals').select('id').where('event_id', '=', eventId).where('hidden_at', 'is not', null))]))
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}

/** The live sessions of one slot, with their rooms: whom a change of the slot's time affects. */
export async function liveEntriesInSlot(db: Kysely<Database>, slotId: number): Promise<{ proposal_id: number; title: string; room: string }[]> {
  return db
    .selectFrom('schedule_entries as e')
    .innerJoin('proposals as p', 'p.id', 'e.proposal_id')
    .innerJoin('rooms as r', 'r.id', 'e.room_id')
    .select(['e.proposal_id', 'p.title', 'r.name as room'])
    .where('e.slot_id', '=', slotId)
    .where('e.cancelled_at', 'is', null)
    .execute()
}

/** Where and when a session is (or was, if cancelled), for its own page. */
export async function placementOf(db: Kysely<Database>, proposalId: number): Promise<{ starts_at: string; ends_at: string; room: string; cancelled_at: string | null } | undefined> {
  return db
    .selectFrom('schedule_entries as e')
    .innerJoin('slots as s', 's.id', 'e.slot_id')
    .innerJoin('rooms as r', 'r.id', 'e.room_id')
    .select(['s.starts_at', 's.ends_at', 'r.name as room', 'e.cancelled_at'])
    .where('e.proposal_id', '=', proposalId)
    .executeTakeFirst()
}

/** Every live session of an event with its slot and room name (for changelog lines written in bulk). */
export async function liveEntriesOfEvent(db: Kysely<Database>, eventId: number): Promise<{ proposal_id: number; slot_id: number; title: string; room: string }[]> {
  return db
    .selectFrom('schedule_entries as e')
    .innerJoin('proposals as p', 'p.id', 'e.proposal_id')
    .innerJoin('rooms as r', 'r.id', 'e.room_id')
    .select(['e.proposal_id', 'e.slot_id', 'p.title', 'r.name as room'])
    .where('e.event_id', '=', eventId)
    .where('e.cancelled_at', 'is', null)
    .execute()
}

export const bumpEventEntries = (db: Kysely<Database>, eventId: number, stamp: string) => bumpEntries(db, 'event_id', eventId, stamp)

/** Who wants what: voters and starrers per proposal, each person once per proposal. */
export async function listInterested(db: Kysely<Database>, eventId: number): Promise<{ proposal_id: number; user_id: number }[]> {
  return db
    .selectFrom('proposal_votes as v')
    .innerJoin('proposals as p', 'p.id', 'v.proposal_id')
    .select(['v.proposal_id', 'v.user_id'])
    .where('p.event_id', '=', eventId)
    .union(
      db
        .selectFrom('stars as s')
        .innerJoin('proposals as p', 'p.id', 's.proposal_id')
        .select(['s.proposal_id', 's.user_id'])
        .where('p.event_id', '=', eventId),
    )
    .execute()
}

/**
 * The same people as listInterested, as one comma-joined list per proposal: on a big event a
 * few thousand rows instead of hundreds of thousands, which the app's thread would otherwise
 * spend most of a second turning into objects for the auto-scheduler. A person who voted and
 * starred is in the list twice (each table is grouped on its own index, with no sort of the
 * union); whoever reads the list counts each person once.
 */
export async function listInterestedLists(db: Kysely<Database>, dialect: Dialect, eventId: number): Promise<{ proposal_id: number; user_ids: string }[]> {
  // The two names of one aggregate.
  const joined = (column: 'v.user_id' | 's.user_id') => (dialect === 'postgres' ? sql<string>`string_agg(cast(${sql.ref(column)} as text), ',')` : sql<string>`group_concat(${sql.ref(column)}, ',')`)
  const [votes, stars] = await Promise.all([
    db.selectFrom('proposal_votes as v').innerJoin('proposals as p', 'p.id', 'v.proposal_id').select(['v.proposal_id', joined('v.user_id').as('user_ids')]).where('p.event_id', '=', eventId).groupBy('v.proposal_id').execute(),
    db.selectFrom('stars as s').innerJoin('proposals as p', 'p.id', 's.proposal_id').select(['s.proposal_id', joined('s.user_id').as('user_ids')]).where('p.event_id', '=', eventId).groupBy('s.proposal_id').execute(),
  ])
  return [...votes, ...stars]
}

/** Proposals that may go on the grid (waiting or placed), for the auto-scheduler. */
export async function listPlaceable(db: Kysely<Database>, eventId: number): Promise<{ id: number; title: string; needs: string }[]> {
  return db.selectFrom('proposals').select(['id', 'title', 'needs']).where('event_id', '=', eventId).where('state', 'in', ['proposed', 'accepted', 'scheduled']).where('hidden_at', 'is', null).orderBy('id').execute()
}

export const bumpRoomEntries = (db: Kysely<Database>, roomId: number, stamp: string) => bumpEntries(db, 'room_id', roomId, stamp)
