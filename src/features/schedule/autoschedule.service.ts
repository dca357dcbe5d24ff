// The auto-scheduler in the app: the event's grid as an instance (docs/autoschedule.md), a
// draft from the same solver the CLI runs (on one of the app's worker threads, so a big event's
// draft does not hold up everyone else's requests), and accepting a draft as one transaction
// that records its moves in the changelog like any edit.
import crypto from 'node:crypto'
import type { Kysely } from 'kysely'
import { SESSION_SLOT_KINDS, type Database, type EventRow } from '../../db/database.js'
import type { Dialect } from '../../db/dialect.js'
import { isUniqueViolation } from '../../db/errors.js'
import { RefusedError } from '../../lib/http-errors.js'
import { TakeTurns } from '../../lib/take-turns.js'
import { findEventBySlug, lockEvent } from '../events/events.queries.js'
import { needsList } from '../events/events.schemas.js'
import { isSchedulePublished } from '../events/phases.js'
import { queueAcceptedByPlacement } from '../events/decision-notices.js'
import { updateProposal } from '../events/proposals.queries.js'
import { checkInstance, InvalidInstance, type Cost, type Instance } from './autoschedule/instance.js'
import { SolverBusyError, type SolverPool } from './autoschedule/pool.js'
import { recordChanges } from './changes.service.js'
import { cancelEntry, deleteEntry, insertEntry, listEntries, listInterestedLists, listPlaceable, listSessionPeople, placeEntry, stepAside } from './grid.queries.js'
import { listRooms } from './rooms.queries.js'
import { listSlots } from './slots.queries.js'

/**
 * How long the search may take for a draft: the organiser waits for the page. It uses all of
 * it on a big event; on a small one it stops once a few reheated runs in a row gain nothing.
 */
const DRAFT_MS = 1500
const DRAFT_PATIENCE = 3

type Cell = { slot: number; room: number }

export interface Draft {
  current: Cost
  proposed: Cost
  /** What would change, session by session: from and to (null: not on the grid). */
  moves: { proposalId: number; title: string; from: Cell | null; to: Cell | null }[]
  /** The whole proposed placement of every unpinned session, for the accept form. */
  placements: { proposalId: number; to: Cell | null }[]
  /** A fingerprint of the grid the draft was made from: accepting refuses if it has changed since. */
  basis: string
}

async function gridState(db: Kysely<Database>, dialect: Dialect, eventId: number) {
  const [slots, rooms, entries, proposals, people, interested] = await Promise.all([
    listSlots(db, eventId),
    listRooms(db, eventId),
    listEntries(db, eventId),
    listPlaceable(db, eventId),
    listSessionPeople(db, eventId),
    listInterestedLists(db, dialect, eventId),
  ])
  const live = entries.filter((e) => e.cancelled_at === null)
  const basis = crypto
    .createHash('sha256')
    .update(live.map((e) => `${e.proposal_id}:${e.slot_id}:${e.room_id}:${e.pinned}`).join(','))
    .digest('hex')
    .slice(0, 24)
  // Only the slots sessions may go in (never a plenary, a break or lunch).
  const sessionSlots = slots.filter((s) => SESSION_SLOT_KINDS.includes(s.kind))
  const open = new Set(sessionSlots.map((s) => s.id))
  const elsewhere = new Set(live.filter((e) => !open.has(e.slot_id)).map((e) => e.proposal_id))
  return {
    slots: sessionSlots,
    rooms,
    live: live.filter((e) => open.has(e.slot_id)),
    proposals: proposals.filter((p) => !elsewhere.has(p.id)),
    people,
    interested,
    basis,
  }
}

type GridState = Awaited<ReturnType<typeof gridState>>

/**
 * The grid as the solver's instance (docs/autoschedule.md), refused if its pins break a rule.
 * Who is interested in each session comes beside it, as comma-joined lists in session order
 * (SolverJob.interestedLists): the solver's thread unpacks them, the app's thread never does.
 */
