// Day-before reminders. The outbox worker calls this about once a minute; each meetup that
// starts within a day is claimed by one UPDATE (reminded_for = its start), so with several
// processes exactly one queues its reminders, and a meetup moved to a new time is reminded
// again for that time.
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.js'
import { queueNotice } from '../notices/queue.js'

const DAY_MS = 86400000

export async function queueDueReminders(db: Kysely<Database>, now: Date): Promise<number> {
  const from = now.toISOString()
  const to = new Date(now.getTime() + DAY_MS).toISOString()
  const due = await db
    .selectFrom('meetups')
    .select(['id', 'starts_at'])
    .where('state', '=', 'scheduled')
    // Nobody is reminded of a meetup the moderators hid (issue 20).
    .where('hidden_at', 'is', null)
    .where('starts_at', '>', from)
    .where('starts_at', '<=', to)
    .where((eb) => eb.or([eb('reminded_for', 'is', null), eb('reminded_for', '!=', eb.ref('starts_at'))]))
    .execute()
  let queued = 0
  for (const { id, starts_at } of due) {
    queued += await db.transaction().execute(async (trx) => {
      const meetup = await trx
        .updateTable('meetups')
        .set({ reminded_for: starts_at })
        .where('id', '=', id)
        .where('starts_at', '=', starts_at)
        .where((eb) => eb.or([eb('reminded_for', 'is', null), eb('reminded_for', '!=', starts_at)]))
        .returningAll()
        .executeTakeFirst()
      if (!meetup) return 0 // another process got there first
      // Whoever first replied within the last day has just had a confirmation: no reminder on
      // top. (created_at: a party-size change since does not count as replying.)
      const dayBefore = new Date(Date.parse(starts_at) - DAY_MS).toISOString()
      const going = await trx.selectFrom('rsvps').select('user_id').where('meetup_id', '=', id).where('status', '=', 'going').where('created_at', '<=', dayBefore).execute()
      await queueNotice(trx, { kind: 'meetupReminder', meetup }, going.map((r) => r.user_id), `m${id}:${starts_at}`, now)
      return going.length
    })
  }
  return queued
}
