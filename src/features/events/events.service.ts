// Creating events, moving them through their phases, and the organisers' proposal tools
// (merge, walk-up pitches, the pitch queue): each a transaction of its own.
import type { Kysely } from 'kysely'
import type { Database, EventPhase, EventRow, ProposalFormat, ProposalRow } from '../../db/database.js'
import { EVENT_PHASES } from '../../db/database.js'
import { isUniqueViolation } from '../../db/errors.js'
import { RefusedError } from '../../lib/http-errors.js'
import { bumpEventEntries } from '../schedule/grid.queries.js'
import { hasSlotsOutside } from '../schedule/slots.queries.js'
import { retimeSlots } from '../schedule/slots.service.js'
import { queueAcceptedOnPublish, queueDecisionNotices } from './decision-notices.js'
import { DECIDABLE_STATES, LIVE_STATES } from './phases.js'
import { findCommunityBySlug, findMembership } from '../communities/communities.queries.js'
import type { EventInput } from './events.schemas.js'
import { addOrganiser, insertEvent, isEventSlugTaken, lockEvent, updateEvent } from './events.queries.js'
import { addHost, copyHosts, copyVotes, findProposal, insertProposal, listQueue, nextQueuePosition, setProposalStates, updateProposal } from './proposals.queries.js'

export type CreateEventResult =
  | { ok: true; event: EventRow }
  | { ok: false; field: 'slug' | 'communitySlug' | 'firstDay'; key: 'community.slug.taken' | 'event.community.invalid' | 'event.days.slotsOutside' }

/**
 * The community an event is listed on: only one its creator hosts (or any, for the site
 * admin), so nobody can put events on other people's community pages.
 */
async function communityId(db: Kysely<Database>, slug: string | null, user: { id: number; role: string }): Promise<number | null | undefined> {
  if (!slug) return null
  const community = await findCommunityBySlug(db, slug)
  if (!community) return undefined
  if (user.role === 'admin') return community.id
  const membership = await findMembership(db, community.id, user.id)
  return membership?.role === 'host' ? community.id : undefined
}

function eventFields(input: EventInput, community: number | null, stamp: string) {
  return {
    name: input.name,
    hashtag: input.hashtag,
    community_id: community,
    description: input.description,
    venue_name: input.venueName,
    venue_address: input.venueAddress,
    map_url: input.mapUrl,
    time_zone: input.timeZone,
    first_day: input.firstDay,
    last_day: input.lastDay,
    day_starts: input.dayStarts,
    day_ends: input.dayEnds,
    ...(input.codeOfConduct === null ? {} : { code_of_conduct: input.codeOfConduct }),
    updated_at: stamp,
  }
}

/** A new event starts as a draft, run by the person who made it. */
export async function createEvent(db: Kysely<Database>, input: EventInput, user: { id: number; role: string }, now: Date): Promise<CreateEventResult> {
  const userId = user.id
  const stamp = now.toISOString()
  const community = await communityId(db, input.communitySlug, user)
  if (community === undefined) return { ok: false, field: 'communitySlug', key: 'event.community.invalid' }
  if (await isEventSlugTaken(db, input.slug)) return { ok: false, field: 'slug', key: 'community.slug.taken' }
  try {
    const event = await db.transaction().execute(async (trx) => {
      const created = await insertEvent(trx, { slug: input.slug, ...eventFields(input, community, stamp), created_by: userId, created_at: stamp })
      await addOrganiser(trx, created.id, userId, stamp)
      return created
    })
    return { ok: true, event }
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, field: 'slug', key: 'community.slug.taken' }
    throw error
  }
}

export async function editEvent(db: Kysely<Database>, event: EventRow, input: EventInput, user: { id: number; role: string }, now: Date): Promise<CreateEventResult> {
  const community = await communityId(db, input.communitySlug, user)
  if (community === undefined) return { ok: false, field: 'communitySlug', key: 'event.community.invalid' }
  const stamp = now.toISOString()
  return db.transaction().execute(async (trx): Promise<CreateEventResult> => {
    await lockEvent(trx, event.id)
    // Slots on days the event no longer has would be sessions nobody can go to.
    if (await hasSlotsOutside(trx, event.id, input.firstDay, input.lastDay)) return { ok: false, field: 'firstDay', key: 'event.days.slotsOutside' }
    await updateEvent(trx, event.id, eventFields(input, community, stamp))
    // The same local slot times are other instants in another zone.
    if (input.timeZone !== event.time_zone) await retimeSlots(trx, event, input.timeZone, stamp)
    // The venue is part of every session's LOCATION in calendars: a new place, a new SEQUENCE.
    if (input.venueName !== event.venue_name) await bumpEventEntries(trx, event.id, stamp)
    return { ok: true, event }
  })
}

/** Phases go one step at a time, forwards or back (organisers sometimes reopen proposals). */
export function adjacentPhases(phase: EventPhase): { previous: EventPhase | null; next: EventPhase | null } {
  const index = EVENT_PHASES.indexOf(phase)
  return { previous: EVENT_PHASES[index - 1] ?? null, next: EVENT_PHASES[index + 1] ?? null }
}