function instanceOf(state: GridState): { instance: Instance; interestedLists: string[]; pins: Map<number, GridState['live'][number]> } {
  const pins = new Map(state.live.filter((e) => e.pinned === 1).map((e) => [e.proposal_id, e]))
  const hostsOf = new Map<number, string[]>()
  for (const p of state.people) {
    const hosts = hostsOf.get(p.proposal_id)
    if (hosts) hosts.push(String(p.user_id))
    else hostsOf.set(p.proposal_id, [String(p.user_id)])
  }
  const wantsOf = new Map<number, string>()
  for (const { proposal_id, user_ids } of state.interested) {
    const earlier = wantsOf.get(proposal_id)
    wantsOf.set(proposal_id, earlier ? `${earlier},${user_ids}` : user_ids)
  }
  const raw: Instance = {
    slots: state.slots.map((s) => ({ id: String(s.id) })),
    rooms: state.rooms.map((r) => ({ id: String(r.id), capacity: r.capacity, features: needsList(r.features) })),
    sessions: state.proposals.map((p) => {
      const pin = pins.get(p.id)
      return {
        id: String(p.id),
        hosts: hostsOf.get(p.id) ?? [],
        needs: needsList(p.needs),
        ...(pin ? { pin: { slot: String(pin.slot_id), room: String(pin.room_id) } } : {}),
      }
    }),
  }
  try {
    return { instance: checkInstance(raw), interestedLists: state.proposals.map((p) => wantsOf.get(p.id) ?? ''), pins }
  } catch (error) {
    // Pins the organisers set by hand can break a rule the solver must keep (a host pinned twice in one slot).
    if (error instanceof InvalidInstance) throw new RefusedError('schedule.auto.pinsConflict')
    throw error
  }
}

/**
 * Drafts read their grid one at a time. On a big event the reading holds the app's thread for
 * a tenth of a second (SQLite answers synchronously); three organisers pressing the button at
 * once would otherwise hold it for three tenths in one go.
 */
const readingTurns = new TakeTurns()

/** A draft for the event's grid; refused (schedule.auto.busy) when the pool's threads and queue are full. */
export async function makeDraft(db: Kysely<Database>, dialect: Dialect, event: EventRow, solver: SolverPool): Promise<Draft> {
  const busy = () => new RefusedError('schedule.auto.busy')
  // Before the reading, which would be for nothing.
  if (solver.full) throw busy()
  const { state, pins, answer } = await readingTurns.run(async () => {
    const state = await gridState(db, dialect, event.id)
    const { instance, interestedLists, pins } = instanceOf(state)
    const current = state.live.map((e) => ({ session: String(e.proposal_id), slot: String(e.slot_id), room: String(e.room_id) }))
    const options = { seed: event.id, timeMs: DRAFT_MS, patience: DRAFT_PATIENCE, current: current.filter((c) => !pins.has(Number(c.session))) }
    const answer = solver.solve({ instance, interestedLists, options, alsoCost: current }).catch((error: unknown) => {
      if (error instanceof SolverBusyError) throw busy()
      throw error
    })
    return { state, pins, answer }
  })
  const { result, alsoCost } = await answer
  const now = new Map(state.live.map((e) => [e.proposal_id, { slot: e.slot_id, room: e.room_id }]))
  const next = new Map(result.assignments.map((a) => [Number(a.session), { slot: Number(a.slot), room: Number(a.room) }]))
  const same = (a?: Cell, b?: Cell) => (a?.slot ?? null) === (b?.slot ?? null) && (a?.room ?? null) === (b?.room ?? null)
  const unpinned = state.proposals.filter((p) => !pins.has(p.id))
  return {
    current: alsoCost!, // asked for above
    proposed: result.cost,
    moves: unpinned.filter((p) => !same(now.get(p.id), next.get(p.id))).map((p) => ({ proposalId: p.id, title: p.title, from: now.get(p.id) ?? null, to: next.get(p.id) ?? null })),
    placements: unpinned.map((p) => ({ proposalId: p.id, to: next.get(p.id) ?? null })),
    basis: state.basis,
  }
}

/**
 * Applies a draft the organiser accepted: every unpinned session to its proposed cell or off
 * the grid. Refused if the grid changed since the draft was made. Moves, additions and
 * cancellations go in the changelog once the schedule is public.
 */
export async function acceptDraft(db: Kysely<Database>, dialect: Dialect, event: EventRow, basis: string, placements: { proposalId: number; to: Cell | null }[], now: Date): Promise<number> {
  const stamp = now.toISOString()
  if (new Set(placements.map((p) => p.proposalId)).size !== placements.length) throw new RefusedError('schedule.auto.invalidDraft')
  try {
    return await applyDraft(db, dialect, event, basis, placements, stamp)
  } catch (error) {
    // Two sessions into one cell: the database's one-session-per-cell rule has the last word.
    if (isUniqueViolation(error)) throw new RefusedError('schedule.auto.invalidDraft')
    throw error
  }
}

