// Proposals, their hosts and the interest votes on them. Votes are kept per person because
// the scheduler needs to know who wants what; each proposal's count is kept beside it by
// database triggers, so a list never counts.
import { sql, type Kysely } from 'kysely'
import { compiledOnce } from '../../db/compiled-once.js'
import type { Database, ProposalFormat, ProposalRow, ProposalState } from '../../db/database.js'
import { LIVE_STATES } from './phases.js'

export interface ProposalListItem {
  id: number
  title: string
  format: ProposalFormat
  state: ProposalState
  needs: string
  walk_up: boolean
  proposer_name: string | null
  pitcher_name: string | null
  votes: number
  voted_by_me: boolean
  queue_position: number | null
  pitched: boolean
  created_at: string
}

export interface ProposalFilter {
  sort: 'interest' | 'newest'
  format: ProposalFormat | null
  /** null: the live ones (proposed, accepted, scheduled). */
  state: ProposalState | null
}


export function proposalsWithVotes(db: Kysely<Database>, eventId: number, viewerId: number | null) {
  return db
    .selectFrom('proposals as p')
    .leftJoin('users as u', 'u.id', 'p.proposer_id')
    .leftJoin('proposal_votes as mine', (join) => join.onRef('mine.proposal_id', '=', 'p.id').on('mine.user_id', '=', viewerId ?? -1))
    .select([
      'p.id',
      'p.title',
      'p.format',
      'p.state',
      'p.needs',
      'p.walk_up',
      'u.display_name as proposer_name',
      'p.pitcher_name',
      // Kept on the proposal by triggers (migration 2026_11_26_1900): counting here read
      // every vote of the event on every request.
      'p.vote_count as votes',
      sql<number>`case when mine.user_id is null then 0 else 1 end`.as('voted_by_me'),
      'p.queue_position',
      'p.pitched',
      'p.created_at',
    ])
    .where('p.event_id', '=', eventId)
    // Hidden by a moderator or a suspension: gone from every list (issue 20).
    .where('p.hidden_at', 'is', null)
}

type Row = Awaited<ReturnType<ReturnType<typeof proposalsWithVotes>['execute']>>[number]
export function toItem(row: Row): ProposalListItem {
  return {
    ...row,
    walk_up: row.walk_up === 1,
    pitched: row.pitched === 1,
    votes: Number(row.votes ?? 0),
    voted_by_me: Number(row.voted_by_me) === 1,
  }
}

/** One page of an event's proposals as the list shows them, and how many match in all. */
export async function listProposals(
  db: Kysely<Database>,
  eventId: number,
  viewerId: number | null,
  filter: ProposalFilter,
  page: { limit: number; offset: number },
): Promise<{ items: ProposalListItem[]; total: number }> {
  const shape = `${filter.state ? 'state' : 'live'} ${filter.format ? 'format' : 'any'} ${filter.sort}` as const
  let queries = listQueries.get(shape)
  if (!queries) listQueries.set(shape, (queries = listQueriesFor(filter)))
  const values = { eventId, viewer: viewerId ?? -1, state: filter.state, format: filter.format, limit: page.limit, offset: page.offset }
  const [rows, [counted]] = await Promise.all([queries.list(db, values), queries.count(db, values)])
  return { items: rows.map(toItem), total: Number(counted?.n ?? 0) }
}

interface ListValues {
  eventId: number
  viewer: number
  state: ProposalState | null
  format: ProposalFormat | null
  limit: number
  offset: number
}

// The list's queries are built once per shape of filter (src/db/compiled-once.ts): a filter
// left empty changes the SQL, its value does not. At most 2 × 2 × 2 shapes.
const listQueries = new Map<string, ReturnType<typeof listQueriesFor>>()

