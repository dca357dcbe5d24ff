// The read-only API's reads: public columns only, one query per list. Kysely only, db first.
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.js'

export async function waitlistLength(db: Kysely<Database>, meetupId: number): Promise<number> {
  const row = await db.selectFrom('rsvps').select((eb) => eb.fn.countAll<number>().as('n')).where('meetup_id', '=', meetupId).where('status', '=', 'waitlisted').executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function listRecentProposals(db: Kysely<Database>, eventId: number, limit = 50) {
  return db
    .selectFrom('proposals')
    .select(['id', 'title', 'description', 'format', 'state', 'created_at', 'updated_at'])
    .where('event_id', '=', eventId)
    .where('state', 'not in', ['merged', 'withdrawn'])
    .where('hidden_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}

export async function listRecentMeetups(db: Kysely<Database>, communityId: number, limit = 50) {
  return db
    .selectFrom('meetups')
    .select(['id', 'slug', 'title', 'description', 'starts_at', 'time_zone', 'venue_name', 'state', 'created_at', 'updated_at'])
    .where('community_id', '=', communityId)
    .where('hidden_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}
