import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Role, UserRow } from '../db/database.js'
import { ForbiddenError } from '../lib/http-errors.js'
import { findSessionUser } from '../features/accounts/sessions.queries.js'
import { sessionId } from './session.js'

export type CurrentUser = Pick<UserRow, 'id' | 'display_name' | 'handle' | 'role' | 'email' | 'locale' | 'email_verified_at' | 'time_zone'>

declare module 'fastify' {
  interface FastifyRequest {
    currentUser: CurrentUser | null
  }
}

/** Loads the signed-in person (one primary-key lookup) for every request that has a session. */
export default fp(
  async (app) => {
    app.decorateRequest('currentUser', null)
    app.addHook('onRequest', async (request) => {
      const id = sessionId(request)
      if (id === null) return
      const user = await findSessionUser(app.db, id, new Date())
      // A session that was ended, has expired or names a deleted account is signed out.
      request.currentUser = user
        ? { id: user.id, display_name: user.display_name, handle: user.handle, role: user.role, email: user.email, locale: user.locale, email_verified_at: user.email_verified_at, time_zone: user.time_zone }
        : null
    })
  },
  { name: 'auth', dependencies: ['db', 'session'] },
)

/**
 * Only same-site paths may be a redirect target, so ?next= cannot send people elsewhere.
 * Browsers drop tabs and newlines and read a backslash as a slash, so "/\t/evil.example"
 * would become "//evil.example": any control character, space or backslash is refused,
 * and what is left must resolve to this site.
 */
export function safeNextPath(next: unknown): string | null {
  if (typeof next !== 'string' || next.length > 2000 || !next.startsWith('/')) return null
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\s\\]/.test(next) || next.startsWith('//')) return null
  const base = 'https://hashcamp.invalid'
  const resolved = new URL(next, base)
  // Dot segments are resolved only now: "/.//evil.example" and "/x/../..//evil.example" become
  // the path "//evil.example", which a browser reads as another host. Check what is returned.
  if (resolved.origin !== base || resolved.pathname.startsWith('//')) return null
  return resolved.pathname + resolved.search + resolved.hash
}

/** The path of the page a form was posted from, when the Referer names one and can be read. */
function refererPath(referer: string | undefined): string {
  if (!referer) return '/'
  try {
    return new URL(referer, 'http://x').pathname
  } catch {
    // A malformed Referer ("http://[") is the client's problem, not a reason for a 500.
    return '/'
  }
}

/** preHandler: pages for signed-in people send everyone else to sign in, then back. */
export async function requireSignIn(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.currentUser) return
  const back = request.method === 'GET' ? request.url : refererPath(request.headers.referer)
  return reply.redirect(`/sign-in?next=${encodeURIComponent(safeNextPath(back) ?? '/')}`, 303)
}

const RANK: Record<Role, number> = { member: 0, organiser: 1, admin: 2 }

export function hasRole(user: CurrentUser | null, role: Role): boolean {
  return user !== null && RANK[user.role] >= RANK[role]
}

/** preHandler factory: signed in and at least `role`, or a 403 page that says so. */
export function requireRole(role: Role) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!request.currentUser) return requireSignIn(request, reply)
    if (!hasRole(request.currentUser, role)) throw new ForbiddenError(`requires role ${role}`)
  }
}
