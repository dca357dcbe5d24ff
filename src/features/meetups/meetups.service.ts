// Creating, editing and cancelling meetups.
import type { Kysely } from 'kysely'
import type { Database, MeetupRow } from '../../db/database.js'
import { isUniqueViolation } from '../../db/errors.js'
import { RefusedError } from '../../lib/http-errors.js'
import { findCommunityBySlug, findMembership } from '../communities/communities.queries.js'
import { findEventBySlug, isOrganiser } from '../events/events.queries.js'
import type { MeetupInput } from './meetups.schemas.js'
import { queueNotice } from '../notices/queue.js'
import { addMeetupHost, isMeetupSlugTaken, lockMeetup, rsvpUserIds } from './meetups.queries.js'
import { changeCapacity, noticePromoted } from './rsvps.service.js'
import { saveQuestions } from './questions.queries.js'

export type SaveMeetupResult =
  | { ok: true; meetup: MeetupRow }
  | { ok: false; field: 'slug' | 'communitySlug' | 'eventSlug'; key: 'community.slug.taken' | 'event.community.invalid' | 'meetup.event.invalid' }

/**
 * What a meetup may be listed on: a community its creator belongs to, and an event that is
 * public (or that they organise). Anything else reads as "not found" (undefined), so no one
 * can put their lunch on other people's pages.
 */
async function links(db: Kysely<Database>, input: MeetupInput, user: { id: number; role: string }, current: Pick<MeetupRow, 'community_id' | 'event_id' | 'event_approved'> | null) {
  let community = input.communitySlug ? await findCommunityBySlug(db, input.communitySlug) : null
  // A link the meetup already has stays allowed: a co-host need not belong to its community.
  const keptCommunity = community && current?.community_id === community.id
  if (community && !keptCommunity && user.role !== 'admin' && !(await findMembership(db, community.id, user.id))) community = undefined
  let event = input.eventSlug ? await findEventBySlug(db, input.eventSlug) : null
  const keptEvent = event && current?.event_id === event.id
  const organises = event ? user.role === 'admin' || (await isOrganiser(db, event.id, user.id)) : false
  if (event && !keptEvent && event.phase === 'draft' && !organises) event = undefined
  // Listed on the event's page only when one of its organisers says so: at once if that is
  // who lists it, else once one approves (a kept link keeps its answer).
  const eventApproved = !event ? 1 : keptEvent ? (current?.event_approved ?? 1) : organises ? 1 : 0
  return { community, event, eventApproved }
}

function fields(input: MeetupInput, communityId: number | null, eventId: number | null, stamp: string) {
  return {
    title: input.title,
    description: input.description,
    starts_at: input.startsAt,
    ends_at: input.endsAt,
    time_zone: input.timeZone,
    venue_name: input.venueName,
    venue_address: input.venueAddress,
    map_url: input.mapUrl,
    online_url: input.onlineUrl,
    max_party_size: input.maxPartySize,
    rsvp_opens_at: input.rsvpOpensAt,
    rsvp_closes_at: input.rsvpClosesAt,
    community_id: communityId,
    event_id: eventId,
    attendee_visibility: input.attendeeVisibility,
    updated_at: stamp,
  }
}

/** Any signed-in person may create a meetup, and becomes its host. */
export async function createMeetup(db: Kysely<Database>, input: MeetupInput, user: { id: number; role: string }, now: Date): Promise<SaveMeetupResult> {
  const userId = user.id
  const { community, event, eventApproved } = await links(db, input, user, null)
  if (community === undefined) return { ok: false, field: 'communitySlug', key: 'event.community.invalid' }
  if (event === undefined) return { ok: false, field: 'eventSlug', key: 'meetup.event.invalid' }
  if (await isMeetupSlugTaken(db, input.slug)) return { ok: false, field: 'slug', key: 'community.slug.taken' }
  const stamp = now.toISOString()
  try {
    const meetup = await db.transaction().execute(async (trx) => {
      const created = await trx
        .insertInto('meetups')
        .values({ slug: input.slug, capacity: input.capacity, ...fields(input, community?.id ?? null, event?.id ?? null, stamp), event_approved: eventApproved, created_by: userId, created_at: stamp })
        .returningAll()
        .executeTakeFirstOrThrow()
      await addMeetupHost(trx, created.id, userId)
      if (input.questions) await saveQuestions(trx, created.id, input.questions, stamp)
      return created
    })
    return { ok: true, meetup }
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, field: 'slug', key: 'community.slug.taken' }
    throw error
  }
}

/** Edits; a change of seats goes through the RSVP lock (and promotes at once when raised). */
export async function editMeetup(db: Kysely<Database>, meetup: MeetupRow, input: MeetupInput, user: { id: number; role: string }, now: Date): Promise<SaveMeetupResult> {
  // A cancelled meetup stays as it was: edits would move waiting people into it.
  if (meetup.state === 'cancelled') throw new RefusedError('meetup.refused.cancelledEdit')
  const { community, event, eventApproved } = await links(db, input, user, meetup)
  if (community === undefined) return { ok: false, field: 'communitySlug', key: 'event.community.invalid' }
  if (event === undefined) return { ok: false, field: 'eventSlug', key: 'meetup.event.invalid' }
  const stamp = now.toISOString()
  await db.transaction().execute(async (trx) => {
    const { before, promoted } = await changeCapacity(trx, meetup.id, input.capacity, now)
    // Cancelled while this edit was on its way: the check above read the meetup before the lock.
    if (before.state === 'cancelled') throw new RefusedError('meetup.refused.cancelledEdit')
    const after = await trx
      .updateTable('meetups')
      .set((eb) => ({ ...fields(input, community?.id ?? null, event?.id ?? null, stamp), event_approved: eventApproved, sequence: eb('sequence', '+', 1) }))
      .where('id', '=', meetup.id)
      .returningAll()
      .executeTakeFirstOrThrow()
    if (input.questions) await saveQuestions(trx, meetup.id, input.questions, stamp)
    await noticePromoted(trx, after, promoted, stamp)
    if (movedOrRelocated(before, after)) await noticeEveryone(trx, after, 'meetupChanged', stamp)
  })
  return { ok: true, meetup }
}

