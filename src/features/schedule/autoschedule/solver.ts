// The auto-scheduler: a greedy first draft, then simulated annealing over moves and swaps,
// keeping the best assignment seen. Hard constraints (pins, one session per cell, no host
// in two sessions at once, unavailable slots, needs) hold in every state it visits, so the
// best found is always valid. Deterministic for a seed and a step count. Given a time budget
// and no step count it is anytime: it keeps improving, run after reheated run, until the time
// is up, and the time can stop it at any moment with the best found so far.
import { interestOf } from './cost.js'
import type { Cost, Instance, Result } from './instance.js'

export interface SolveOptions {
  seed?: number
  /**
   * The time budget, counted from the call, model building included. Without `iterations`
   * the search uses all of it (unless the cost reaches 0 or `patience` runs out); with them,
   * whichever ends first.
   */
  timeMs?: number
  /** Annealing steps of the one deterministic run; by default 3,000 per session. */
  iterations?: number
  /** With a time budget: stop early once this many reheated runs in a row found nothing better. */
  patience?: number
  /** Where sessions are now (the grid as it stands): the search starts from it if it beats the greedy draft. */
  current?: readonly { session: string; slot: string; room: string }[]
}

/** mulberry32: a small, fast, seedable generator (the same seed, the same run). */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The first run's starting temperature, in missed person-sessions, and a reheated run's: lower, as it starts from the best so far and should search near it, not scatter it. */
const HOT = 2
const REHEAT = 1

