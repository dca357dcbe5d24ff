// Adding, changing and removing time slots, and laying out a whole day at once. Each runs in
// a transaction that locks the event first, so the overlap check sees every other slot.
import type { Kysely } from 'kysely'
import type { Database, EventRow } from '../../db/database.js'
import { SESSION_SLOT_KINDS } from '../../db/database.js'
import { RefusedError } from '../../lib/http-errors.js'
import { findEventBySlug, lockEvent } from '../events/events.queries.js'
import { isSchedulePublished } from '../events/phases.js'
import { recordChanges } from './changes.service.js'
import { bumpEventEntries, bumpSlotEntries, countLiveEntries, liveEntriesInSlot, liveEntriesOfEvent } from './grid.queries.js'
import { planDay, slotFields, slotProblem, type DayPlan, type SlotInput, type SlotProblem } from './slot-times.js'
import { deleteSlot, findSlot, insertSlots, listSlots, updateSlot } from './slots.queries.js'

export type SaveSlotsResult = { ok: true; count: number } | { ok: false; problem: SlotProblem }

/** Adds slots, all or none: the first problem found refuses the lot. */
export async function addSlots(db: Kysely<Database>, event: EventRow, inputs: SlotInput[], now: Date): Promise<SaveSlotsResult> {
  const stamp = now.toISOString()
  return db.transaction().execute(async (trx) => {
    await lockEvent(trx, event.id)
    const existing: Parameters<typeof slotProblem>[1][number][] = await listSlots(trx, event.id)
    for (const [i, input] of inputs.entries()) {
      const problem = slotProblem(event, existing, input)
      if (problem) return { ok: false, problem }
      existing.push({ id: -1 - i, day: input.day, start_time: input.startTime, end_time: input.endTime })
    }
    await insertSlots(trx, event.id, inputs.map((input) => slotFields(input, event.time_zone)), stamp)
    return { ok: true, count: inputs.length }
  })
}

export type GenerateDayResult = SaveSlotsResult | { ok: false; problem: { field: 'sessions'; key: 'slots.generate.tooLong' } }

export async function generateDay(db: Kysely<Database>, event: EventRow, plan: DayPlan, labels: Parameters<typeof planDay>[1], now: Date): Promise<GenerateDayResult> {
  const inputs = planDay(plan, labels)
  if (!inputs) return { ok: false, problem: { field: 'sessions', key: 'slots.generate.tooLong' } }
  return addSlots(db, event, inputs, now)
}

/**
 * Changes a slot. Once the schedule is public, a new time is a change people must hear of:
 * each session in the slot gets a changelog line and a new calendar SEQUENCE.
 */
export async function editSlot(db: Kysely<Database>, event: EventRow, slotId: number, input: SlotInput, now: Date): Promise<SaveSlotsResult> {
  const stamp = now.toISOString()
  return db.transaction().execute(async (trx) => {
    await lockEvent(trx, event.id)
    const slot = await findSlot(trx, event.id, slotId)
    if (!slot) throw new RefusedError('slots.refused.missing')
    const published = isSchedulePublished((await findEventBySlug(trx, event.slug)) ?? event)
    const problem = slotProblem(event, await listSlots(trx, event.id), input, slotId)
    if (problem) return { ok: false, problem }
    // A break cannot hold sessions: they would vanish from every view while still booked.
    if (!SESSION_SLOT_KINDS.includes(input.kind)) {
      const count = await countLiveEntries(trx, { slotId })
      if (count > 0) throw new RefusedError('slots.refused.kindInUse', { time: slot.start_time, count: String(count) })
    }
    const fields = slotFields(input, event.time_zone)
    await updateSlot(trx, slotId, { ...fields, updated_at: stamp })
    const retimed = fields.starts_at !== slot.starts_at || fields.ends_at !== slot.ends_at
    if (retimed) {
      await bumpSlotEntries(trx, slotId, stamp)
      if (published) {
        const entries = await liveEntriesInSlot(trx, slotId)
        await recordChanges(
          trx,
          event.time_zone,
          entries.map((entry) => ({
            event_id: event.id,
            proposal_id: entry.proposal_id,
            kind: 'retimed' as const,
            title: entry.title,
            from_room: entry.room,
            from_starts_at: slot.starts_at,
            to_room: entry.room,
            to_starts_at: fields.starts_at,
            created_at: stamp,
          })),
        )
      }
    }
    return { ok: true, count: 1 }
  })
}

/** A slot with sessions in it stays: the organiser moves them out first, on purpose. */
export async function removeSlot(db: Kysely<Database>, event: EventRow, slotId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await lockEvent(trx, event.id)
    const slot = await findSlot(trx, event.id, slotId)
    if (!slot) throw new RefusedError('slots.refused.missing')
    // Cancelled sessions stay in calendars for 30 days; deleting their room or slot would drop them.
    const count = await countLiveEntries(trx, { slotId }, new Date(Date.now() - 30 * 86400000).toISOString())
    if (count > 0) throw new RefusedError('slots.refused.inUse', { time: slot.start_time, count: String(count) })
    await deleteSlot(trx, slotId)
  })
}

/**
 * After the event's time zone changes, the same local times are other instants: recomputes
 * them inside the caller's transaction. Once the grid is public each placed session gets a
 * "now starts at" changelog line, and every entry a new calendar SEQUENCE.
 */
export async function retimeSlots(trx: Kysely<Database>, event: EventRow, timeZone: string, stamp: string): Promise<void> {
  const slots = await listSlots(trx, event.id)
  const moved = new Map<number, { from: string; to: string }>()
  for (const slot of slots) {
    const fields = slotFields({ day: slot.day, startTime: slot.start_time, endTime: slot.end_time, kind: slot.kind, label: slot.label }, timeZone)
    if (fields.starts_at === slot.starts_at && fields.ends_at === slot.ends_at) continue
    await updateSlot(trx, slot.id, { starts_at: fields.starts_at, ends_at: fields.ends_at, updated_at: stamp })
    moved.set(slot.id, { from: slot.starts_at, to: fields.starts_at })
  }
  if (!moved.size) return
  await bumpEventEntries(trx, event.id, stamp)
  if (!isSchedulePublished(event)) return
  const entries = await liveEntriesOfEvent(trx, event.id)
  const changes = entries
    .filter((e) => moved.has(e.slot_id))
    .map((e) => ({
      event_id: event.id,
      proposal_id: e.proposal_id,
      kind: 'retimed' as const,
      title: e.title,
      from_room: e.room,
      from_starts_at: moved.get(e.slot_id)!.from,
      to_room: e.room,
      to_starts_at: moved.get(e.slot_id)!.to,
      created_at: stamp,
    }))
  await recordChanges(trx, timeZone, changes)
}
