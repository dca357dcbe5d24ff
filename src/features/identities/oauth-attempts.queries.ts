import crypto from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database, IdentityProvider, OauthAttemptRow } from '../../db/database.js'

/** Long enough to read a consent page and sign in at the server; short enough that a leaked state soon dies. */
export const ATTEMPT_LIFETIME_MS = 10 * 60 * 1000

export interface NewAttempt {
  provider: IdentityProvider
  server: string
  codeVerifier: string
  linkUserId: number | null
  nextPath: string | null
  dpopPrivateJwk?: string | null
  expectedSubject?: string | null
}

/** Starts a sign-in; returns the row with its random state (32 bytes, base64url). Sweeps old ones. */
export async function createAttempt(db: Kysely<Database>, attempt: NewAttempt, now: Date): Promise<OauthAttemptRow> {
  await db.deleteFrom('oauth_attempts').where('expires_at', '<', new Date(now.getTime() - ATTEMPT_LIFETIME_MS).toISOString()).execute()
  return db
    .insertInto('oauth_attempts')
    .values({
      state: crypto.randomBytes(32).toString('base64url'),
      provider: attempt.provider,
      server: attempt.server,
      code_verifier: attempt.codeVerifier,
      link_user_id: attempt.linkUserId,
      next_path: attempt.nextPath,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + ATTEMPT_LIFETIME_MS).toISOString(),
      used_at: null,
      dpop_private_jwk: attempt.dpopPrivateJwk ?? null,
      dpop_nonce: null,
      expected_subject: attempt.expectedSubject ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function findAttemptByState(db: Kysely<Database>, state: string): Promise<OauthAttemptRow | undefined> {
  return db.selectFrom('oauth_attempts').selectAll().where('state', '=', state).executeTakeFirst()
}

/** Claims the attempt for this callback: true once, false for every other (a replay, a second tab). */
export async function useAttempt(db: Kysely<Database>, id: number, now: Date): Promise<boolean> {
  const result = await db.updateTable('oauth_attempts').set({ used_at: now.toISOString() }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

export async function setAttemptDpopNonce(db: Kysely<Database>, id: number, nonce: string): Promise<void> {
  await db.updateTable('oauth_attempts').set({ dpop_nonce: nonce }).where('id', '=', id).execute()
}
