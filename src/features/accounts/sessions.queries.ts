import crypto from 'node:crypto'
import type { Kysely } from 'kysely'
import { compiledOnce } from '../../db/compiled-once.js'
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

// Every request with a session runs this: built once (src/db/compiled-once.ts).
const sessionUser = compiledOnce((db, p: { id: string; now: string }) =>
  db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .selectAll('u')
    .where('s.id', '=', p.id)
    .where('s.expires_at', '>', p.now)
    // A suspended person's sessions stop working at once, and work again when it is lifted.
    .where('u.suspended_at', 'is', null),
)

/** The person a live session belongs to, unless suspended: one query, by primary key. */
export async function findSessionUser(db: Kysely<Database>, id: string, now: Date): Promise<UserRow | undefined> {
  return (await sessionUser(db, { id, now: now.toISOString() }))[0]
}

/**
 * Signs the person out on every browser ("sign out everywhere", a new password), or on every
 * browser but the one asking. The cookie names only a row, so once the rows go, so do the sessions.
 */
export async function deleteSessionsOf(db: Kysely<Database>, userId: number, exceptId: string | null = null): Promise<void> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId)
  if (exceptId) query = query.where('id', '!=', exceptId)
  await query.execute()
}

export async function countSessionsOf(db: Kysely<Database>, userId: number, now: Date): Promise<number> {
  const row = await db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('expires_at', '>', now.toISOString()).executeTakeFirstOrThrow()
  return Number(row.n)
}
