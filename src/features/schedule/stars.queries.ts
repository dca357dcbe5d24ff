// Stars: the sessions a person means to go to. Kysely only, db first.
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.js'

export async function addStar(db: Kysely<Database>, proposalId: number, userId: number, stamp: string): Promise<void> {
  await db
    .insertInto('stars')
    .values({ proposal_id: proposalId, user_id: userId, created_at: stamp })
    .onConflict((oc) => oc.columns(['proposal_id', 'user_id']).doNothing())
    .execute()
}

export async function removeStar(db: Kysely<Database>, proposalId: number, userId: number): Promise<void> {
  await db.deleteFrom('stars').where('proposal_id', '=', proposalId).where('user_id', '=', userId).execute()
}

/** The proposals of one event this person starred. */
export async function starredIn(db: Kysely<Database>, eventId: number, userId: number): Promise<Set<number>> {
  const rows = await db
    .selectFrom('stars as s')
    .innerJoin('proposals as p', 'p.id', 's.proposal_id')
    .select('s.proposal_id')
    .where('s.user_id', '=', userId)
    .where('p.event_id', '=', eventId)
    .execute()
  return new Set(rows.map((r) => r.proposal_id))
}

/** The proposals on someone's agenda: starred, co-hosted or proposed; each lookup on an index. */
export function myProposalIds(db: Kysely<Database>, userId: number) {
  return db
    .selectFrom('stars')
    .select('proposal_id')
    .where('user_id', '=', userId)
    .union(db.selectFrom('proposal_hosts').select('proposal_id').where('user_id', '=', userId))
    .union(db.selectFrom('proposals').select('id as proposal_id').where('proposer_id', '=', userId))
}

export interface AgendaRow {
  proposal_id: number
  title: string
  event_slug: string
  event_name: string
  time_zone: string
  starts_at: string | null
  ends_at: string | null
  room: string | null
  cancelled_at: string | null
  /** 0/1 on SQLite, false/true on PostgreSQL. */
  starred: number | boolean
  hosting: number | boolean
}

/**
 * Everything on one person's agenda: sessions they starred, proposed or co-host, in events
 * that are not drafts and have not ended, with where and when each one is (if placed yet).
 */
export async function listAgenda(db: Kysely<Database>, userId: number, today: string): Promise<AgendaRow[]> {
  return db
    .selectFrom('proposals as p')
    .innerJoin('events as ev', 'ev.id', 'p.event_id')
    // Where and when, only once the schedule is public (or to the event's organisers before).
    .leftJoin('schedule_entries as e', (join) =>
      join
        .onRef('e.proposal_id', '=', 'p.id')
        .on((eb) =>
          eb.or([
            eb('ev.schedule_published_at', 'is not', null),
            eb.exists(eb.selectFrom('event_organisers as o').select('o.user_id').whereRef('o.event_id', '=', 'ev.id').where('o.user_id', '=', userId)),
          ]),
        ),
    )
    .leftJoin('slots as sl', 'sl.id', 'e.slot_id')
    .leftJoin('rooms as r', 'r.id', 'e.room_id')
    .select((eb) => [
      'p.id as proposal_id',
      'p.title',
      'ev.slug as event_slug',
      'ev.name as event_name',
      'ev.time_zone',
      'sl.starts_at',
      'sl.ends_at',
      'r.name as room',
      'e.cancelled_at',
      eb.exists(eb.selectFrom('stars as s').select('s.user_id').whereRef('s.proposal_id', '=', 'p.id').where('s.user_id', '=', userId)).$castTo<number | boolean>().as('starred'),
      eb
        .or([
          eb('p.proposer_id', '=', userId),
          eb.exists(eb.selectFrom('proposal_hosts as h').select('h.user_id').whereRef('h.proposal_id', '=', 'p.id').where('h.user_id', '=', userId)),
        ])
        .$castTo<number | boolean>()
        .as('hosting'),
    ])
    .where('ev.phase', '!=', 'draft')
    .where('ev.last_day', '>=', today)
    .where('p.state', 'in', ['proposed', 'accepted', 'scheduled'])
    .where('p.hidden_at', 'is', null)
    // Starts from this person's own rows (each lookup on an index), not from every proposal.
    .where('p.id', 'in', myProposalIds(db, userId))
    .orderBy('sl.starts_at')
    .orderBy('p.id')
    .execute()
}

export async function hasStarred(db: Kysely<Database>, proposalId: number, userId: number): Promise<boolean> {
  return (await db.selectFrom('stars').select('user_id').where('proposal_id', '=', proposalId).where('user_id', '=', userId).executeTakeFirst()) !== undefined
}

/** Who a change to these sessions concerns: whoever starred one, its proposer, its hosts. */
export async function sessionAudience(db: Kysely<Database>, proposalIds: number[]): Promise<{ proposal_id: number; user_id: number }[]> {
  if (!proposalIds.length) return []
  const stars = db.selectFrom('stars').select(['proposal_id', 'user_id']).where('proposal_id', 'in', proposalIds)
  const hosts = db.selectFrom('proposal_hosts').select(['proposal_id', 'user_id']).where('proposal_id', 'in', proposalIds)
  const proposers = db
    .selectFrom('proposals')
    .select(['id as proposal_id', 'proposer_id as user_id'])
    .where('id', 'in', proposalIds)
    .where('proposer_id', 'is not', null)
    .$narrowType<{ user_id: number }>()
  // UNION, not UNION ALL: a host who also starred their session hears of it once.
  return stars.union(hosts).union(proposers).execute()
}
