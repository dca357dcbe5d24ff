// The auto-scheduler's input and output, exactly as docs/autoschedule.md defines them, and
// the check that an instance makes sense before anything is solved.

export interface Instance {
  /** In time order. */
  slots: { id: string }[]
  rooms: { id: string; capacity: number; features?: string[] }[]
  sessions: {
    id: string
    hosts?: string[]
    interested?: string[]
    pin?: { slot: string; room: string } | null
    unavailable?: string[]
    needs?: string[]
  }[]
}

export interface Cost {
  clash: number
  overflow: number
  unscheduled: number
  total: number
}

export interface Result {
  assignments: { session: string; slot: string; room: string }[]
  unscheduled: string[]
  cost: Cost
}

export class InvalidInstance extends Error {}

/** More seats than any room has; keeps every sum an exact number. */
const MAX_CAPACITY = 1_000_000_000

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string')

function uniqueIds(kind: string, items: { id: string }[]): Set<string> {
  const ids = new Set<string>()
  for (const item of items) {
    if (ids.has(item.id)) throw new InvalidInstance(`duplicate ${kind} id "${item.id}"`)
    ids.add(item.id)
  }
  return ids
}

/**
 * Checks shape and meaning: ids unique and known, capacities whole and not negative, and
 * every pin placeable (its slot available, its room meeting the needs, no host pinned twice
 * into one slot, no two pins in one cell). Returns the instance typed; throws InvalidInstance
 * naming the first problem.
 */
export function checkInstance(raw: unknown): Instance {
  if (!isObject(raw)) throw new InvalidInstance('the instance must be a JSON object')
  const { slots, rooms, sessions } = raw
  if (!Array.isArray(slots) || !slots.every((s) => isObject(s) && typeof s.id === 'string')) throw new InvalidInstance('"slots" must be a list of {"id": string}')
  if (!Array.isArray(rooms) || !rooms.every((r) => isObject(r) && typeof r.id === 'string')) throw new InvalidInstance('"rooms" must be a list of {"id": string, "capacity": number}')
  if (!Array.isArray(sessions) || !sessions.every((s) => isObject(s) && typeof s.id === 'string')) throw new InvalidInstance('"sessions" must be a list of {"id": string, …}')
  const instance = raw as unknown as Instance
  const slotIds = uniqueIds('slot', instance.slots)
  const roomIds = uniqueIds('room', instance.rooms)
  uniqueIds('session', instance.sessions)
  const features = new Map<string, Set<string>>()
  for (const room of instance.rooms) {
    if (!Number.isInteger(room.capacity) || room.capacity < 0 || room.capacity > MAX_CAPACITY) throw new InvalidInstance(`room "${room.id}": capacity must be a whole number from 0 to ${MAX_CAPACITY}`)
    if (room.features !== undefined && !isStringArray(room.features)) throw new InvalidInstance(`room "${room.id}": features must be a list of strings`)
    features.set(room.id, new Set(room.features ?? []))
  }
  const pinnedCells = new Map<string, string>()
  const pinnedHosts = new Map<string, string>()
  for (const session of instance.sessions) {
    for (const field of ['hosts', 'interested', 'unavailable', 'needs'] as const) {
      if (session[field] !== undefined && !isStringArray(session[field])) throw new InvalidInstance(`session "${session.id}": ${field} must be a list of strings`)
    }
    for (const slot of session.unavailable ?? []) if (!slotIds.has(slot)) throw new InvalidInstance(`session "${session.id}": unknown unavailable slot "${slot}"`)
    const pin = session.pin
    if (pin === undefined || pin === null) continue
    if (!isObject(pin) || typeof pin.slot !== 'string' || typeof pin.room !== 'string') throw new InvalidInstance(`session "${session.id}": pin must be {"slot": id, "room": id}`)
    if (!slotIds.has(pin.slot)) throw new InvalidInstance(`session "${session.id}": pinned to unknown slot "${pin.slot}"`)
    if (!roomIds.has(pin.room)) throw new InvalidInstance(`session "${session.id}": pinned to unknown room "${pin.room}"`)
    if ((session.unavailable ?? []).includes(pin.slot)) throw new InvalidInstance(`session "${session.id}": pinned to slot "${pin.slot}", which it is unavailable for`)
    const missing = (session.needs ?? []).filter((need) => !features.get(pin.room)!.has(need))
    if (missing.length) throw new InvalidInstance(`session "${session.id}": pinned to room "${pin.room}", which lacks ${missing.join(', ')}`)
    const cell = `${pin.slot}\u0000${pin.room}`
    if (pinnedCells.has(cell)) throw new InvalidInstance(`sessions "${pinnedCells.get(cell)}" and "${session.id}" are pinned to the same room and slot`)
    pinnedCells.set(cell, session.id)
    for (const host of new Set(session.hosts ?? [])) {
      const key = `${pin.slot}\u0000${host}`
      if (pinnedHosts.has(key)) throw new InvalidInstance(`host "${host}" is pinned into two sessions in slot "${pin.slot}" ("${pinnedHosts.get(key)}" and "${session.id}")`)
      pinnedHosts.set(key, session.id)
    }
  }
  return instance
}
