// What happens once a provider (Mastodon, Bluesky) has proven who someone is: link the identity
// to the signed-in account, sign in the account it belongs to, or make a new account for it.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Kysely } from 'kysely'
import type { Database, OauthAttemptRow, UserRow } from '../../db/database.js'
import { isUniqueViolation } from '../../db/errors.js'
import { chosenLocale } from '../../plugins/i18n.js'
import { safeNextPath } from '../../plugins/auth.js'
import { startSession } from '../../plugins/session.js'
import { HANDLE_PATTERN } from '../people/people.schemas.js'
import { findUserById, insertUser, isHandleTaken } from '../accounts/users.queries.js'
import { findIdentity, linkIdentity, refreshIdentity, type ProvenIdentity } from './identities.queries.js'
import { problemPage } from './problem-page.js'

const MAX_DISPLAY_NAME = 100

export async function completeSignIn(db: Kysely<Database>, request: FastifyRequest, reply: FastifyReply, identity: ProvenIdentity, attempt: OauthAttemptRow): Promise<unknown> {
  const now = new Date()
  const known = await findIdentity(db, identity.provider, identity.subject)

  if (attempt.link_user_id !== null) {
    // Linking is for the person who asked, still signed in in this browser.
    if (request.currentUser?.id !== attempt.link_user_id) return problemPage(reply, 400, 'state', identity.provider, attempt.server)
    if (known && known.user_id !== attempt.link_user_id) return problemPage(reply, 409, 'ownedByAnother', identity.provider, attempt.server, identity.handle)
    if (known) {
      await refreshIdentity(db, known.id, identity, now)
      reply.flash('identities.alreadyLinked', { handle: identity.handle })
    } else {
      try {
        await linkIdentity(db, attempt.link_user_id, identity, now)
      } catch (error) {
        // Linked to someone else in the moment between the check and the insert.
        if (isUniqueViolation(error)) return problemPage(reply, 409, 'ownedByAnother', identity.provider, attempt.server, identity.handle)
        throw error
      }
      reply.flash('identities.linked', { handle: identity.handle })
    }
    return reply.redirect('/me/profile', 303)
  }

  let user: UserRow | undefined
  if (known) {
    user = await findUserById(db, known.user_id)
    if (!user) return problemPage(reply, 400, 'state', identity.provider, attempt.server)
    // As at password sign-in: a suspended account does not sign in, whatever proves who it is.
    if (user.suspended_at) return problemPage(reply, 403, 'suspended', identity.provider, attempt.server)
    await refreshIdentity(db, known.id, identity, now)
    await startSession(db, request, user.id, now)
    reply.flash('signIn.welcomeBack', { name: user.display_name })
  } else {
    user = await createAccountFor(db, identity, chosenLocale(request), now)
    await startSession(db, request, user.id, now)
    reply.flash('identities.welcome', { name: user.display_name, handle: identity.handle })
  }
  return reply.redirect(safeNextPath(attempt.next_path) ?? '/', 303)
}

/** A new account: named as at the provider, no email, no password; the identity is its way in. */
async function createAccountFor(db: Kysely<Database>, identity: ProvenIdentity, locale: string | null, now: Date): Promise<UserRow> {
  const username = identity.handle.split('@')[0] ?? ''
  const displayName = (identity.displayName?.trim() || username || identity.handle).slice(0, MAX_DISPLAY_NAME)
  const candidate = username.toLowerCase()
  const handle = new RegExp(HANDLE_PATTERN).test(candidate) && !(await isHandleTaken(db, candidate, 0)) ? candidate : null
  const stamp = now.toISOString()
  const create = (withHandle: string | null) =>
    db.transaction().execute(async (trx) => {
      const user = await insertUser(trx, { email: null, password_hash: null, display_name: displayName, handle: withHandle, locale, role: 'member', created_at: stamp, updated_at: stamp })
      await linkIdentity(trx, user.id, identity, now)
      return user
    })
  try {
    return await create(handle)
  } catch (error) {
    // Someone took the handle in the meantime: the account comes without one (set on the profile page).
    if (handle === null || !isUniqueViolation(error)) throw error
    return create(null)
  }
}
