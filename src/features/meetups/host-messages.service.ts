// A host's short message to everyone going. Rate-limited per meetup, so a meetup cannot
// become a mailing list: three in any 24 hours.
import type { Kysely } from 'kysely'
import type { Database, MeetupRow } from '../../db/database.js'
import { queueNotice } from '../notices/queue.js'
import { rsvpUserIds } from './meetups.queries.js'

export const HOST_MESSAGES_PER_DAY = 3
export const HOST_MESSAGE_MAX_LENGTH = 2000
const DAY_MS = 86400000

export type HostMessageResult = { ok: true; recipients: number } | { ok: false; nextAllowedAt: string }

export async function sendHostMessage(db: Kysely<Database>, meetup: MeetupRow, sender: { id: number; display_name: string }, body: string, now: Date): Promise<HostMessageResult> {
  const stamp = now.toISOString()
  return db.transaction().execute(async (trx) => {
    // Takes the meetup's row lock (an update that changes nothing) so two hosts posting at
    // once are counted one after the other and the limit holds exactly.
    await trx.updateTable('meetups').set((eb) => ({ reminded_for: eb.ref('reminded_for') })).where('id', '=', meetup.id).execute()
    const recent = await trx
      .selectFrom('meetup_messages')
      .select('created_at')
      .where('meetup_id', '=', meetup.id)
      .where('created_at', '>', new Date(now.getTime() - DAY_MS).toISOString())
      .orderBy('created_at')
      .execute()
    if (recent.length >= HOST_MESSAGES_PER_DAY) {
      return { ok: false, nextAllowedAt: new Date(Date.parse(recent[recent.length - HOST_MESSAGES_PER_DAY]!.created_at) + DAY_MS).toISOString() }
    }
    const going = (await rsvpUserIds(trx, meetup.id, 'going')).filter((id) => id !== sender.id)
    const saved = await trx
      .insertInto('meetup_messages')
      .values({ meetup_id: meetup.id, sender_id: sender.id, body, recipients: going.length, created_at: stamp })
      .returning('id')
      .executeTakeFirstOrThrow()
    await queueNotice(trx, { kind: 'hostMessage', meetup: { slug: meetup.slug, title: meetup.title }, from: sender.display_name, body, messageId: saved.id }, going, `msg${saved.id}`, stamp)
    return { ok: true, recipients: going.length }
  })
}

export async function listHostMessages(db: Kysely<Database>, meetupId: number): Promise<{ body: string; recipients: number; created_at: string; sender: string }[]> {
  return db
    .selectFrom('meetup_messages as m')
    .innerJoin('users as u', 'u.id', 'm.sender_id')
    .select(['m.body', 'm.recipients', 'm.created_at', 'u.display_name as sender'])
    .where('m.meetup_id', '=', meetupId)
    .where('m.hidden_at', 'is', null)
    .orderBy('m.id', 'desc')
    .limit(20)
    .execute()
}
