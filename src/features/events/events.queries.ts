// Events and their organisers. Kysely only, db first.
import type { Kysely } from 'kysely'
import { compiledOnce } from '../../db/compiled-once.js'
import type { Database, EventPhase, EventRow } from '../../db/database.js'
import { hashtagKey } from '../../lib/hashtags.js'
import { utcToZoned } from '../../lib/zoned-time.js'

// Every event page starts here: built once (src/db/compiled-once.ts).
const eventBySlug = compiledOnce((db, p: { slug: string }) => db.selectFrom('events').selectAll().where('slug', '=', p.slug))

export async function findEventBySlug(db: Kysely<Database>, slug: string): Promise<EventRow | undefined> {
  return (await eventBySlug(db, { slug }))[0]
}

export async function isEventSlugTaken(db: Kysely<Database>, slug: string): Promise<boolean> {
  return (await db.selectFrom('events').select('id').where('slug', '=', slug).executeTakeFirst()) !== undefined
}

export interface EventListItem {
  slug: string
  name: string
  hashtag: string
  first_day: string
  last_day: string
  time_zone: string
  venue_name: string
  phase: EventPhase
}

// The home page's: events anyone may see that may not have ended yet, soonest first. `fromDay`
// is the UTC date a day before today, so no time zone's today is missed; listNextEvents drops
// what has ended in the event's own zone, so it asks for twice the rows it shows. Past events
// are skipped along events_first_day_idx: a site has tens of events, not thousands.
const nextPublicEvents = compiledOnce((db, p: { fromDay: string; rows: number }) =>
  db
    .selectFrom('events')
    .select(['slug', 'name', 'hashtag', 'first_day', 'last_day', 'time_zone', 'venue_name', 'phase'])
    .where('phase', '!=', 'draft')
    .where('last_day', '>=', p.fromDay)
    .orderBy('first_day')
    .orderBy('id')
    .limit(p.rows),
)

/** Up to `limit` events anyone may see that have not ended where they happen, soonest first. */
export async function listNextEvents(db: Kysely<Database>, now: Date, limit: number): Promise<EventListItem[]> {
  const fromDay = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10)
  const rows = await nextPublicEvents(db, { fromDay, rows: limit * 2 })
  return rows.filter((event) => event.last_day >= utcToZoned(now, event.time_zone).date).slice(0, limit)
}

/** Events anyone may see (not drafts), plus the drafts this person organises (all, for the admin); soonest first. */
export async function listEvents(db: Kysely<Database>, viewerId: number | null, includeAllDrafts = false): Promise<EventListItem[]> {
  return db
    .selectFrom('events as e')
    .select(['e.slug', 'e.name', 'e.hashtag', 'e.first_day', 'e.last_day', 'e.time_zone', 'e.venue_name', 'e.phase'])
    .where((eb) =>
      eb.or([
        ...(includeAllDrafts ? [eb.lit(true)] : []),
        eb('e.phase', '!=', 'draft'),
        eb.exists(
          eb
            .selectFrom('event_organisers as o')
            .select('o.user_id')
            .whereRef('o.event_id', '=', 'e.id')
            .where('o.user_id', '=', viewerId ?? -1),
        ),
      ]),
    )
    .orderBy('e.first_day')
    .execute()
}

/** The events of one community that its page may list (not drafts). */
const communityEvents = compiledOnce((db, p: { communityId: number }) =>
  db
    .selectFrom('events')
    .select(['slug', 'name', 'hashtag', 'first_day', 'last_day', 'time_zone', 'venue_name', 'phase'])
    .where('community_id', '=', p.communityId)
    .where('phase', '!=', 'draft')
    .orderBy('first_day'),
)

export async function listCommunityEvents(db: Kysely<Database>, communityId: number): Promise<EventListItem[]> {
  return communityEvents(db, { communityId })
}

export async function insertEvent(db: Kysely<Database>, event: Omit<EventRow, 'id' | 'phase' | 'hashtag_key' | 'schedule_published_at' | 'code_of_conduct'> & { code_of_conduct?: string }): Promise<EventRow> {
  return db.insertInto('events').values({ ...event, hashtag_key: hashtagKey(event.hashtag) }).returningAll().executeTakeFirstOrThrow()
}

export async function updateEvent(db: Kysely<Database>, id: number, changes: Partial<Omit<EventRow, 'id' | 'slug' | 'created_at' | 'created_by' | 'hashtag_key'>>): Promise<void> {
  const key = changes.hashtag === undefined ? {} : { hashtag_key: hashtagKey(changes.hashtag) }
  await db.updateTable('events').set({ ...changes, ...key }).where('id', '=', id).execute()
}

const organiserRow = compiledOnce((db, p: { eventId: number; userId: number }) => db.selectFrom('event_organisers').select('user_id').where('event_id', '=', p.eventId).where('user_id', '=', p.userId))

export async function isOrganiser(db: Kysely<Database>, eventId: number, userId: number): Promise<boolean> {
  return (await organiserRow(db, { eventId, userId })).length > 0
}

export async function addOrganiser(db: Kysely<Database>, eventId: number, userId: number, now: string): Promise<void> {
  await db
    .insertInto('event_organisers')
    .values({ event_id: eventId, user_id: userId, added_at: now })
    .onConflict((oc) => oc.columns(['event_id', 'user_id']).doNothing())
    .execute()
}

const organisersOf = compiledOnce((db, p: { eventId: number }) =>
  db.selectFrom('event_organisers as o').innerJoin('users as u', 'u.id', 'o.user_id').select(['u.id', 'u.display_name', 'u.handle']).where('o.event_id', '=', p.eventId).orderBy('o.added_at'),
)

export async function listOrganisers(db: Kysely<Database>, eventId: number): Promise<{ id: number; display_name: string; handle: string | null }[]> {
  return organisersOf(db, { eventId })
}

/**
 * Serialises the organisers' changes to one event's proposals (merges, the queue): the
 * UPDATE takes the event row's lock on PostgreSQL and the write lock on SQLite, so two
 * organisers acting at once are handled one after the other. The first statement of the
 * transaction, always.
 */
export async function lockEvent(trx: Kysely<Database>, eventId: number): Promise<void> {
  await trx.updateTable('events').set((eb) => ({ updated_at: eb.ref('updated_at') })).where('id', '=', eventId).execute()
}
