import crypto from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database, UserRow } from '../../db/database.js'

export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000

/** Creates a session row and returns its id (128 random bits); sweeps expired ones. */
export async function createSession(db: Kysely<Database>, userId: number, now: Date): Promise<string> {
  const id = crypto.randomBytes(16).toString('hex')
  await db
    .insertInto('sessions')
    .values({ id, user_id: userId, created_at: now.toISOString(), expires_at: new Date(now.getTime() + SESSION_LIFETIME_MS).toISOString() })
    .execute()
  await db.deleteFrom('sessions').where('expires_at', '<', now.toISOString()).execute()
  return id
}

export async function deleteSession(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute()
}

/** The person a live session belongs to, unless suspended: one query, by primary key. */
export async function findSessionUser(db: Kysely<Database>, id: string, now: Date): Promise<UserRow | undefined> {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .selectAll('u')
    .where('s.id', '=', id)
    .where('s.expires_at', '>', now.toISOString())
    // A suspended person's sessions stop working at once, and work again when it is lifted.
    .where('u.suspended_at', 'is', null)
    .executeTakeFirst()
}