/** The hard rules again, on the grid the draft would make: it may be old, or not ours. */
function assertKeepsRules(state: GridState, placements: { proposalId: number; to: Cell | null }[]): void {
  const { instance, pins } = instanceOf(state)
  const moved = new Map(placements.map((p) => [p.proposalId, p.to]))
  const assignments: { session: string; slot: string; room: string }[] = []
  for (const session of instance.sessions) {
    const id = Number(session.id)
    const live = state.live.find((e) => e.proposal_id === id)
    const to = pins.has(id) ? { slot: live!.slot_id, room: live!.room_id } : moved.has(id) ? moved.get(id)! : live ? { slot: live.slot_id, room: live.room_id } : null
    if (to) assignments.push({ session: session.id, slot: String(to.slot), room: String(to.room) })
  }
  const features = new Map(instance.rooms.map((r) => [r.id, new Set(r.features ?? [])]))
  const cells = new Set<string>()
  const hostSlots = new Set<string>()
  for (const a of assignments) {
    const session = instance.sessions.find((s) => s.id === a.session)!
    const clash = cells.has(`${a.slot}/${a.room}`) || (session.needs ?? []).some((need) => !features.get(a.room)?.has(need)) || (session.hosts ?? []).some((h) => hostSlots.has(`${a.slot}/${h}`))
    if (clash) throw new RefusedError('schedule.auto.invalidDraft')
    cells.add(`${a.slot}/${a.room}`)
    for (const h of session.hosts ?? []) hostSlots.add(`${a.slot}/${h}`)
  }
}

async function applyDraft(db: Kysely<Database>, dialect: Dialect, event: EventRow, basis: string, placements: { proposalId: number; to: Cell | null }[], stamp: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await lockEvent(trx, event.id)
    const state = await gridState(trx, dialect, event.id)
    if (state.basis !== basis) throw new RefusedError('schedule.refused.stale')
    assertKeepsRules(state, placements)
    const published = isSchedulePublished((await findEventBySlug(trx, event.slug)) ?? event)
    const slots = new Map(state.slots.map((s) => [s.id, s]))
    const rooms = new Map(state.rooms.map((r) => [r.id, r]))
    const titles = new Map(state.proposals.map((p) => [p.id, p.title]))
    const entries = new Map((await listEntries(trx, event.id)).map((e) => [e.proposal_id, e]))
    const where = (cell: Cell) => ({ room: rooms.get(cell.room)!.name, startsAt: slots.get(cell.slot)!.starts_at })

    const changes = placements.filter((p) => {
      const entry = entries.get(p.proposalId)
      if (!titles.has(p.proposalId) || entry?.pinned === 1) throw new RefusedError('schedule.refused.missing')
      if (p.to && (!slots.has(p.to.slot) || !rooms.has(p.to.room))) throw new RefusedError('schedule.refused.noCell')
      const live = entry && entry.cancelled_at === null ? entry : undefined
      return (live?.slot_id ?? null) !== (p.to?.slot ?? null) || (live?.room_id ?? null) !== (p.to?.room ?? null)
    })
    // Everything that moves steps out of the one-session-per-cell index first, so the new
    // placements never collide with the old ones halfway through.
    for (const change of changes) {
      const entry = entries.get(change.proposalId)
      if (entry && entry.cancelled_at === null) await stepAside(trx, entry.id, stamp)
    }
    await queueAcceptedByPlacement(trx, event, changes.filter((c) => c.to).map((c) => c.proposalId), published, stamp)
    const changelog: Parameters<typeof recordChanges>[2] = []
    for (const { proposalId, to } of changes) {
      const entry = entries.get(proposalId)
      const wasLive = entry !== undefined && entry.cancelled_at === null
      const from = wasLive ? where({ slot: entry.slot_id, room: entry.room_id }) : null
      const title = titles.get(proposalId)!
      if (!to) {
        if (published) {
          await cancelEntry(trx, entry!.id, stamp)
          changelog.push({ event_id: event.id, proposal_id: proposalId, kind: 'cancelled', title, from_room: from!.room, from_starts_at: from!.startsAt, to_room: null, to_starts_at: null, created_at: stamp })
        } else {
          await deleteEntry(trx, entry!.id)
        }
        await updateProposal(trx, proposalId, { state: 'accepted', updated_at: stamp })
        continue
      }
      if (entry) await placeEntry(trx, entry.id, to.slot, to.room, stamp)
      else await insertEntry(trx, { event_id: event.id, proposal_id: proposalId, slot_id: to.slot, room_id: to.room }, stamp)
      if (published) {
        const there = where(to)
        changelog.push({ event_id: event.id, proposal_id: proposalId, kind: from ? 'moved' : 'added', title, from_room: from?.room ?? null, from_starts_at: from?.startsAt ?? null, to_room: there.room, to_starts_at: there.startsAt, created_at: stamp })
      }
      await updateProposal(trx, proposalId, { state: 'scheduled', queue_position: null, updated_at: stamp })
    }
    // Written once everything has moved, so each notice describes where its session ended up.
    await recordChanges(trx, event.time_zone, changelog)
    return changes.length
  })
}
