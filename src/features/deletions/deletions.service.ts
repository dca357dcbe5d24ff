// Delete what you made (issue 20), with guard rails. Each rule is one function, asked by the
// page before it shows a Delete button and asked again inside the deleting transaction, after
// the same lock the competing actions take, so an RSVP or a new member arriving between the
// confirmation page and the POST refuses the deletion instead of being lost with it.
//
// - A meetup: when nobody has replied (any answer, even "not going"), or when it was cancelled
//   at least 30 days ago (its calendars have carried it CANCELLED for the whole window).
// - An event: while it is a draft that was never published and holds no one else's proposals.
// - A community: when it is empty — nobody but the person deleting it is a member, and it has
//   no topics, no meetups (nor one deleted lately, which its feed still shows cancelled), no
//   events, and no chats on its calendar (none scheduled, or switched off at least 30 days ago).
// Everything else is cancelled (meetups) or kept, as before.
//
// A deleted meetup leaves a tombstone: its old address answers 410, and every feed it was in
// (its community's, its hosts' and repliers' own) carries it CANCELLED with a higher SEQUENCE
// for 30 days, as for a cancellation. Events and communities leave only the address.
import type { Kysely, Transaction } from 'kysely'
import type { Database, MeetupRow } from '../../db/database.js'
import { KEEP_CANCELLED_DAYS, windowStart } from '../calendars/calendar-items.js'
import { lockEvent } from '../events/events.queries.js'
import { lockCommunity } from '../communities/communities.queries.js'
import { lockMeetup } from '../meetups/meetups.queries.js'
import { deleteMeetupQuestions } from '../meetups/questions.queries.js'
import { countReplies } from './deletions.queries.js'
import { takeImage } from '../images/images.queries.js'

export type MeetupRefusal = 'deletion.refused.meetupReplies' | 'deletion.refused.meetupCancelledRecently'
export type EventRefusal = 'deletion.refused.eventNotDraft' | 'deletion.refused.eventWasPublished' | 'deletion.refused.eventProposals'
export type CommunityRefusal =
  | 'deletion.refused.communityMembers'
  | 'deletion.refused.communityTopics'
  | 'deletion.refused.communityMeetups'
  | 'deletion.refused.communityEvents'
  | 'deletion.refused.communityChats'

/** `imageKeys`: the deleted item's image, whose files the caller removes once this has committed. */
export type DeleteResult<R> = { ok: true; imageKeys?: string[] } | { ok: false; refusal: R } | { ok: false; refusal: 'gone' }

const DAY = 86400000

/** When a cancelled meetup may be deleted even with replies: 30 days after its cancelling. */
export function deletableFrom(meetup: Pick<MeetupRow, 'updated_at'>): Date {
  return new Date(new Date(meetup.updated_at).getTime() + KEEP_CANCELLED_DAYS * DAY)
}

/** Why this meetup may not be deleted now, or null when it may. */
export function meetupRefusal(meetup: Pick<MeetupRow, 'state' | 'updated_at'>, replies: number, now: Date): MeetupRefusal | null {
  if (replies === 0) return null
  if (meetup.state !== 'cancelled') return 'deletion.refused.meetupReplies'
  // A cancelled meetup cannot be edited, so its updated_at is when it was cancelled.
  return deletableFrom(meetup) <= now ? null : 'deletion.refused.meetupCancelledRecently'
}

export async function meetupDeletion(db: Kysely<Database>, meetup: MeetupRow, now: Date): Promise<MeetupRefusal | null> {
  return meetupRefusal(meetup, await countReplies(db, meetup.id), now)
}

/**
 * Why this event may not be deleted now, or null when it may. A draft may have been open before
 * (events can step back): one whose schedule was published, or that holds proposals from
 * anyone but its organisers (walk-up pitches included), stays — a draft costs nobody anything.
 */
export async function eventRefusal(db: Kysely<Database>, event: { id: number; phase: string; schedule_published_at: string | null }): Promise<EventRefusal | null> {
  if (event.phase !== 'draft') return 'deletion.refused.eventNotDraft'
  if (event.schedule_published_at !== null) return 'deletion.refused.eventWasPublished'
  const organisers = db.selectFrom('event_organisers').select('user_id').where('event_id', '=', event.id)
  const others = await db
    .selectFrom('proposals')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('event_id', '=', event.id)
    .where((eb) => eb.or([eb('proposer_id', 'is', null), eb('proposer_id', 'not in', organisers)]))
    .executeTakeFirstOrThrow()
  return Number(others.n) > 0 ? 'deletion.refused.eventProposals' : null
}

