// The cost of an assignment, computed plainly from the definition (docs/autoschedule.md):
// the solver keeps its own running totals, and the tests hold them to this.
import type { Cost, Instance } from './instance.js'

/** A session's interest: its hosts and its interested people, each person once. */
export function interestOf(session: Instance['sessions'][number]): Set<string> {
  return new Set([...(session.hosts ?? []), ...(session.interested ?? [])])
}

export function costOf(instance: Instance, assignments: readonly { session: string; slot: string; room: string }[]): Cost {
  const capacity = new Map(instance.rooms.map((r) => [r.id, r.capacity]))
  const placed = new Map(assignments.map((a) => [a.session, a]))
  let clash = 0
  let overflow = 0
  let unscheduled = 0
  const wants = new Map<string, number>() // person + slot → sessions wanted there
  for (const session of instance.sessions) {
    const interest = interestOf(session)
    const where = placed.get(session.id)
    if (!where) {
      unscheduled += interest.size
      continue
    }
    overflow += Math.max(0, interest.size - (capacity.get(where.room) ?? 0))
    for (const person of interest) {
      const key = `${person}\u0000${where.slot}`
      wants.set(key, (wants.get(key) ?? 0) + 1)
    }
  }
  for (const count of wants.values()) clash += Math.max(0, count - 1)
  return { clash, overflow, unscheduled, total: clash + overflow + unscheduled }
}
