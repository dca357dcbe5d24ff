// Putting sessions on the grid: place (assign, move or swap in one), unassign, pin. Each is
// one transaction that locks the event first. Two safeguards against two organisers
// clicking at once: the form says what the organiser saw in the target cell, and a change
// meanwhile is refused with a 409 instead of silently swapping their session out; and the
// database itself allows one live session per room and slot (a partial unique index).
import type { Kysely } from 'kysely'
import type { Database, EventRow, ScheduleEntryRow } from '../../db/database.js'
import { SESSION_SLOT_KINDS } from '../../db/database.js'
import { isUniqueViolation } from '../../db/errors.js'
import { RefusedError } from '../../lib/http-errors.js'
import { findEventBySlug, lockEvent } from '../events/events.queries.js'
import { isSchedulePublished } from '../events/phases.js'
import { queueAcceptedByPlacement } from '../events/decision-notices.js'
import { findProposal, updateProposal } from '../events/proposals.queries.js'
import { recordChanges } from './changes.service.js'
import { cancelEntry, deleteEntry, findEntryInCell, findEntryOfProposal, insertEntry, placeEntry, setEntryPinned, stepAside } from './grid.queries.js'
import { findRoom } from './rooms.queries.js'
import { findSlot } from './slots.queries.js'

export interface Placement {
  proposalId: number
  slotId: number
  roomId: number
  /** The proposal the organiser saw in the target cell when they chose it; null: it looked empty. */
  expected: number | null
}

/**
 * 'restore' is the Undo after taking a session off: it puts the session back in the empty cell
 * it came from, and is refused (with words for that case) if the cell has been filled or the
 * session has been put somewhere else meanwhile, rather than moving things behind anyone's back.
 */
export type PlaceMode = 'place' | 'restore'

type Trx = Kysely<Database>

/** Where an entry is, as the changelog writes it down: room name and start instant. */
async function whereIs(trx: Trx, eventId: number, entry: Pick<ScheduleEntryRow, 'slot_id' | 'room_id'>): Promise<{ room: string; startsAt: string }> {
  const [slot, room] = await Promise.all([findSlot(trx, eventId, entry.slot_id), findRoom(trx, eventId, entry.room_id)])
  return { room: room?.name ?? '', startsAt: slot?.starts_at ?? '' }
}

/** The phase as it is now, read after the lock: the caller's copy may be a request old. */
async function publishedNow(trx: Trx, event: EventRow): Promise<boolean> {
  const fresh = await findEventBySlug(trx, event.slug)
  return isSchedulePublished(fresh ?? event)
}

/**
 * Takes a session off the grid: before publishing it simply goes; after, it stays listed as
 * cancelled so nobody who planned on it is left guessing. The proposal goes back to accepted.
 */
async function takeOff(trx: Trx, event: EventRow, entry: ScheduleEntryRow, title: string, published: boolean, stamp: string): Promise<void> {
  if (published) {
    const from = await whereIs(trx, event.id, entry)
    await cancelEntry(trx, entry.id, stamp)
    await recordChanges(trx, event.time_zone, [{ event_id: event.id, proposal_id: entry.proposal_id, kind: 'cancelled', title, from_room: from.room, from_starts_at: from.startsAt, to_room: null, to_starts_at: null, created_at: stamp }])
  } else {
    await deleteEntry(trx, entry.id)
  }
  await updateProposal(trx, entry.proposal_id, { state: 'accepted', updated_at: stamp })
}

/**
 * Puts a session in a cell. An empty cell: assign (or move, if it was elsewhere). A cell
 * with another session: swap them, the other one going where this one was; a session not
 * yet on the grid cannot take an occupied cell (the organiser takes the other off first).
 */