export function solve(instance: Instance, options: SolveOptions = {}): Result {
  const deadline = options.timeMs === undefined ? Infinity : Date.now() + options.timeMs
  const T = instance.slots.length
  const R = instance.rooms.length
  const S = instance.sessions.length
  const slotIndex = new Map(instance.slots.map((s, i) => [s.id, i]))
  const roomIndex = new Map(instance.rooms.map((r, i) => [r.id, i]))
  const capacity = Float64Array.from(instance.rooms, (r) => r.capacity)
  const roomFeatures = instance.rooms.map((r) => new Set(r.features ?? []))

  const people = new Map<string, number>()
  const person = (id: string) => {
    let index = people.get(id)
    if (index === undefined) people.set(id, (index = people.size))
    return index
  }
  const interest = instance.sessions.map((s) => Int32Array.from(interestOf(s), person))
  const hosts = instance.sessions.map((s) => Int32Array.from(new Set(s.hosts ?? []), person))
  const size = interest.map((i) => i.length)
  const P = people.size
  const pinned = new Int32Array(S).fill(-1)
  const allowedCells: Int32Array[] = instance.sessions.map((session, s) => {
    const unavailable = new Set((session.unavailable ?? []).map((id) => slotIndex.get(id)))
    const needs = session.needs ?? []
    const rooms = instance.rooms.map((_, r) => r).filter((r) => needs.every((need) => roomFeatures[r]!.has(need)))
    const cells: number[] = []
    for (let t = 0; t < T; t++) if (!unavailable.has(t)) for (const r of rooms) cells.push(t * R + r)
    if (session.pin) pinned[s] = slotIndex.get(session.pin.slot)! * R + roomIndex.get(session.pin.room)!
    return Int32Array.from(cells)
  })
  const allowedSet = allowedCells.map((cells) => new Set(cells))

  // The state and its running cost.
  const cellOf = new Int32Array(S).fill(-1)
  const occupant = new Int32Array(T * R).fill(-1)
  const wants = new Uint16Array(P * T) // person × slot → sessions of theirs placed there
  const hosting = new Uint16Array(P * T) // host × slot → sessions they run there
  let clash = 0
  let overflow = 0
  let unscheduled = size.reduce((a, b) => a + b, 0)
  const total = () => clash + overflow + unscheduled

  const canPlace = (s: number, c: number): boolean => {
    if (occupant[c] !== -1 || !allowedSet[s]!.has(c)) return false
    const t = (c / R) | 0
    for (const h of hosts[s]!) if (hosting[h * T + t]) return false
    return true
  }
  const place = (s: number, c: number): void => {
    const t = (c / R) | 0
    for (const p of interest[s]!) {
      const k = p * T + t
      if (wants[k]! >= 1) clash++
      wants[k] = wants[k]! + 1
    }
    for (const h of hosts[s]!) hosting[h * T + t] = hosting[h * T + t]! + 1
    overflow += Math.max(0, size[s]! - capacity[c % R]!)
    unscheduled -= size[s]!
    occupant[c] = s
    cellOf[s] = c
  }
  const remove = (s: number): number => {
    const c = cellOf[s]!
    const t = (c / R) | 0
    for (const p of interest[s]!) {
      const k = p * T + t
      wants[k] = wants[k]! - 1
      if (wants[k]! >= 1) clash--
    }
    for (const h of hosts[s]!) hosting[h * T + t] = hosting[h * T + t]! - 1
    overflow -= Math.max(0, size[s]! - capacity[c % R]!)
    unscheduled += size[s]!
    occupant[c] = -1
    cellOf[s] = -1
    return c
  }
  const clear = () => {
    for (let s = 0; s < S; s++) if (cellOf[s] !== -1) remove(s)
  }

  // Pins first; they never move.
  for (let s = 0; s < S; s++) if (pinned[s] !== -1) place(s, pinned[s]!)
  const movable = Array.from({ length: S }, (_, s) => s).filter((s) => pinned[s] === -1)

  // Greedy draft: most interest first, each into the cell that lowers the cost most (or nowhere).
  const greedy = () => {
    for (const s of [...movable].sort((a, b) => size[b]! - size[a]! || a - b)) {
      let best = -1
      let bestDelta = 0
      const clashIn = new Int32Array(T).fill(-1)
      for (const c of allowedCells[s]!) {
        if (!canPlace(s, c)) continue
        const t = (c / R) | 0
        if (clashIn[t] === -1) {
          let n = 0
          for (const p of interest[s]!) if (wants[p * T + t]! >= 1) n++
          clashIn[t] = n
        }
        const delta = clashIn[t]! + Math.max(0, size[s]! - capacity[c % R]!) - size[s]!
        if (delta < bestDelta) {
          bestDelta = delta
          best = c
        }
      }
      if (best !== -1) place(s, best)
    }
  }
  greedy()
  // The grid as it stands, if it is valid and better than the greedy draft, is the start instead.
  if (options.current?.length) {
    const draft = Int32Array.from(cellOf)
    const draftCost = total()
    clear()
    for (let s = 0; s < S; s++) if (pinned[s] !== -1) place(s, pinned[s]!)
    const index = new Map(instance.sessions.map((s, i) => [s.id, i]))
    for (const a of options.current) {
      const s = index.get(a.session)
      const c = slotIndex.has(a.slot) && roomIndex.has(a.room) ? slotIndex.get(a.slot)! * R + roomIndex.get(a.room)! : -1
      if (s !== undefined && pinned[s] === -1 && cellOf[s] === -1 && c !== -1 && canPlace(s, c)) place(s, c)
    }
    // On a tie the grid as it stands wins: a draft should not move sessions for nothing.
    if (total() > draftCost) {
      clear()
      for (let s = 0; s < S; s++) if (draft[s] !== -1) place(s, draft[s]!)
    }
  }

  let best = Int32Array.from(cellOf)
  let bestCost = total()
  const rand = random(options.seed ?? 1)
  const cold = 0.02

  /**
   * One annealing run of `steps` steps from the current state, cooling from `hot` to `cold`.
   * It cools by whichever runs out first, its steps or the time left: a run the deadline
   * cuts short still ends cold, where the good states are, rather than stopping while hot.
   */
  const anneal = (steps: number, hot: number): void => {
    const started = Date.now()
    const span = deadline - started
    let timeFraction = 0
    for (let it = 0; it < steps; it++) {
      if ((it & 1023) === 0 && deadline !== Infinity) {
        const now = Date.now()
        if (now >= deadline) break
        timeFraction = (now - started) / span
      }
      const temperature = hot * Math.pow(cold / hot, Math.max(it / steps, timeFraction))
      const s = movable[(rand() * movable.length) | 0]!
      const before = total()
      const from = cellOf[s]!
      const undo: (() => void)[] = []

      if (from !== -1 && rand() < 0.05) {
        remove(s)
        undo.push(() => place(s, from))
      } else {
        const cells = allowedCells[s]!
        if (!cells.length) continue
        const to = cells[(rand() * cells.length) | 0]!
        if (to === from) continue
        const other = occupant[to]!
        if (other !== -1 && pinned[other] !== -1) continue
        // A move into an empty cell, a swap with a placed session, or (for a waiting session)
        // taking an occupied cell and leaving the other waiting.
        if (from !== -1) remove(s)
        if (other !== -1) remove(other)
        let ok = canPlace(s, to)
        if (ok) {
          place(s, to)
          if (other !== -1 && from !== -1) {
            if (canPlace(other, from)) place(other, from)
            else ok = false
          }
        }
        if (!ok) {
          if (cellOf[s] !== -1) remove(s)
          if (other !== -1) place(other, to)
          if (from !== -1) place(s, from)
          continue
        }
        undo.push(() => {
          if (other !== -1 && from !== -1) remove(other)
          remove(s)
          if (other !== -1) place(other, to)
          if (from !== -1) place(s, from)
        })
      }
      const delta = total() - before
      if (delta <= 0 || rand() < Math.exp(-delta / temperature)) {
        if (total() < bestCost) {
          bestCost = total()
          best = Int32Array.from(cellOf)
        }
      } else {
        for (const step of undo) step()
      }
    }
  }
  const restoreBest = () => {
    clear()
    for (let s = 0; s < S; s++) if (best[s] !== -1) place(s, best[s]!)
  }

  if (movable.length) {
    let steps = options.iterations ?? 3000 * movable.length
    anneal(steps, HOT)
    // With time to spare and no step count asked for: more runs from the best so far,
    // reheated, each twice as long (a slower cooling finds what a quick one misses), until
    // the time is up, nothing can be better (cost 0), or `patience` runs in a row gained nothing.
    const anytime = deadline !== Infinity && options.iterations === undefined
    let fruitless = 0
    while (anytime && Date.now() < deadline && bestCost > 0 && fruitless < (options.patience ?? Infinity)) {
      const before = bestCost
      restoreBest()
      steps *= 2
      anneal(steps, REHEAT)
      fruitless = bestCost < before ? 0 : fruitless + 1
    }
  }

  restoreBest()
  const assignments: Result['assignments'] = []
  const left: string[] = []
  instance.sessions.forEach((session, s) => {
    const c = cellOf[s]!
    if (c === -1) left.push(session.id)
    else assignments.push({ session: session.id, slot: instance.slots[(c / R) | 0]!.id, room: instance.rooms[c % R]!.id })
  })
  const cost: Cost = { clash, overflow, unscheduled, total: total() }
  return { assignments, unscheduled: left, cost }
}
