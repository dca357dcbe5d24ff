// Kysely only. Every function takes the executor first, so it works on `db` or inside a
// caller's transaction alike.
import type { Kysely } from 'kysely'
import type { Database, NewUser, Role, UserRow, UserUpdate } from '../../db/database.js'

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase()
}

export async function findUserById(db: Kysely<Database>, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findUserByEmail(db: Kysely<Database>, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', normaliseEmail(email)).executeTakeFirst()
}

export async function findUserByHandle(db: Kysely<Database>, handle: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('handle', '=', handle.toLowerCase()).executeTakeFirst()
}

export async function insertUser(db: Kysely<Database>, user: NewUser): Promise<UserRow> {
  return db
    .insertInto('users')
    .values({ ...user, email: user.email ? normaliseEmail(user.email) : null })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function updateUser(db: Kysely<Database>, id: number, changes: UserUpdate): Promise<void> {
  await db.updateTable('users').set(changes).where('id', '=', id).execute()
}

export async function setUserRole(db: Kysely<Database>, id: number, role: Role, now: string): Promise<boolean> {
  const result = await db.updateTable('users').set({ role, updated_at: now }).where('id', '=', id).executeTakeFirst()
  return result.numUpdatedRows > 0n
}

export async function listUsers(db: Kysely<Database>): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().orderBy('display_name').orderBy('id').execute()
}

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function isHandleTaken(db: Kysely<Database>, handle: string, exceptUserId: number): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('handle', '=', handle.toLowerCase())
    .where('id', '!=', exceptUserId)
    .executeTakeFirst()
  return row !== undefined
}

/**
 * Claims the "first admin" flag for this installation. Exactly one caller ever gets
 * true, even when two people sign up on an empty site at the same moment: the primary
 * key on site_settings decides, on both dialects.
 */
export async function claimFirstAdmin(db: Kysely<Database>, userId: number): Promise<boolean> {
  const claimed = await db
    .insertInto('site_settings')
    .values({ key: 'first_admin_user_id', value: String(userId) })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('key')
    .executeTakeFirst()
  return claimed !== undefined
}

/**
 * The person with the handle someone typed ("@ann" or "ann"), for adding co-hosts and
 * organisers. Handles only, never emails: an email box would let anyone find out who has
 * an account, and a handle is already public on its profile page.
 */
export async function findUserByTypedHandle(db: Kysely<Database>, typed: string): Promise<UserRow | undefined> {
  const handle = typed.trim().replace(/^@/, '')
  if (!/^[A-Za-z][A-Za-z0-9_-]{1,29}$/.test(handle)) return undefined
  return findUserByHandle(db, handle)
}
