// Tombstones: what is left of a meetup, event or community its makers deleted. Kysely only, db first.
import type { Kysely } from 'kysely'
import type { Database, TombstoneKind, TombstoneRow } from '../../db/database.js'

/** The newest thing of this kind that was deleted at this address, if any. */
export async function findTombstone(db: Kysely<Database>, kind: TombstoneKind, slug: string): Promise<TombstoneRow | undefined> {
  return db.selectFrom('tombstones').selectAll().where('kind', '=', kind).where('slug', '=', slug).orderBy('id', 'desc').executeTakeFirst()
}

/**
 * Deleted meetups a community's feed still carries, CANCELLED: deleted since `since` (the
 * feed's 30-day window, as for cancellations) and not over before it.
 */
export async function deletedCommunityMeetups(db: Kysely<Database>, communityId: number, since: string): Promise<TombstoneRow[]> {
  return db
    .selectFrom('tombstones')
    .selectAll()
    .where('kind', '=', 'meetup')
    .where('community_id', '=', communityId)
    .where('deleted_at', '>=', since)
    .where('ends_at', '>=', since)
    .execute()
}

/** Deleted meetups one person's own feed still carries, CANCELLED, on the same terms. */
export async function deletedPersonalMeetups(db: Kysely<Database>, userId: number, since: string): Promise<TombstoneRow[]> {
  return db
    .selectFrom('tombstone_people as p')
    .innerJoin('tombstones as t', 't.id', 'p.tombstone_id')
    .selectAll('t')
    .where('p.user_id', '=', userId)
    .where('t.deleted_at', '>=', since)
    .where('t.ends_at', '>=', since)
    .execute()
}

/** How many replies (any answer, kept or withdrawn) a meetup has. */
export async function countReplies(db: Kysely<Database>, meetupId: number): Promise<number> {
  const row = await db.selectFrom('rsvps').select((eb) => eb.fn.countAll<number>().as('n')).where('meetup_id', '=', meetupId).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** What deleting a draft event takes with it, for its confirmation page. */
export async function countEventParts(db: Kysely<Database>, eventId: number): Promise<{ proposals: number; rooms: number; slots: number }> {
  const count = async (table: 'proposals' | 'rooms' | 'slots') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('event_id', '=', eventId).executeTakeFirstOrThrow()).n)
  const [proposals, rooms, slots] = await Promise.all([count('proposals'), count('rooms'), count('slots')])
  return { proposals, rooms, slots }
}
