// Getting back in and keeping the account's address true: password reset, confirming an
// email address (at sign-up and on change), changing the password, signing out everywhere.
// Each change and the email it causes commit together (the outbox is in the same transaction).
import type { Kysely } from 'kysely'
import type { AccountLinkRow, Database, UserRow } from '../../db/database.js'
import { isUniqueViolation } from '../../db/errors.js'
import { queueNotice } from '../notices/queue.js'
import { createLink, factsOf, retireLinks, useLink } from './account-links.js'
import { hashPassword, verifyPassword } from './passwords.js'
import { deleteSessionsOf } from './sessions.queries.js'
import { LIMITS, buckets, clearBucket, recordAttempt } from './sign-in-throttle.js'
import { findUserByEmail, findUserById, normaliseEmail } from './users.queries.js'

/**
 * Emails a reset link when the address has an account (not suspended), and does nothing otherwise: the
 * caller answers the same either way. Past the per-account limit nothing more is sent,
 * silently, so the answer does not change then either.
 */
export async function requestPasswordReset(db: Kysely<Database>, email: string, now: Date, options: { rateLimits: boolean }): Promise<void> {
  const user = await findUserByEmail(db, email)
  // A suspended account cannot sign in whatever its password, so a reset link would only mislead.
  if (!user || user.suspended_at) return
  if (options.rateLimits && (await recordAttempt(db, buckets.passwordResetAccount(user.id), LIMITS.passwordResetsPerAccount, now)).limited) return
  await db.transaction().execute(async (trx) => {
    const link = await createLink(trx, user.id, 'reset', null, now)
    await queueNotice(trx, { kind: 'passwordReset', link: factsOf(link) }, [user.id], `link${link.id}`, now)
  })
}

/**
 * Sets a new password from a checked reset link. Returns the account, or null when the link
 * was used in the meantime (two tabs, two clicks: only one wins). Every session of the
 * account ends, other reset links die, and the sign-in throttle forgets the account's misses.
 */
export async function resetPassword(db: Kysely<Database>, link: AccountLinkRow, password: string, now: Date): Promise<UserRow | null> {
  const passwordHash = await hashPassword(password)
  return db.transaction().execute(async (trx) => {
    if (!(await useLink(trx, link.id, now))) return null
    const user = await findUserById(trx, link.user_id)
    if (!user) return null
    const stamp = now.toISOString()
    // The link came to this address, so the address is proven too.
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, email_verified_at: user.email_verified_at ?? stamp, updated_at: stamp })
      .where('id', '=', user.id)
      .execute()
    await retireLinks(trx, user.id, 'reset', now)
    await deleteSessionsOf(trx, user.id)
    if (user.email) await clearBucket(trx, buckets.signInAccount(user.email))
    await queueNotice(trx, { kind: 'passwordChanged' }, [user.id], `reset${link.id}`, now)
    return user
  })
}

/**
 * Emails a confirmation link to `email`: the account's own address (sign-up, "send it
 * again") or the one it is changing to. Any earlier confirmation link stops working, so
 * only the latest address asked for can be confirmed. Runs in the caller's transaction.
 */
export async function sendConfirmation(trx: Kysely<Database>, user: Pick<UserRow, 'id' | 'email'>, email: string, now: Date): Promise<void> {
  await retireLinks(trx, user.id, 'verify', now)
  const to = normaliseEmail(email)
  const link = await createLink(trx, user.id, 'verify', to, now)
  await queueNotice(trx, { kind: 'verifyEmail', link: factsOf(link), to, change: to !== user.email }, [user.id], `link${link.id}`, now)
}

export type ConfirmResult = { ok: true; changedFrom: string | null } | { ok: false; problem: 'used' | 'taken' }

/**
 * Confirms the address a checked link was sent to. For the account's own address that marks
 * it confirmed; for a new one it becomes the account's address, and the old address is told.
 */
