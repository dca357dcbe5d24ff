import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import secureSession from '@fastify/secure-session'
import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { usesHttps, type Config } from '../config.js'
import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import { createSession, deleteSession } from '../features/accounts/sessions.queries.js'
import type { Flash } from './flash.js'

const KEY_BYTES = 32
const THIRTY_DAYS_IN_SECONDS = 30 * 24 * 60 * 60
declare module '@fastify/secure-session' {
  interface SessionData {
    sessionId: string
    flash: Flash
    _csrf: string
  }
}

export const SESSION_COOKIE = 'hashcamp_session'

/**
 * The session lives in the cookie itself, encrypted and authenticated (libsodium
 * secretbox), so any number of app processes can read it with the same key and no
 * session table. The key comes from SESSION_SECRET, or is generated once and kept in
 * the data folder, so restarts do not sign everybody out.
 */
export function sessionKey(config: Pick<Config, 'sessionSecret' | 'dataDir'>): Buffer {
  if (config.sessionSecret) {
    return Buffer.from(crypto.hkdfSync('sha256', config.sessionSecret, 'hashcamp', 'session-cookie', KEY_BYTES))
  }
  const file = path.join(config.dataDir, 'session.key')
  try {
    const stored = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex')
    if (stored.length === KEY_BYTES) return stored
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const key = crypto.randomBytes(KEY_BYTES)
  fs.mkdirSync(config.dataDir, { recursive: true })
  fs.writeFileSync(file, key.toString('hex'), { mode: 0o600 })
  return key
}

export default fp<{ config: Config }>(
  async (app, { config }) => {
    await app.register(secureSession, {
      key: sessionKey(config),
      cookieName: SESSION_COOKIE,
      expiry: THIRTY_DAYS_IN_SECONDS,
      cookie: {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: usesHttps(config),
        maxAge: THIRTY_DAYS_IN_SECONDS,
      },
    })
  },
  { name: 'session' },
)

/** The id of the server-side session row this cookie points to, or null. */
export function sessionId(request: FastifyRequest): string | null {
  const id: unknown = request.session?.get('sessionId')
  return typeof id === 'string' && /^[0-9a-f]{32}$/.test(id) ? id : null
}

/**
 * Signs a person in: a new session row, and a regenerated cookie that names only it, so a
 * session (and CSRF secret) from before sign-in is never carried over.
 */
export async function startSession(db: Kysely<Database>, request: FastifyRequest, userId: number, now: Date): Promise<void> {
  const id = await createSession(db, userId, now)
  request.session.regenerate()
  request.session.set('sessionId', id)
}

/**
 * Signs out: the session row is deleted, so a copy of the cookie is worthless, and the
 * cookie becomes a fresh, empty session (not a deleted one, so a flash message can ride on it).
 */
export async function endSession(db: Kysely<Database>, request: FastifyRequest): Promise<void> {
  const id = sessionId(request)
  if (id) await deleteSession(db, id)
  request.session.regenerate()
}