/** Why this community is not empty, or null when it is. `deleterId`: the one member allowed. */
export async function communityRefusal(db: Kysely<Database>, communityId: number, deleterId: number, now: Date): Promise<CommunityRefusal | null> {
  const count = async (query: Promise<{ n: number | string | bigint }>) => Number((await query).n)
  const members = await count(
    db.selectFrom('community_members').select((eb) => eb.fn.countAll<number>().as('n')).where('community_id', '=', communityId).where('user_id', '!=', deleterId).executeTakeFirstOrThrow(),
  )
  if (members > 0) return 'deletion.refused.communityMembers'
  const topics = await count(db.selectFrom('topics').select((eb) => eb.fn.countAll<number>().as('n')).where('community_id', '=', communityId).executeTakeFirstOrThrow())
  if (topics > 0) return 'deletion.refused.communityTopics'
  const since = windowStart(now).toISOString()
  const meetups = await count(db.selectFrom('meetups').select((eb) => eb.fn.countAll<number>().as('n')).where('community_id', '=', communityId).executeTakeFirstOrThrow())
  // A meetup deleted lately is still in the community's feed, CANCELLED: the feed must stay too.
  const deletedLately = await count(
    db
      .selectFrom('tombstones')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', '=', 'meetup')
      .where('community_id', '=', communityId)
      .where('deleted_at', '>=', since)
      .where('ends_at', '>=', since)
      .executeTakeFirstOrThrow(),
  )
  if (meetups > 0 || deletedLately > 0) return 'deletion.refused.communityMeetups'
  const events = await count(db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('community_id', '=', communityId).executeTakeFirstOrThrow())
  if (events > 0) return 'deletion.refused.communityEvents'
  const schedule = await db.selectFrom('chat_schedules').select('stopped_at').where('community_id', '=', communityId).executeTakeFirst()
  // Chats still on calendars: scheduled, or switched off so lately that feeds still cancel them.
  if (schedule && (schedule.stopped_at === null || schedule.stopped_at >= since)) return 'deletion.refused.communityChats'
  return null
}

/**
 * Deletes a meetup and everything hanging from it, leaving its tombstone. The lock is the one
 * every RSVP takes first (bumping rsvp_version), so a reply and a deletion never interleave:
 * whichever comes second sees the other's result.
 */
