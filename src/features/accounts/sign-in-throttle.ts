// Rate limits for sign-in and sign-up, counted in the database so that every app
// process sharing it enforces the same limit. Every attempt is recorded *before* it is
// checked (insert, then count): of any number of attempts arriving at once, at most
// `max` can find themselves within the limit, so parallel guessing gains nothing.
//
// Failed sign-ins are counted three ways, so that nobody can lock the owner out of their
// account and guessing stays slow: per address (offices share one), per account from one
// address (the owner's own address is never limited by another's guesses), and per account
// from browsers that have never signed in to it (known-devices.ts): a ceiling on guesses
// spread over many addresses that the owner's own browser does not count towards.
import crypto from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.js'

export interface Limit {
  max: number
  windowMs: number
}

const FIFTEEN_MINUTES = 15 * 60 * 1000
const ONE_HOUR = 60 * 60 * 1000
const KEEP_HITS_FOR = 24 * ONE_HOUR

export const LIMITS = {
  /** Failed sign-ins from one address: generous, offices share one public IP. */
  failedSignInsPerIp: { max: 30, windowMs: FIFTEEN_MINUTES },
  /** Failed sign-ins to one account from one address: stops guessing from there. */
  failedSignInsPerAccountFromIp: { max: 5, windowMs: FIFTEEN_MINUTES },
  /** Failed sign-ins to one account from browsers it has never signed in on: stops guessing spread over many addresses. */
  failedSignInsPerAccount: { max: 50, windowMs: FIFTEEN_MINUTES },
  /** Sign-up attempts from one address (every attempt, so probing for taken emails is limited too). */
  signUpsPerIp: { max: 20, windowMs: ONE_HOUR },
  /** Sign-ins started at a Mastodon or Bluesky server from one address: each makes requests to a server someone named. */
  remoteSignInsPerIp: { max: 30, windowMs: FIFTEEN_MINUTES },
  /** Password-reset requests from one address: each one may send an email. */
  passwordResetsPerIp: { max: 10, windowMs: ONE_HOUR },
  /** Reset emails to one account, whoever asks: nobody can fill an inbox with them. */
  passwordResetsPerAccount: { max: 3, windowMs: ONE_HOUR },
  /** Confirmation emails one account can ask for (to its own or a new address). */
  confirmationEmailsPerAccount: { max: 5, windowMs: ONE_HOUR },
} satisfies Record<string, Limit>

/**
 * Accounts are counted under a one-way digest of the address, never the address itself: the
 * throttle must not keep an address (docs/privacy.md), not even one tried after its account
 * was deleted.
 */
export function addressDigest(email: string): string {
  return crypto.createHash('sha256').update(email.trim().toLowerCase()).digest('base64url')
}

export const buckets = {
  signInIp: (ip: string) => `sign-in:ip:${ip}`,
  signInAccount: (email: string) => `sign-in:account:${addressDigest(email)}`,
  signInAccountFromIp: (email: string, ip: string) => `sign-in:account-ip:${ip}:${addressDigest(email)}`,
  signUpIp: (ip: string) => `sign-up:ip:${ip}`,
  remoteSignInIp: (ip: string) => `remote-sign-in:ip:${ip}`,
  passwordResetIp: (ip: string) => `password-reset:ip:${ip}`,
  passwordResetAccount: (userId: number) => `password-reset:account:${userId}`,
  confirmationEmails: (userId: number) => `confirm-email:account:${userId}`,
}

export interface Attempt {
  /** True when this attempt is over the limit and must be refused. */
  limited: boolean
  /** The recorded hit, to forget again if the attempt turns out to be fine. */
  hitId: number
}

/** Records one attempt in `bucket`, then says whether it is over `limit`. */
export async function recordAttempt(db: Kysely<Database>, bucket: string, limit: Limit, now: Date): Promise<Attempt> {
  const hit = await db.insertInto('rate_limit_hits').values({ bucket, created_at: now.toISOString() }).returning('id').executeTakeFirstOrThrow()
  const since = new Date(now.getTime() - limit.windowMs).toISOString()
  const row = await db
    .selectFrom('rate_limit_hits')
    .select((eb) => eb.fn.countAll<number>().as('hits'))
    .where('bucket', '=', bucket)
    .where('created_at', '>', since)
    .where('id', '<=', hit.id)
    .executeTakeFirstOrThrow()
  // Sweep what no window can still see; indexed on created_at, so this stays cheap.
  await db.deleteFrom('rate_limit_hits').where('created_at', '<', new Date(now.getTime() - KEEP_HITS_FOR).toISOString()).execute()
  return { limited: Number(row.hits) > limit.max, hitId: hit.id }
}

export async function forgetAttempt(db: Kysely<Database>, hitId: number): Promise<void> {
  await db.deleteFrom('rate_limit_hits').where('id', '=', hitId).execute()
}

export async function clearBucket(db: Kysely<Database>, bucket: string): Promise<void> {
  await db.deleteFrom('rate_limit_hits').where('bucket', '=', bucket).execute()
}
