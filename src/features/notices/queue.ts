// Queueing notices inside the caller's transaction: the change and its notices commit or
// roll back together. People who turned the topic off, or have not confirmed their address,
// are left out here, once; mail about the account itself goes regardless.
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.js'
import { type Notice, type NoticeKind, TOPIC_OF } from './notices.js'
import { insertOutboxRows, mayHearOne, optedOut, unconfirmed, withAddress } from './outbox.queries.js'

/** Of these people, those a notice of this kind may go to (topic switched on, address confirmed). */
export async function whoMayHear(db: Kysely<Database>, kind: NoticeKind, userIds: readonly number[]): Promise<Set<number>> {
  const unique = [...new Set(userIds)]
  const topic = TOPIC_OF[kind]
  if (!unique.length) return new Set()
  // An account signed up through Mastodon or Bluesky may have no address: account mail skips
  // it, except the confirmation of the address being added, which names its own.
  if (topic === 'account') return kind === 'verifyEmail' ? new Set(unique) : new Set(await withAddress(db, unique))
  // One person (a reply's own notice): one statement rather than two.
  if (unique.length === 1) return (await mayHearOne(db, topic, unique[0]!)) ? new Set(unique) : new Set()
  const off = new Set([...(await optedOut(db, topic, unique)), ...(await unconfirmed(db, unique))])
  return new Set(unique.filter((id) => !off.has(id)))
}

const idempotencyKey = (notice: Notice, cause: string, userId: number) => `${notice.kind}:${cause}:u${userId}`

/**
 * One message per person. `cause` names what happened and which version of it (say
 * "m12:s3", meetup 12 at sequence 3); with the kind and the person it is the idempotency
 * key, so queueing the same thing twice (a retried request, two workers' reminders) is harmless.
 */
export async function queueNotice(trx: Kysely<Database>, notice: Notice, userIds: readonly number[], cause: string, now: Date | string): Promise<void> {
  if (!userIds.length) return
  const hearing = await whoMayHear(trx, notice.kind, userIds)
  const payload = JSON.stringify(notice)
  const rows = [...hearing].map((id) => ({ idempotency_key: idempotencyKey(notice, cause, id), kind: notice.kind, user_id: id, payload }))
  await insertOutboxRows(trx, rows, typeof now === 'string' ? now : now.toISOString())
}

/**
 * Several notices, each to one person with its own cause, in one insert, to people the caller
 * has already passed through whoMayHear: it may ask before taking a lock, so that the lock is
 * not held while asking (the RSVP storm, rsvps.service.ts).
 */
export async function queueEachNotice(trx: Kysely<Database>, entries: readonly { notice: Notice; userId: number; cause: string }[], now: string): Promise<void> {
  const rows = entries.map(({ notice, userId, cause }) => ({ idempotency_key: idempotencyKey(notice, cause, userId), kind: notice.kind, user_id: userId, payload: JSON.stringify(notice) }))
  await insertOutboxRows(trx, rows, now)
}
