// "Delete my account": what leaves with a person, and what stays without them. The facts and
// the reasons are written for people in docs/privacy.md and on /privacy; keep all three together.
//
// The users row itself is deleted: every reference to it either goes with it (sessions,
// memberships, votes, stars, RSVPs, emails to them) or is set to null (their proposals and
// topics, what they created), and a null author reads "a former member" wherever a name was
// shown. Nothing is left from which their address or name could be read back. Everything is
// done explicitly here rather than left to ON DELETE: seats must be handed to the waitlist,
// and the throttle and outbox hold their address in places no foreign key reaches.
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../../db/database.js'
import { RefusedError } from '../../lib/http-errors.js'
import { OPEN_STATES, phaseAllows } from '../events/phases.js'
import { cancelMeetupIn } from '../meetups/meetups.service.js'
import { removeLeaversRsvp } from '../meetups/rsvps.service.js'
import { addressDigest } from './sign-in-throttle.js'

export interface ErasureChoice {
  /** Withdraw the proposals and chat topics they may still withdraw, rather than keep them as "a former member"'s. */
  withdrawContent: boolean
}

export interface ErasureResult {
  /** Events whose pages and feeds named them: their live topic must be announced (feeds rebuilt). */
  eventIds: number[]
  /** Upcoming meetups only they hosted, now cancelled (attendees were told). */
  cancelledMeetupIds: number[]
}

/**
 * Deletes the account `userId` in one transaction, then the mail folder's copies of emails to
 * them (`mailDir`, when mail goes to a folder). Refused for the only admin: the site would
 * have nobody left to run it.
 */
export async function deleteAccount(db: Kysely<Database>, userId: number, choice: ErasureChoice, now: Date, mailDir?: string): Promise<ErasureResult> {
  const { email, result } = await db.transaction().execute(async (trx) => eraseInTransaction(trx, userId, choice, now))
  if (mailDir && email) await forgetStoredMail(mailDir, email)
  return result
}