export async function placeSession(db: Kysely<Database>, event: EventRow, placement: Placement, now: Date, mode: PlaceMode = 'place'): Promise<{ title: string }> {
  const stamp = now.toISOString()
  try {
    return await db.transaction().execute(async (trx) => {
      await lockEvent(trx, event.id)
      const published = await publishedNow(trx, event)
      const proposal = await findProposal(trx, event.id, placement.proposalId)
      if (!proposal) throw new RefusedError('schedule.refused.missing')
      if (!['proposed', 'accepted', 'scheduled'].includes(proposal.state)) throw new RefusedError('schedule.refused.notPlaceable', { state: proposal.state })
      const [slot, room] = await Promise.all([findSlot(trx, event.id, placement.slotId), findRoom(trx, event.id, placement.roomId)])
      if (!slot || !room) throw new RefusedError('schedule.refused.noCell')
      if (!SESSION_SLOT_KINDS.includes(slot.kind)) throw new RefusedError('schedule.refused.notSessionSlot', { kind: slot.kind })

      const occupant = await findEntryInCell(trx, slot.id, room.id)
      const own = await findEntryOfProposal(trx, proposal.id)
      const ownLive = own && own.cancelled_at === null ? own : undefined
      if (mode === 'restore') {
        if (ownLive) throw new RefusedError('schedule.refused.restorePlaced', { title: proposal.title })
        if (occupant) throw new RefusedError('schedule.refused.restoreTaken', { title: proposal.title })
      }
      if ((occupant?.proposal_id ?? null) !== placement.expected) throw new RefusedError('schedule.refused.stale')
      if (occupant?.proposal_id === proposal.id) return { title: proposal.title }

      const ownFrom = ownLive ? await whereIs(trx, event.id, ownLive) : null
      const to = { room: room.name, startsAt: slot.starts_at }

      if (occupant) {
        const occupantTitle = (await findProposal(trx, event.id, occupant.proposal_id))?.title ?? ''
        if (ownLive) {
          // A swap. Step the occupant out of the unique index first (cancelled for a moment,
          // inside this transaction only), so neither half of the swap ever sees two sessions in one cell.
          await stepAside(trx, occupant.id, stamp)
          await placeEntry(trx, ownLive.id, slot.id, room.id, stamp)
          await placeEntry(trx, occupant.id, ownLive.slot_id, ownLive.room_id, stamp)
          if (published) {
            await recordChanges(trx, event.time_zone, [{ event_id: event.id, proposal_id: occupant.proposal_id, kind: 'moved', title: occupantTitle, from_room: to.room, from_starts_at: to.startsAt, to_room: ownFrom!.room, to_starts_at: ownFrom!.startsAt, created_at: stamp }])
          }
        } else {
          // A waiting session would push the occupant off the grid (cancelling it, once
          // published): that has to be the organiser's explicit choice, not a side effect.
          throw new RefusedError('schedule.refused.occupied', { title: occupantTitle })
        }
      }
      if (ownLive) {
        if (!occupant) await placeEntry(trx, ownLive.id, slot.id, room.id, stamp)
      } else if (own) {
        await placeEntry(trx, own.id, slot.id, room.id, stamp) // back from cancelled
      } else {
        await insertEntry(trx, { event_id: event.id, proposal_id: proposal.id, slot_id: slot.id, room_id: room.id }, stamp)
      }
      if (published) {
        await recordChanges(trx, event.time_zone, [{
          event_id: event.id,
          proposal_id: proposal.id,
          kind: ownFrom ? 'moved' : 'added',
          title: proposal.title,
          from_room: ownFrom?.room ?? null,
          from_starts_at: ownFrom?.startsAt ?? null,
          to_room: to.room,
          to_starts_at: to.startsAt,
          created_at: stamp,
        }])
      }
      if (proposal.state === 'proposed') await queueAcceptedByPlacement(trx, event, [proposal.id], published, stamp)
      if (proposal.state !== 'scheduled') await updateProposal(trx, proposal.id, { state: 'scheduled', queue_position: null, updated_at: stamp })
      return { title: proposal.title }
    })
  } catch (error) {
    // Only reachable if two writers ever got past the event lock at once: the index has the last word.
    if (isUniqueViolation(error)) throw new RefusedError('schedule.refused.stale')
    throw error
  }
}

/** Takes a session off the grid; says where it was, so the organiser can undo it. */
export async function unassignSession(db: Kysely<Database>, event: EventRow, proposalId: number, now: Date): Promise<{ title: string; slotId: number; roomId: number }> {
  const stamp = now.toISOString()
  return db.transaction().execute(async (trx) => {
    await lockEvent(trx, event.id)
    const proposal = await findProposal(trx, event.id, proposalId)
    const entry = proposal ? await findEntryOfProposal(trx, proposal.id) : undefined
    if (!proposal || !entry || entry.cancelled_at !== null) throw new RefusedError('schedule.refused.notPlaced')
    await takeOff(trx, event, entry, proposal.title, await publishedNow(trx, event), stamp)
    return { title: proposal.title, slotId: entry.slot_id, roomId: entry.room_id }
  })
}

/** Pinned sessions are left where they are by the automatic scheduler. */
export async function pinSession(db: Kysely<Database>, event: EventRow, proposalId: number, pinned: boolean, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await lockEvent(trx, event.id)
    const entry = await findEntryOfProposal(trx, proposalId)
    if (!entry || entry.event_id !== event.id || entry.cancelled_at !== null) throw new RefusedError('schedule.refused.notPlaced')
    await setEntryPinned(trx, entry.id, pinned, now.toISOString())
  })
}