function listQueriesFor(filter: ProposalFilter) {
  const list = compiledOnce((db, p: ListValues) => {
    let query = proposalsWithVotes(db, p.eventId, p.viewer)
    query = filter.state ? query.where('p.state', '=', p.state!) : query.where('p.state', 'in', LIVE_STATES)
    if (filter.format) query = query.where('p.format', '=', p.format!)
    query = filter.sort === 'newest' ? query.orderBy('p.id', 'desc') : query.orderBy('votes', 'desc').orderBy('p.id')
    return query.limit(p.limit).offset(p.offset)
  })
  const count = compiledOnce((db, p: ListValues) => {
    let query = db.selectFrom('proposals as p').select((eb) => eb.fn.countAll<number>().as('n')).where('p.event_id', '=', p.eventId).where('p.hidden_at', 'is', null)
    query = filter.state ? query.where('p.state', '=', p.state!) : query.where('p.state', 'in', LIVE_STATES)
    if (filter.format) query = query.where('p.format', '=', p.format!)
    return query
  })
  return { list, count }
}

/** Everything the organisers manage: all states but merged, most interest first. */
export async function listProposalsForManaging(db: Kysely<Database>, eventId: number): Promise<ProposalListItem[]> {
  const rows = await proposalsWithVotes(db, eventId, null).where('p.state', '!=', 'merged').orderBy('votes', 'desc').orderBy('p.id').execute()
  return rows.map(toItem)
}

const liveCount = compiledOnce((db, p: { eventId: number }) =>
  db.selectFrom('proposals').select((eb) => eb.fn.countAll<number>().as('n')).where('event_id', '=', p.eventId).where('state', 'in', LIVE_STATES).where('hidden_at', 'is', null),
)

export async function countProposals(db: Kysely<Database>, eventId: number): Promise<number> {
  const [row] = await liveCount(db, { eventId })
  return Number(row?.n ?? 0)
}

export async function findProposal(db: Kysely<Database>, eventId: number, id: number): Promise<ProposalRow | undefined> {
  return db.selectFrom('proposals').selectAll().where('event_id', '=', eventId).where('id', '=', id).executeTakeFirst()
}

export async function insertProposal(db: Kysely<Database>, proposal: Omit<ProposalRow, 'id' | 'state' | 'walk_up' | 'pitched' | 'merged_into' | 'vote_count' | 'told_state' | 'hidden_at' | 'hidden_reason' | 'hidden_cause'> & { walk_up?: number }): Promise<ProposalRow> {
  return db.insertInto('proposals').values(proposal).returningAll().executeTakeFirstOrThrow()
}

export async function updateProposal(db: Kysely<Database>, id: number, changes: Partial<Omit<ProposalRow, 'id' | 'event_id' | 'created_at' | 'vote_count'>>): Promise<void> {
  await db.updateTable('proposals').set(changes).where('id', '=', id).execute()
}

/** Changes the state of several proposals of one event at once; returns the ones that changed. */
export async function setProposalStates(db: Kysely<Database>, eventId: number, ids: number[], from: ProposalState[], to: ProposalState, now: string): Promise<Pick<ProposalRow, 'id' | 'title' | 'proposer_id'>[]> {
  if (!ids.length) return []
  return db
    .updateTable('proposals')
    .set({ state: to, updated_at: now })
    .where('event_id', '=', eventId)
    .where('id', 'in', ids)
    .where('state', 'in', from.filter((state) => state !== to))
    .returning(['id', 'title', 'proposer_id'])
    .execute()
}

// --- Hosts ---

export async function listHosts(db: Kysely<Database>, proposalId: number): Promise<{ id: number; display_name: string; handle: string | null }[]> {
  return db
    .selectFrom('proposal_hosts as h')
    .innerJoin('users as u', 'u.id', 'h.user_id')
    .select(['u.id', 'u.display_name', 'u.handle'])
    .where('h.proposal_id', '=', proposalId)
    .orderBy('u.display_name')
    .execute()
}