/** What changes people's plans: when it is, and where. A new description is not worth an email. */
function movedOrRelocated(before: MeetupRow, after: MeetupRow): boolean {
  const keys = ['starts_at', 'ends_at', 'venue_name', 'venue_address', 'online_url'] as const
  return keys.some((key) => before[key] !== after[key])
}

/** Everyone with a seat or a place in the queue hears of a change or a cancellation. */
async function noticeEveryone(trx: Kysely<Database>, meetup: MeetupRow, kind: 'meetupChanged' | 'meetupCancelled' | 'meetupRestored', stamp: string): Promise<void> {
  const cause = `m${meetup.id}:s${meetup.sequence}`
  const [going, waiting] = await Promise.all([rsvpUserIds(trx, meetup.id, 'going'), rsvpUserIds(trx, meetup.id, 'waitlisted')])
  if (kind === 'meetupCancelled') return queueNotice(trx, { kind, meetup, reason: meetup.cancel_reason }, [...going, ...waiting], cause, stamp)
  await queueNotice(trx, { kind, meetup, waiting: false }, going, cause, stamp)
  await queueNotice(trx, { kind, meetup, waiting: true }, waiting, cause, stamp)
}

/**
 * Cancelling keeps every RSVP; the page then says plainly that it is off, and everyone is told,
 * with the hosts' reason when they gave one.
 */
export async function cancelMeetup(db: Kysely<Database>, meetupId: number, now: Date, reason: string | null = null): Promise<void> {
  await db.transaction().execute((trx) => cancelMeetupIn(trx, meetupId, now, reason))
}

/** cancelMeetup inside the caller's transaction (erasing an account cancels what only they hosted). */
export async function cancelMeetupIn(trx: Kysely<Database>, meetupId: number, now: Date, reason: string | null = null): Promise<void> {
  const stamp = now.toISOString()
  const meetup = await trx
    .updateTable('meetups')
    .set((eb) => ({ state: 'cancelled', updated_at: stamp, cancelled_at: stamp, cancel_reason: reason, sequence: eb('sequence', '+', 1) }))
    .where('id', '=', meetupId)
    .where('state', '!=', 'cancelled')
    .returningAll()
    .executeTakeFirst()
  if (meetup) await noticeEveryone(trx, meetup, 'meetupCancelled', stamp)
}

/** How long after cancelling the hosts may take it back: the same day, as people plan by it. */
export const UNCANCEL_WINDOW_MS = 24 * 3600 * 1000

/** Why this cancelled meetup cannot be put back on now, or null when it can. */
export function uncancelRefusal(meetup: Pick<MeetupRow, 'state' | 'cancelled_at' | 'starts_at'>, now: Date): 'meetup.uncancel.refused.notCancelled' | 'meetup.uncancel.refused.tooLate' | 'meetup.uncancel.refused.started' | null {
  if (meetup.state !== 'cancelled' || !meetup.cancelled_at) return 'meetup.uncancel.refused.notCancelled'
  if (meetup.starts_at <= now.toISOString()) return 'meetup.uncancel.refused.started'
  if (now.getTime() - new Date(meetup.cancelled_at).getTime() > UNCANCEL_WINDOW_MS) return 'meetup.uncancel.refused.tooLate'
  return null
}

/**
 * Takes a cancellation back (within a day of it): every reply kept through the cancellation
 * stands again, and everyone going or waiting is told, with a fresh invite. The calendar item
 * keeps its UID and gets a higher SEQUENCE with STATUS:CONFIRMED, so the feeds (re-read whole)
 * show it again and an emailed REQUEST is newer than the CANCEL that went before it.
 */
export async function uncancelMeetup(db: Kysely<Database>, meetupId: number, now: Date): Promise<void> {
  const stamp = now.toISOString()
  await db.transaction().execute(async (trx) => {
    // The same lock replies and deletions take (meetups.queries.ts), then the rule, read under it.
    const locked = await lockMeetup(trx, meetupId)
    if (!locked) throw new RefusedError('rsvp.refused.missing')
    const refusal = uncancelRefusal(locked, now)
    if (refusal) throw new RefusedError(refusal)
    const meetup = await trx
      .updateTable('meetups')
      .set((eb) => ({ state: 'scheduled', updated_at: stamp, cancelled_at: null, cancel_reason: null, sequence: eb('sequence', '+', 1) }))
      .where('id', '=', meetupId)
      .returningAll()
      .executeTakeFirstOrThrow()
    await noticeEveryone(trx, meetup, 'meetupRestored', stamp)
  })
}