async function eraseInTransaction(trx: Transaction<Database>, userId: number, choice: ErasureChoice, now: Date): Promise<{ email: string | null; result: ErasureResult }> {
  const stamp = now.toISOString()
  const user = await trx.selectFrom('users').select(['id', 'email', 'display_name', 'role']).where('id', '=', userId).executeTakeFirst()
  if (!user) throw new RefusedError('erasure.refused.gone')
  if (user.role === 'admin') {
    const others = await trx.selectFrom('users').select('id').where('role', '=', 'admin').where('id', '!=', userId).executeTakeFirst()
    if (!others) throw new RefusedError('erasure.refused.lastAdmin')
  }

  // Upcoming meetups nobody else hosts are called off first, with the usual notices, so nobody
  // on their waitlist is promoted into a meetup that is about to be cancelled.
  const hosted = await trx
    .selectFrom('meetup_hosts as h')
    .innerJoin('meetups as m', 'm.id', 'h.meetup_id')
    .select(['m.id', 'm.state', 'm.starts_at'])
    .where('h.user_id', '=', userId)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('meetup_hosts as o').select('o.user_id').whereRef('o.meetup_id', '=', 'm.id').where('o.user_id', '!=', userId))))
    .execute()
  const cancelledMeetupIds: number[] = []
  for (const meetup of hosted) {
    if (meetup.state !== 'scheduled' || meetup.starts_at <= stamp) continue
    await cancelMeetupIn(trx, meetup.id, now)
    cancelledMeetupIds.push(meetup.id)
  }

  // Seats go to the waitlist exactly as when someone says "not going".
  const rsvps = await trx.selectFrom('rsvps').select('meetup_id').where('user_id', '=', userId).orderBy('meetup_id').execute()
  for (const { meetup_id } of rsvps) await removeLeaversRsvp(trx, meetup_id, userId, now)
  // What they told hosts in answer to their questions (dietary, access needs) goes with them.
  await trx.deleteFrom('meetup_answers').where('user_id', '=', userId).execute()

  const eventIds = new Set<number>()
  const proposals = await trx
    .selectFrom('proposals as p')
    .innerJoin('events as e', 'e.id', 'p.event_id')
    .select(['p.id', 'p.state', 'p.event_id', 'e.phase'])
    .where((eb) => eb.or([eb('p.proposer_id', '=', userId), eb('p.id', 'in', eb.selectFrom('proposal_hosts').select('proposal_id').where('user_id', '=', userId))]))
    .execute()
  for (const proposal of proposals) eventIds.add(proposal.event_id)
  if (choice.withdrawContent) {
    // What they could withdraw themselves today; a session already on the grid or decided is
    // the organisers' to change, so it stays, by "a former member".
    const withdrawable = proposals.filter((p) => OPEN_STATES.includes(p.state) && phaseAllows(p.phase, 'withdraw')).map((p) => p.id)
    if (withdrawable.length) {
      await trx.updateTable('proposals').set({ state: 'withdrawn', queue_position: null, updated_at: stamp }).where('id', 'in', withdrawable).where('proposer_id', '=', userId).execute()
    }
    // Topics not yet talked about go; a topic a chat has covered is part of its record.
    await trx.deleteFrom('topic_votes').where('topic_id', 'in', (eb) => eb.selectFrom('topics').select('id').where('proposed_by', '=', userId).where('done', '=', 0)).execute()
    await trx.deleteFrom('topics').where('proposed_by', '=', userId).where('done', '=', 0).execute()
  }
  const organised = await trx.selectFrom('event_organisers').select('event_id').where('user_id', '=', userId).execute()
  for (const { event_id } of organised) eventIds.add(event_id)

  await trx.updateTable('proposals').set({ proposer_id: null, updated_at: stamp }).where('proposer_id', '=', userId).execute()
  await trx.updateTable('topics').set({ proposed_by: null }).where('proposed_by', '=', userId).execute()
  await trx.updateTable('communities').set({ created_by: null }).where('created_by', '=', userId).execute()
  await trx.updateTable('events').set({ created_by: null }).where('created_by', '=', userId).execute()
  await trx.updateTable('meetups').set({ created_by: null }).where('created_by', '=', userId).execute()
  await trx.updateTable('host_invitations').set({ invited_by: null }).where('invited_by', '=', userId).execute()

  // proposal_votes has triggers that keep proposals.vote_count; deleting the rows keeps it true.
  await trx.deleteFrom('proposal_votes').where('user_id', '=', userId).execute()
  await trx.deleteFrom('topic_votes').where('user_id', '=', userId).execute()
  await trx.deleteFrom('stars').where('user_id', '=', userId).execute()
  await trx.deleteFrom('proposal_hosts').where('user_id', '=', userId).execute()
  await trx.deleteFrom('meetup_hosts').where('user_id', '=', userId).execute()
  await trx.deleteFrom('event_organisers').where('user_id', '=', userId).execute()
  await trx.deleteFrom('community_members').where('user_id', '=', userId).execute()
  await trx.deleteFrom('host_invitations').where('user_id', '=', userId).execute()

  // Messages they sent as a host: attendees already have them by email. The copies still to be
  // sent keep the message but no longer name them.
  const sent = await trx.selectFrom('meetup_messages as m').innerJoin('meetups as mt', 'mt.id', 'm.meetup_id').select('mt.slug').where('m.sender_id', '=', userId).execute()
  const slugs = new Set(sent.map((s) => s.slug))
  if (slugs.size) {
    const queued = await trx.selectFrom('outbox').select(['id', 'payload']).where('kind', '=', 'hostMessage').where('user_id', '!=', userId).execute()
    for (const row of queued) {
      const payload = JSON.parse(row.payload) as { meetup?: { slug?: string }; from?: string }
      if (!payload.meetup?.slug || !slugs.has(payload.meetup.slug) || payload.from !== user.display_name) continue
      await trx.updateTable('outbox').set({ payload: JSON.stringify({ ...payload, from: '' }) }).where('id', '=', row.id).execute()
    }
  }
  await trx.deleteFrom('meetup_messages').where('sender_id', '=', userId).execute()

  await trx.deleteFrom('outbox').where('user_id', '=', userId).execute()
  await trx.deleteFrom('email_opt_outs').where('user_id', '=', userId).execute()
  await trx.deleteFrom('calendar_tokens').where('user_id', '=', userId).execute()
  await trx.deleteFrom('sessions').where('user_id', '=', userId).execute()
  if (user.email) await forgetThrottle(trx, user.email)
  await trx.deleteFrom('users').where('id', '=', userId).execute()
  return { email: user.email, result: { eventIds: [...eventIds], cancelledMeetupIds } }
}

/**
 * The sign-in throttle counts failures per account under buckets that end in a digest of the
 * address (rows written before that ended in the address itself): both go. Matched exactly
 * here, since an address or digest may hold LIKE's wildcards.
 */
async function forgetThrottle(trx: Transaction<Database>, email: string): Promise<void> {
  const endings = [`:${addressDigest(email)}`, `:${email}`]
  const perAccount = await trx.selectFrom('rate_limit_hits').select(['id', 'bucket']).where('bucket', 'like', 'sign-in:account%').execute()
  const ids = perAccount.filter((hit) => endings.some((ending) => hit.bucket.endsWith(ending))).map((hit) => hit.id)
  for (let i = 0; i < ids.length; i += 500) await trx.deleteFrom('rate_limit_hits').where('id', 'in', ids.slice(i, i + 500)).execute()
}

/**
 * Without SMTP every email is kept as <stem>.eml with a <stem>.json summary: both go for any
 * message that names the address (to them, or quoting it).
 */
export async function forgetStoredMail(mailDir: string, email: string): Promise<number> {
  let names: string[]
  try {
    names = await fs.readdir(mailDir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0
    throw error
  }
  const needle = email.toLowerCase()
  const stems = new Set<string>()
  for (const name of names) {
    if (!name.endsWith('.eml') && !name.endsWith('.json')) continue
    const content = await fs.readFile(path.join(mailDir, name), 'utf8').catch(() => '')
    if (content.toLowerCase().includes(needle)) stems.add(name.replace(/\.(eml|json)$/, ''))
  }
  for (const stem of stems) {
    await fs.rm(path.join(mailDir, `${stem}.eml`), { force: true })
    await fs.rm(path.join(mailDir, `${stem}.json`), { force: true })
  }
  return stems.size
}
