// Our actors' keys, their remote followers and what they sent. Kysely only, db first.
import type { Kysely } from 'kysely'
import type { CommunityRow, Database, EventRow, FederationFollowerRow, MeetupRow, ScheduleChangeRow } from '../../db/database.js'

export interface StoredKeyPair {
  algorithm: string
  public_jwk: string
  private_jwk: string
}

export async function findKeyPairs(db: Kysely<Database>, actor: string): Promise<StoredKeyPair[]> {
  return db.selectFrom('federation_keys').select(['algorithm', 'public_jwk', 'private_jwk']).where('actor', '=', actor).orderBy('algorithm', 'desc').execute()
}

/** Keeps a new key pair unless another process stored one for the actor first (theirs wins). */
export async function insertKeyPair(db: Kysely<Database>, actor: string, pair: StoredKeyPair, stamp: string): Promise<void> {
  await db
    .insertInto('federation_keys')
    .values({ actor, ...pair, created_at: stamp })
    .onConflict((oc) => oc.columns(['actor', 'algorithm']).doNothing())
    .execute()
}

export async function addFollower(db: Kysely<Database>, follower: Omit<FederationFollowerRow, 'id'>): Promise<void> {
  await db
    .insertInto('federation_followers')
    .values(follower)
    .onConflict((oc) => oc.columns(['target_actor', 'actor_id']).doUpdateSet({ actor_inbox: follower.actor_inbox, shared_inbox: follower.shared_inbox }))
    .execute()
}

export async function removeFollower(db: Kysely<Database>, targetActor: string, actorId: string): Promise<number> {
  const result = await db.deleteFrom('federation_followers').where('target_actor', '=', targetActor).where('actor_id', '=', actorId).executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** Followers in id order after `afterId`; all of them when `limit` is null (for sending). */
export async function listFollowers(db: Kysely<Database>, targetActor: string, afterId: number, limit: number | null): Promise<FederationFollowerRow[]> {
  let query = db.selectFrom('federation_followers').selectAll().where('target_actor', '=', targetActor).where('id', '>', afterId).orderBy('id')
  if (limit !== null) query = query.limit(limit)
  return query.execute()
}

export async function countFollowers(db: Kysely<Database>, targetActor: string): Promise<number> {
  const row = await db.selectFrom('federation_followers').select((eb) => eb.fn.countAll<number>().as('n')).where('target_actor', '=', targetActor).executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function recordActivity(db: Kysely<Database>, row: { actor: string; activity_id: string; type: string; object_id: string; payload: string; created_at: string }): Promise<void> {
  await db.insertInto('federation_activities').values(row).onConflict((oc) => oc.column('activity_id').doNothing()).execute()
}

/** The newest activities first, before `beforeId` (null: from the newest). */
export async function listActivities(db: Kysely<Database>, actor: string, beforeId: number | null, limit: number) {
  let query = db.selectFrom('federation_activities').select(['id', 'payload']).where('actor', '=', actor).orderBy('id', 'desc').limit(limit)
  if (beforeId !== null) query = query.where('id', '<', beforeId)
  return query.execute()
}

export async function countActivities(db: Kysely<Database>, actor: string): Promise<number> {
  const row = await db.selectFrom('federation_activities').select((eb) => eb.fn.countAll<number>().as('n')).where('actor', '=', actor).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The community a handle names: its hashtag key; the oldest when two share a hashtag. */
export async function findCommunityByHashtagKey(db: Kysely<Database>, key: string): Promise<Pick<CommunityRow, 'id'> | undefined> {
  return db.selectFrom('communities').select('id').where('hashtag_key', '=', key).orderBy('id').limit(1).executeTakeFirst()
}

export async function findCommunityById(db: Kysely<Database>, id: number): Promise<CommunityRow | undefined> {
  return db.selectFrom('communities').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findMeetupById(db: Kysely<Database>, id: number): Promise<MeetupRow | undefined> {
  return db.selectFrom('meetups').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Cheap counts for NodeInfo. */
export async function nodeCounts(db: Kysely<Database>): Promise<{ users: number; meetups: number }> {
  const [users, meetups] = await Promise.all([
    db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('meetups').select((eb) => eb.fn.countAll<number>().as('n')).where('hidden_at', 'is', null).executeTakeFirstOrThrow(),
  ])
  return { users: Number(users.n), meetups: Number(meetups.n) }
}

/** The meetups a person made that can federate: a suspension hides them all, and lifting it shows them. */
export async function federatedMeetupIdsBy(db: Kysely<Database>, userId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('meetups')
    .select('id')
    .where('created_by', '=', userId)
    .where((eb) => eb.or([eb('community_id', 'is not', null), eb('event_id', 'is not', null)]))
    .execute()
  return rows.map((row) => row.id)
}

/** A public event (any phase but draft): only those are actors. */
export async function findPublicEventById(db: Kysely<Database>, id: number): Promise<EventRow | undefined> {
  return db.selectFrom('events').selectAll().where('id', '=', id).where('phase', '!=', 'draft').executeTakeFirst()
}

export async function findPublicEventBySlug(db: Kysely<Database>, slug: string): Promise<Pick<EventRow, 'id'> | undefined> {
  return db.selectFrom('events').select('id').where('slug', '=', slug).where('phase', '!=', 'draft').executeTakeFirst()
}

/** The last schedule-change Note an event's actor sent: the id of the change it ended with. */
export async function lastScheduleNote(db: Kysely<Database>, actor: string, prefix: string): Promise<number | null> {
  const row = await db
    .selectFrom('federation_activities')
    .select('object_id')
    .where('actor', '=', actor)
    .where('object_id', 'like', `${prefix}%`)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row ? Number(row.object_id.slice(prefix.length)) : null
}

/** An event's changelog after a change id (and, when given, since a time), oldest first. */
export async function scheduleChangesAfter(db: Kysely<Database>, eventId: number, afterId: number, since: string | null): Promise<ScheduleChangeRow[]> {
  let query = db.selectFrom('schedule_changes').selectAll().where('event_id', '=', eventId).where('id', '>', afterId)
  if (since) query = query.where('created_at', '>=', since)
  return query.orderBy('id').execute()
}

/** What one actor last sent about each of these objects (Create, Update or Delete), in one query. */
export async function lastSentAbout(db: Kysely<Database>, actor: string, objectIds: string[]): Promise<Map<string, string>> {
  if (!objectIds.length) return new Map()
  const rows = await db.selectFrom('federation_activities').select(['object_id', 'type']).where('actor', '=', actor).where('object_id', 'in', objectIds).orderBy('id').execute()
  return new Map(rows.map((row) => [row.object_id, row.type]))
}
