// Seeded generators of auto-scheduler instances, for the benchmark and the tests: rooms of
// mixed sizes (a few with a projector or step-free access), sessions with one or two hosts,
// people with a handful of interests skewed towards popular sessions, a few pins and needs.
import type { Instance } from '../src/features/schedule/autoschedule/instance.js'
import { random } from '../src/features/schedule/autoschedule/solver.js'

export interface Shape {
  sessions: number
  rooms: number
  slots: number
  people: number
  interestsEach: number
  /** Share of sessions pinned (0–1); pins go to distinct cells, hosts permitting. */
  pinned?: number
}

export function generate(shape: Shape, seed: number): Instance {
  const rand = random(seed)
  const pick = <T>(items: readonly T[]): T => items[(rand() * items.length) | 0]!
  const slots = Array.from({ length: shape.slots }, (_, i) => ({ id: `s${i + 1}` }))
  // Capacities from a big hall down to small rooms; total seats about the number of people per slot.
  const rooms = Array.from({ length: shape.rooms }, (_, i) => ({
    id: `r${i + 1}`,
    capacity: Math.max(8, Math.round(((shape.people / shape.rooms) * 2.2) / (1 + i * 0.35))),
    features: [...(i % 3 !== 2 ? ['projector'] : []), ...(i % 4 !== 3 ? ['step-free'] : [])],
  }))
  const people = Array.from({ length: shape.people }, (_, i) => `u${i + 1}`)
  const sessions: Instance['sessions'] = Array.from({ length: shape.sessions }, (_, i) => ({
    id: `p${i + 1}`,
    hosts: rand() < 0.2 ? [pick(people), pick(people)] : [pick(people)],
    interested: [] as string[],
    ...(rand() < 0.2 ? { needs: [pick(['projector', 'step-free'])] } : {}),
    ...(rand() < 0.05 ? { unavailable: [pick(slots).id] } : {}),
  }))
  // Popularity: a long tail, so some sessions want the big rooms.
  const weights = sessions.map((_, i) => 1 / (1 + i * 0.05))
  const sum = weights.reduce((a, b) => a + b, 0)
  for (const person of people) {
    const chosen = new Set<number>()
    while (chosen.size < Math.min(shape.interestsEach, sessions.length)) {
      let x = rand() * sum
      let i = 0
      while (x > weights[i]! && i < weights.length - 1) x -= weights[i++]!
      chosen.add(i)
    }
    for (const i of chosen) sessions[i]!.interested!.push(person)
  }
  // A few pins in distinct cells, skipping any that would break a need or put a host in two places.
  const usedCells = new Set<string>()
  const busyHosts = new Set<string>()
  for (const session of sessions) {
    if (rand() >= (shape.pinned ?? 0)) continue
    const slot = pick(slots).id
    const room = pick(rooms)
    const cell = `${slot}/${room.id}`
    if (usedCells.has(cell) || (session.unavailable ?? []).includes(slot)) continue
    if (!(session.needs ?? []).every((n) => room.features.includes(n))) continue
    if ((session.hosts ?? []).some((h) => busyHosts.has(`${slot}/${h}`))) continue
    usedCells.add(cell)
    for (const h of session.hosts ?? []) busyHosts.add(`${slot}/${h}`)
    session.pin = { slot, room: room.id }
  }
  return { slots, rooms, sessions }
}
