// Full-text search over communities, events, meetups and an event's proposals, on either
// dialect: SQLite's FTS5 tables ranked by bm25, PostgreSQL's tsvector ranked by ts_rank (both
// kept by migration 2026_12_08_1100). Every function takes the words from searchTerms
// (search-terms.ts), never what was typed, and leaves out what the list pages leave out:
// hidden items, and drafts the person does not organise.
import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { Database, EventPhase, MeetupState, ProposalFormat, ProposalState } from '../../db/database.js'
import type { Dialect } from '../../db/dialect.js'
import { LIVE_STATES } from '../events/phases.js'
import { proposalsWithVotes, toItem, type ProposalListItem } from '../events/proposals.queries.js'
import { ftsMatch, tsQuery } from './search-terms.js'

type Kind = 'communities' | 'events' | 'meetups' | 'proposals'

// bm25 weights per FTS column (title, then names or place, then description); the PostgreSQL
// documents carry the same order as weights A, B and D.
const BM25 = '10.0, 4.0, 1.0'
const PG_VECTOR: Record<Exclude<Kind, 'proposals'>, string> = {
  communities: 'community_search_vector(t.name, t.hashtag, t.description)',
  events: 'event_search_vector(t.name, t.hashtag, t.venue_name, t.description)',
  meetups: 'meetup_search_vector(t.title, t.venue_name, t.description)',
}

/** The ids of the `kind` rows that have every word, each with a score: lower is a better match. */
function matching(dialect: Dialect, kind: Kind, words: readonly string[]): RawBuilder<{ id: number; score: number }> {
  if (dialect === 'sqlite') {
    const table = sql.table(`${kind}_search`)
    return sql`(select rowid as id, bm25(${table}, ${sql.raw(BM25)}) as score from ${table} where ${table} match ${ftsMatch(words)})`
  }
  const query = sql`to_tsquery('simple', ${tsQuery(words)})`
  if (kind === 'proposals') return sql`(select s.proposal_id as id, -ts_rank(s.document, q) as score from proposal_search s, ${query} q where s.document @@ q)`
  const vector = sql.raw(PG_VECTOR[kind])
  return sql`(select t.id, -ts_rank(${vector}, q) as score from ${sql.table(kind)} t, ${query} q where ${vector} @@ q)`
}

export interface Found<T> {
  /** The best matches first, at most the limit asked for. */
  items: T[]
  /** How many match in all. */
  total: number
}

export interface ProposalSearch {
  sort: 'relevance' | 'interest' | 'newest'
  format: ProposalFormat | null
  /** null: the live ones (proposed, accepted, scheduled). */
  state: ProposalState | null
}

/** One page of an event's proposals with every word in their title, description or hosts' names, as the list shows them. */
export async function searchProposals(
  db: Kysely<Database>,
  dialect: Dialect,
  eventId: number,
  viewerId: number | null,
  filter: ProposalSearch,
  words: readonly string[],
  page: { limit: number; offset: number },
): Promise<Found<ProposalListItem>> {
  const found = matching(dialect, 'proposals', words).as('s')
  let list = proposalsWithVotes(db, eventId, viewerId).innerJoin(found, (join) => join.onRef('s.id', '=', 'p.id'))
  let count = db
    .selectFrom('proposals as p')
    .innerJoin(matching(dialect, 'proposals', words).as('s'), (join) => join.onRef('s.id', '=', 'p.id'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('p.event_id', '=', eventId)
    .where('p.hidden_at', 'is', null)
  list = filter.state ? list.where('p.state', '=', filter.state) : list.where('p.state', 'in', LIVE_STATES)
  count = filter.state ? count.where('p.state', '=', filter.state) : count.where('p.state', 'in', LIVE_STATES)
  if (filter.format) {
    list = list.where('p.format', '=', filter.format)
    count = count.where('p.format', '=', filter.format)
  }
  list =
    filter.sort === 'newest' ? list.orderBy('p.id', 'desc') : filter.sort === 'interest' ? list.orderBy('votes', 'desc').orderBy('p.id') : list.orderBy('s.score').orderBy('votes', 'desc').orderBy('p.id')
  const [rows, counted] = await Promise.all([list.limit(page.limit).offset(page.offset).execute(), count.executeTakeFirst()])
  return { items: rows.map(toItem), total: Number(counted?.n ?? 0) }
}

export interface CommunityHit {
  slug: string
  name: string
  hashtag: string
}

export async function searchCommunities(db: Kysely<Database>, dialect: Dialect, words: readonly string[], limit: number): Promise<Found<CommunityHit>> {
  const base = () => db.selectFrom('communities as c').innerJoin(matching(dialect, 'communities', words).as('s'), (join) => join.onRef('s.id', '=', 'c.id'))
  const [items, counted] = await Promise.all([
    base().select(['c.slug', 'c.name', 'c.hashtag']).orderBy('s.score').orderBy('c.name').limit(limit).execute(),
    base().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
  ])
  return { items, total: Number(counted?.n ?? 0) }
}

export interface EventHit {
  slug: string
  name: string
  first_day: string
  last_day: string
  venue_name: string
  phase: EventPhase
}

/** Events anyone may see, and the drafts this person organises (every draft, for the admin): as /events lists them. */
export async function searchEvents(db: Kysely<Database>, dialect: Dialect, words: readonly string[], viewer: { id: number; role: string } | null, limit: number): Promise<Found<EventHit>> {
  const base = () =>
    db
      .selectFrom('events as e')
      .innerJoin(matching(dialect, 'events', words).as('s'), (join) => join.onRef('s.id', '=', 'e.id'))
      .where((eb) =>
        eb.or([
          ...(viewer?.role === 'admin' ? [eb.lit(true)] : []),
          eb('e.phase', '!=', 'draft'),
          eb.exists(eb.selectFrom('event_organisers as o').select('o.user_id').whereRef('o.event_id', '=', 'e.id').where('o.user_id', '=', viewer?.id ?? -1)),
        ]),
      )
  const [items, counted] = await Promise.all([
    base().select(['e.slug', 'e.name', 'e.first_day', 'e.last_day', 'e.venue_name', 'e.phase']).orderBy('s.score').orderBy('e.first_day', 'desc').limit(limit).execute(),
    base().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
  ])
  return { items, total: Number(counted?.n ?? 0) }
}

export interface MeetupHit {
  slug: string
  title: string
  starts_at: string
  ends_at: string
  time_zone: string
  venue_name: string
  state: MeetupState
}

/** Meetups past and to come, but never one hidden by a moderator or a suspension. */
export async function searchMeetups(db: Kysely<Database>, dialect: Dialect, words: readonly string[], limit: number): Promise<Found<MeetupHit>> {
  const base = () => db.selectFrom('meetups as m').innerJoin(matching(dialect, 'meetups', words).as('s'), (join) => join.onRef('s.id', '=', 'm.id')).where('m.hidden_at', 'is', null)
  const [items, counted] = await Promise.all([
    base().select(['m.slug', 'm.title', 'm.starts_at', 'm.ends_at', 'm.time_zone', 'm.venue_name', 'm.state']).orderBy('s.score').orderBy('m.starts_at', 'desc').limit(limit).execute(),
    base().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
  ])
  return { items, total: Number(counted?.n ?? 0) }
}