export async function addHost(db: Kysely<Database>, proposalId: number, userId: number): Promise<void> {
  await db
    .insertInto('proposal_hosts')
    .values({ proposal_id: proposalId, user_id: userId })
    .onConflict((oc) => oc.columns(['proposal_id', 'user_id']).doNothing())
    .execute()
}

export async function removeHost(db: Kysely<Database>, proposalId: number, userId: number): Promise<void> {
  await db.deleteFrom('proposal_hosts').where('proposal_id', '=', proposalId).where('user_id', '=', userId).execute()
}

export async function isHost(db: Kysely<Database>, proposal: Pick<ProposalRow, 'id' | 'proposer_id'>, userId: number): Promise<boolean> {
  if (proposal.proposer_id === userId) return true
  const row = await db.selectFrom('proposal_hosts').select('user_id').where('proposal_id', '=', proposal.id).where('user_id', '=', userId).executeTakeFirst()
  return row !== undefined
}

// --- Votes ---

/**
 * Sets one person's interest to what they asked for (the button says which), so a double
 * click or a resent form lands in the same place; the primary key keeps it to one vote each.
 */
export async function setProposalVote(db: Kysely<Database>, proposalId: number, userId: number, want: boolean, now: string): Promise<boolean> {
  if (!want) {
    await db.deleteFrom('proposal_votes').where('proposal_id', '=', proposalId).where('user_id', '=', userId).execute()
    return false
  }
  await db
    .insertInto('proposal_votes')
    .values({ proposal_id: proposalId, user_id: userId, created_at: now })
    .onConflict((oc) => oc.columns(['proposal_id', 'user_id']).doNothing())
    .execute()
  return true
}

export async function hasVoted(db: Kysely<Database>, proposalId: number, userId: number): Promise<boolean> {
  const row = await db.selectFrom('proposal_votes').select('user_id').where('proposal_id', '=', proposalId).where('user_id', '=', userId).executeTakeFirst()
  return row !== undefined
}

/**
 * Copies `from`'s votes onto `to`. A person who voted for both keeps one vote (the
 * primary key), so a merge never counts anyone twice.
 */
export async function copyVotes(db: Kysely<Database>, from: number, to: number): Promise<void> {
  await db
    .insertInto('proposal_votes')
    .columns(['proposal_id', 'user_id', 'created_at'])
    .expression((eb) => eb.selectFrom('proposal_votes').select([sql.lit(to).as('proposal_id'), 'user_id', 'created_at']).where('proposal_id', '=', from))
    .onConflict((oc) => oc.columns(['proposal_id', 'user_id']).doNothing())
    .execute()
}

export async function copyHosts(db: Kysely<Database>, from: number, to: number): Promise<void> {
  await db
    .insertInto('proposal_hosts')
    .columns(['proposal_id', 'user_id'])
    .expression((eb) => eb.selectFrom('proposal_hosts').select([sql.lit(to).as('proposal_id'), 'user_id']).where('proposal_id', '=', from))
    .onConflict((oc) => oc.columns(['proposal_id', 'user_id']).doNothing())
    .execute()
}

// --- The pitch queue ---

export async function nextQueuePosition(db: Kysely<Database>, eventId: number): Promise<number> {
  const row = await db
    .selectFrom('proposals')
    .select((eb) => eb.fn.max<number>('queue_position').as('last'))
    .where('event_id', '=', eventId)
    .executeTakeFirst()
  return Number(row?.last ?? 0) + 1
}

export async function listQueue(db: Kysely<Database>, eventId: number): Promise<(ProposalRow & { proposer_name: string | null })[]> {
  return db
    .selectFrom('proposals as p')
    .leftJoin('users as u', 'u.id', 'p.proposer_id')
    .selectAll('p')
    .select('u.display_name as proposer_name')
    .where('p.event_id', '=', eventId)
    .where('p.queue_position', 'is not', null)
    .where('p.state', '!=', 'merged')
    .where('p.hidden_at', 'is', null)
    .orderBy('p.queue_position')
    .orderBy('p.id')
    .execute()
}
