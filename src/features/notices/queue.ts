// Queueing notices inside the caller's transaction: the change and its notices commit or
// roll back together. People who turned the topic off, or have not confirmed their address,
// are left out here, once; mail about the account itself goes regardless.
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.js'
import { type Notice, TOPIC_OF } from './notices.js'
import { insertOutboxRows, optedOut, unconfirmed } from './outbox.queries.js'

/**
 * One message per person. `cause` names what happened and which version of it (say
 * "m12:s3", meetup 12 at sequence 3); with the kind and the person it is the idempotency
 * key, so queueing the same thing twice (a retried request, two workers' reminders) is harmless.
 */
export async function queueNotice(trx: Kysely<Database>, notice: Notice, userIds: readonly number[], cause: string, now: Date | string): Promise<void> {
  const unique = [...new Set(userIds)]
  if (!unique.length) return
  const topic = TOPIC_OF[notice.kind]
  const off = topic === 'account' ? new Set<number>() : new Set([...(await optedOut(trx, topic, unique)), ...(await unconfirmed(trx, unique))])
  const payload = JSON.stringify(notice)
  const rows = unique.filter((id) => !off.has(id)).map((id) => ({ idempotency_key: `${notice.kind}:${cause}:u${id}`, kind: notice.kind, user_id: id, payload }))
  await insertOutboxRows(trx, rows, typeof now === 'string' ? now : now.toISOString())
}