export async function changePhase(db: Kysely<Database>, event: EventRow, to: EventPhase, now: Date): Promise<void> {
  const { previous, next } = adjacentPhases(event.phase)
  if (to !== previous && to !== next) throw new RefusedError('events.refused.phaseJump', { phase: event.phase })
  const stamp = now.toISOString()
  await db.transaction().execute(async (trx) => {
    // Guarded by the phase we read, so two organisers clicking at once move it one step only.
    const moved = await trx
      .updateTable('events')
      .set((eb) => ({
        phase: to,
        updated_at: stamp,
        // The first move to "published" publishes the grid, for good.
        ...(to === 'published' ? { schedule_published_at: eb.fn.coalesce('schedule_published_at', eb.val(stamp)) } : {}),
      }))
      .where('id', '=', event.id)
      .where('phase', '=', event.phase)
      .executeTakeFirst()
    // Publishing is when proposals put on the grid without a decision are decided.
    if (to === 'published' && Number(moved.numUpdatedRows) > 0) await queueAcceptedOnPublish(trx, event, stamp)
  })
}

/**
 * Folds a duplicate into the proposal it duplicates: the target gains the union of both
 * proposals' voters (each counted once) and hosts (the duplicate's proposer included);
 * the duplicate is kept, marked merged, so links to it lead to the target.
 */
export async function mergeProposals(db: Kysely<Database>, eventId: number, duplicateId: number, targetId: number, now: Date): Promise<ProposalRow> {
  if (duplicateId === targetId) throw new RefusedError('merge.refused.same')
  return db.transaction().execute(async (trx) => {
    await lockEvent(trx, eventId)
    const duplicate = await findProposal(trx, eventId, duplicateId)
    const target = await findProposal(trx, eventId, targetId)
    if (!duplicate || !target) throw new RefusedError('merge.refused.missing')
    if (duplicate.state === 'merged' || target.state === 'merged') throw new RefusedError('merge.refused.merged')
    // Its place on the grid would be left holding a merged proposal: take it off first, on purpose.
    if (duplicate.state === 'scheduled') throw new RefusedError('merge.refused.scheduled')
    // Votes poured into a withdrawn or declined proposal would be lost to the schedule.
    if (!LIVE_STATES.includes(target.state)) throw new RefusedError('merge.refused.targetNotLive', { state: target.state })
    await copyVotes(trx, duplicate.id, target.id)
    await copyHosts(trx, duplicate.id, target.id)
    if (duplicate.proposer_id !== null && duplicate.proposer_id !== target.proposer_id) await addHost(trx, target.id, duplicate.proposer_id)
    await updateProposal(trx, duplicate.id, { state: 'merged', merged_into: target.id, queue_position: null, updated_at: now.toISOString() })
    return target
  })
}

export interface WalkUpInput {
  title: string
  pitcherName: string
  pitcherHandle: string
  format: ProposalFormat
}

/** A pitch typed in by a volunteer for someone in the queue: no account needed, straight into the queue. */
export async function addWalkUpPitch(db: Kysely<Database>, eventId: number, input: WalkUpInput, now: Date): Promise<ProposalRow> {
  const stamp = now.toISOString()
  return db.transaction().execute(async (trx) => {
    await lockEvent(trx, eventId)
    return insertProposal(trx, {
      event_id: eventId,
      title: input.title,
      description: '',
      format: input.format,
      needs: '',
      proposer_id: null,
      pitcher_name: input.pitcherName,
      pitcher_handle: input.pitcherHandle.replace(/^@/, '') || null,
      walk_up: 1,
      queue_position: await nextQueuePosition(trx, eventId),
      notes_url: null,
      created_at: stamp,
      updated_at: stamp,
    })
  })
}

export type QueueMove = 'up' | 'down' | 'add' | 'remove' | 'pitched'

/** Reorders the pitch queue by swapping neighbours, so positions stay unique and in order. */
export async function moveInQueue(db: Kysely<Database>, eventId: number, proposalId: number, move: QueueMove, now: Date): Promise<void> {
  const stamp = now.toISOString()
  await db.transaction().execute(async (trx) => {
    await lockEvent(trx, eventId)
    const proposal = await findProposal(trx, eventId, proposalId)
    if (!proposal || proposal.state === 'merged') throw new RefusedError('queue.refused.missing')
    if (move === 'add' && !LIVE_STATES.includes(proposal.state)) throw new RefusedError('queue.refused.notLive', { state: proposal.state })
    if (move === 'add') {
      if (proposal.queue_position === null) await updateProposal(trx, proposal.id, { queue_position: await nextQueuePosition(trx, eventId), updated_at: stamp })
      return
    }
    if (move === 'remove') return updateProposal(trx, proposal.id, { queue_position: null, updated_at: stamp })
    if (move === 'pitched') return updateProposal(trx, proposal.id, { pitched: proposal.pitched ? 0 : 1, updated_at: stamp })
    const queue = await listQueue(trx, eventId)
    const index = queue.findIndex((p) => p.id === proposal.id)
    const other = queue[move === 'up' ? index - 1 : index + 1]
    if (index === -1 || !other) return
    await updateProposal(trx, proposal.id, { queue_position: other.queue_position, updated_at: stamp })
    await updateProposal(trx, other.id, { queue_position: proposal.queue_position, updated_at: stamp })
  })
}

/**
 * Accepts or declines proposals (or takes the decision back, to 'proposed'); returns how
 * many changed. Each proposer hears of an acceptance or a decline, in the same transaction.
 */
export async function decideProposals(db: Kysely<Database>, event: Pick<EventRow, 'id' | 'slug' | 'name'>, ids: number[], to: 'accepted' | 'declined' | 'proposed', now: Date): Promise<number> {
  const stamp = now.toISOString()
  return db.transaction().execute(async (trx) => {
    const changed = await setProposalStates(trx, event.id, ids, DECIDABLE_STATES, to, stamp)
    if (to !== 'proposed') await queueDecisionNotices(trx, event, changed, to, stamp)
    return changed.length
  })
}
