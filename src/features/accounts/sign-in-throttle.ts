// Rate limits for sign-in and sign-up, counted in the database so that every app
// process sharing it enforces the same limit. A hit is recorded for each counted
// attempt; a bucket is limited when it has `max` hits inside `windowMs`.
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
  /** Failed sign-ins to one account, from anywhere: stops password guessing. */
  failedSignInsPerAccount: { max: 5, windowMs: FIFTEEN_MINUTES },
  /** New accounts from one address. */
  signUpsPerIp: { max: 10, windowMs: ONE_HOUR },
} satisfies Record<string, Limit>

export const buckets = {
  signInIp: (ip: string) => `sign-in:ip:${ip}`,
  signInAccount: (email: string) => `sign-in:account:${email.trim().toLowerCase()}`,
  signUpIp: (ip: string) => `sign-up:ip:${ip}`,
}

export async function isLimited(db: Kysely<Database>, bucket: string, limit: Limit, now: Date): Promise<boolean> {
  const since = new Date(now.getTime() - limit.windowMs).toISOString()
  const row = await db
    .selectFrom('rate_limit_hits')
    .select((eb) => eb.fn.countAll<number>().as('hits'))
    .where('bucket', '=', bucket)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow()
  return Number(row.hits) >= limit.max
}

export async function recordHit(db: Kysely<Database>, bucket: string, now: Date): Promise<void> {
  await db.insertInto('rate_limit_hits').values({ bucket, created_at: now.toISOString() }).execute()
  // Sweep what no window can still see; indexed on created_at, so this stays cheap.
  await db
    .deleteFrom('rate_limit_hits')
    .where('created_at', '<', new Date(now.getTime() - KEEP_HITS_FOR).toISOString())
    .execute()
}

export async function clearBucket(db: Kysely<Database>, bucket: string): Promise<void> {
  await db.deleteFrom('rate_limit_hits').where('bucket', '=', bucket).execute()
}