export async function deleteMeetup(db: Kysely<Database>, meetupId: number, now: Date): Promise<DeleteResult<MeetupRefusal>> {
  const stamp = now.toISOString()
  return db.transaction().execute(async (trx) => {
    const meetup = await lockMeetup(trx, meetupId)
    if (!meetup) return { ok: false, refusal: 'gone' } as const
    const refusal = meetupRefusal(meetup, await countReplies(trx, meetup.id), now)
    if (refusal) return { ok: false, refusal } as const
    const tombstone = await trx
      .insertInto('tombstones')
      .values({
        kind: 'meetup',
        target_id: meetup.id,
        slug: meetup.slug,
        title: meetup.title,
        starts_at: meetup.starts_at,
        ends_at: meetup.ends_at,
        // Higher than anything a calendar has seen, so the CANCELLED entry replaces it.
        sequence: meetup.sequence + 1,
        community_id: meetup.community_id,
        deleted_at: stamp,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await keepInPersonalFeeds(trx, tombstone.id, meetup.id)
    await trx.deleteFrom('host_invitations').where('kind', '=', 'meetup').where('target_id', '=', meetup.id).execute()
    await trx.deleteFrom('meetup_messages').where('meetup_id', '=', meetup.id).execute()
    await deleteMeetupQuestions(trx, meetup.id)
    await trx.deleteFrom('rsvps').where('meetup_id', '=', meetup.id).execute()
    await trx.deleteFrom('meetup_hosts').where('meetup_id', '=', meetup.id).execute()
    const imageKeys = await takeImage(trx, { kind: 'meetup', id: meetup.id })
    await trx.deleteFrom('meetups').where('id', '=', meetup.id).execute()
    return { ok: true, imageKeys } as const
  })
}

/** Everyone whose own calendar showed the meetup: its hosts, and whoever replied and had it there. */
async function keepInPersonalFeeds(trx: Transaction<Database>, tombstoneId: number, meetupId: number): Promise<void> {
  const [hosts, repliers] = await Promise.all([
    trx.selectFrom('meetup_hosts').select('user_id').where('meetup_id', '=', meetupId).execute(),
    trx
      .selectFrom('rsvps')
      .select('user_id')
      .where('meetup_id', '=', meetupId)
      .where((eb) => eb.or([eb('status', 'in', ['going', 'waitlisted']), eb('withdrawn_at', 'is not', null)]))
      .execute(),
  ])
  const people = [...new Set([...hosts, ...repliers].map((r) => r.user_id))]
  if (people.length) await trx.insertInto('tombstone_people').values(people.map((user_id) => ({ tombstone_id: tombstoneId, user_id }))).execute()
}

/**
 * Deletes a draft event with its proposals, rooms, slots and organisers. A draft was never in
 * any feed for anyone but its organisers (feeds leave drafts out), so only its address is kept.
 * The lock is the event row's, which phase changes take too.
 */
export async function deleteEvent(db: Kysely<Database>, eventId: number, now: Date): Promise<DeleteResult<EventRefusal>> {
  const stamp = now.toISOString()
  return db.transaction().execute(async (trx) => {
    await lockEvent(trx, eventId)
    const event = await trx.selectFrom('events').select(['id', 'slug', 'name', 'phase', 'schedule_published_at']).where('id', '=', eventId).executeTakeFirst()
    if (!event) return { ok: false, refusal: 'gone' } as const
    const refusal = await eventRefusal(trx, event)
    if (refusal) return { ok: false, refusal } as const
    const proposals = trx.selectFrom('proposals').select('id').where('event_id', '=', eventId)
    await trx.deleteFrom('host_invitations').where('kind', '=', 'proposal').where('target_id', 'in', proposals).execute()
    await trx.deleteFrom('host_invitations').where('kind', '=', 'event').where('target_id', '=', eventId).execute()
    await trx.deleteFrom('stars').where('proposal_id', 'in', proposals).execute()
    await trx.deleteFrom('proposal_votes').where('proposal_id', 'in', proposals).execute()
    await trx.deleteFrom('proposal_hosts').where('proposal_id', 'in', proposals).execute()
    await trx.deleteFrom('schedule_changes').where('event_id', '=', eventId).execute()
    await trx.deleteFrom('schedule_entries').where('event_id', '=', eventId).execute()
    await trx.updateTable('proposals').set({ merged_into: null }).where('event_id', '=', eventId).execute()
    await trx.deleteFrom('proposals').where('event_id', '=', eventId).execute()
    await trx.deleteFrom('slots').where('event_id', '=', eventId).execute()
    await trx.deleteFrom('rooms').where('event_id', '=', eventId).execute()
    await trx.deleteFrom('event_organisers').where('event_id', '=', eventId).execute()
    // Meetups listed on it stay, on their own.
    await trx.updateTable('meetups').set({ event_id: null, event_approved: 1, updated_at: stamp }).where('event_id', '=', eventId).execute()
    const imageKeys = await takeImage(trx, { kind: 'event', id: eventId })
    await trx.deleteFrom('events').where('id', '=', eventId).execute()
    await trx.insertInto('tombstones').values({ kind: 'event', target_id: event.id, slug: event.slug, title: event.name, starts_at: null, ends_at: null, sequence: null, community_id: null, deleted_at: stamp }).execute()
    return { ok: true, imageKeys } as const
  })
}

/**
 * Deletes an empty community. The lock is the community row's, which leaving and changing
 * hosts take; someone joining at the very moment is answered by the database (their row goes
 * with the community, or they were first and the deletion is refused).
 */
export async function deleteCommunity(db: Kysely<Database>, communityId: number, deleterId: number, now: Date): Promise<DeleteResult<CommunityRefusal>> {
  const stamp = now.toISOString()
  return db.transaction().execute(async (trx) => {
    await lockCommunity(trx, communityId)
    const community = await trx.selectFrom('communities').select(['id', 'slug', 'name']).where('id', '=', communityId).executeTakeFirst()
    if (!community) return { ok: false, refusal: 'gone' } as const
    const refusal = await communityRefusal(trx, communityId, deleterId, now)
    if (refusal) return { ok: false, refusal } as const
    await trx.deleteFrom('chat_exceptions').where('community_id', '=', communityId).execute()
    await trx.deleteFrom('chat_schedules').where('community_id', '=', communityId).execute()
    await trx.deleteFrom('community_members').where('community_id', '=', communityId).execute()
    // Meetups deleted from it long ago keep their own tombstones, no longer tied to it.
    await trx.updateTable('tombstones').set({ community_id: null }).where('community_id', '=', communityId).execute()
    await trx.deleteFrom('communities').where('id', '=', communityId).execute()
    await trx
      .insertInto('tombstones')
      .values({ kind: 'community', target_id: community.id, slug: community.slug, title: community.name, starts_at: null, ends_at: null, sequence: null, community_id: null, deleted_at: stamp })
      .execute()
    return { ok: true } as const
  })
}