export async function confirmEmail(db: Kysely<Database>, link: AccountLinkRow, now: Date): Promise<ConfirmResult> {
  const email = link.email ?? ''
  try {
    return await db.transaction().execute(async (trx): Promise<ConfirmResult> => {
      if (!(await useLink(trx, link.id, now))) return { ok: false, problem: 'used' }
      const user = await findUserById(trx, link.user_id)
      if (!user) return { ok: false, problem: 'used' }
      const stamp = now.toISOString()
      if (email === user.email) {
        await trx.updateTable('users').set({ email_verified_at: user.email_verified_at ?? stamp }).where('id', '=', user.id).execute()
        return { ok: true, changedFrom: null }
      }
      const holder = await findUserByEmail(trx, email)
      if (holder) return { ok: false, problem: 'taken' }
      await trx.updateTable('users').set({ email, email_verified_at: stamp, updated_at: stamp }).where('id', '=', user.id).execute()
      // Reset links went to the old address: they must not open the account any more.
      await retireLinks(trx, user.id, 'reset', now)
      // An account that had no address (made through Mastodon or Bluesky) has nobody to tell.
      if (user.email) await queueNotice(trx, { kind: 'emailChanged', to: user.email, newEmail: email }, [user.id], `link${link.id}`, now)
      return { ok: true, changedFrom: user.email }
    })
  } catch (error) {
    // Someone signed up with the address between the check and the update.
    if (isUniqueViolation(error)) return { ok: false, problem: 'taken' }
    throw error
  }
}

export type ChangeEmailResult = { ok: true; email: string } | { ok: false; field: 'email' | 'currentPasswordForEmail'; key: string }

/**
 * Starts a change of address: the current password, then a link to the new address. An account
 * without a password (made through Mastodon or Bluesky) has only its session to show, and adds
 * its first address the same way.
 */
export async function requestEmailChange(db: Kysely<Database>, userId: number, newEmail: string, currentPassword: string | undefined, now: Date): Promise<ChangeEmailResult> {
  const user = await findUserById(db, userId)
  if (!user) return { ok: false, field: 'currentPasswordForEmail', key: 'account.password.wrong' }
  if (user.password_hash !== null && !(await verifyPassword(currentPassword ?? '', user.password_hash))) {
    return { ok: false, field: 'currentPasswordForEmail', key: currentPassword ? 'account.password.wrong' : 'account.password.currentRequired' }
  }
  const email = normaliseEmail(newEmail)
  if (email === user.email) return { ok: false, field: 'email', key: 'account.email.same' }
  if (await findUserByEmail(db, email)) return { ok: false, field: 'email', key: 'account.email.taken' }
  await db.transaction().execute((trx) => sendConfirmation(trx, user, email, now))
  return { ok: true, email }
}

/**
 * Changes the password when the current one is right. The browser asking stays signed in;
 * every other session ends, since a changed password is usually about someone else having it.
 */
export async function changePassword(db: Kysely<Database>, userId: number, currentPassword: string, newPassword: string, keepSessionId: string | null, now: Date): Promise<boolean> {
  const user = await findUserById(db, userId)
  if (!user || !(await verifyPassword(currentPassword, user.password_hash))) return false
  const passwordHash = await hashPassword(newPassword)
  await db.transaction().execute(async (trx) => {
    const stamp = now.toISOString()
    await trx.updateTable('users').set({ password_hash: passwordHash, updated_at: stamp }).where('id', '=', user.id).execute()
    await retireLinks(trx, user.id, 'reset', now)
    await deleteSessionsOf(trx, user.id, keepSessionId)
    await queueNotice(trx, { kind: 'passwordChanged' }, [user.id], `change${stamp}`, now)
  })
  return true
}

/** The address a change is waiting to be confirmed at, if any. */
export async function pendingEmailChange(db: Kysely<Database>, user: Pick<UserRow, 'id' | 'email'>, now: Date): Promise<string | null> {
  const link = await db
    .selectFrom('account_links')
    .select('email')
    .where('user_id', '=', user.id)
    .where('purpose', '=', 'verify')
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .orderBy('id', 'desc')
    .executeTakeFirst()
  return link?.email && link.email !== user.email ? link.email : null
}
