// Adding, changing, ordering and removing rooms; each a transaction that locks the event
// first, so it cannot interleave with another organiser's grid change.
import type { Kysely } from 'kysely'
import type { Database, EventRow } from '../../db/database.js'
import { isUniqueViolation } from '../../db/errors.js'
import { RefusedError } from '../../lib/http-errors.js'
import { lockEvent } from '../events/events.queries.js'
import { bumpRoomEntries, countLiveEntries } from './grid.queries.js'
import { deleteRoom, findRoom, insertRoom, listRooms, updateRoom, type RoomFields } from './rooms.queries.js'

export type SaveRoomResult = { ok: true } | { ok: false; field: 'name'; key: 'rooms.name.taken' }

/** Adds a room (roomId null) or changes one; room names are unique within an event. */
export async function saveRoom(db: Kysely<Database>, event: EventRow, roomId: number | null, fields: RoomFields, now: Date): Promise<SaveRoomResult> {
  const stamp = now.toISOString()
  try {
    await db.transaction().execute(async (trx) => {
      await lockEvent(trx, event.id)
      if (roomId === null) return insertRoom(trx, event.id, fields, stamp)
      const room = await findRoom(trx, event.id, roomId)
      if (!room) throw new RefusedError('rooms.refused.missing')
      await updateRoom(trx, roomId, { ...fields, updated_at: stamp })
      // A renamed room is a new place in every calendar that lists its sessions.
      if (room.name !== fields.name) await bumpRoomEntries(trx, roomId, stamp)
    })
    return { ok: true }
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, field: 'name', key: 'rooms.name.taken' }
    throw error
  }
}

/** A room with sessions in it stays: the organiser moves them out first, on purpose. */
export async function removeRoom(db: Kysely<Database>, event: EventRow, roomId: number): Promise<string> {
  return db.transaction().execute(async (trx) => {
    await lockEvent(trx, event.id)
    const room = await findRoom(trx, event.id, roomId)
    if (!room) throw new RefusedError('rooms.refused.missing')
    // Cancelled sessions stay in calendars for 30 days; deleting their room or slot would drop them.
    const count = await countLiveEntries(trx, { roomId }, new Date(Date.now() - 30 * 86400000).toISOString())
    if (count > 0) throw new RefusedError('rooms.refused.inUse', { name: room.name, count: String(count) })
    await deleteRoom(trx, roomId)
    return room.name
  })
}

/** Swaps a room with its neighbour to the left or right of the grid. */
export async function moveRoom(db: Kysely<Database>, event: EventRow, roomId: number, direction: 'left' | 'right', now: Date): Promise<void> {
  const stamp = now.toISOString()
  await db.transaction().execute(async (trx) => {
    await lockEvent(trx, event.id)
    const rooms = await listRooms(trx, event.id)
    const index = rooms.findIndex((r) => r.id === roomId)
    if (index === -1) throw new RefusedError('rooms.refused.missing')
    const otherIndex = direction === 'left' ? index - 1 : index + 1
    if (otherIndex < 0 || otherIndex >= rooms.length) return
    const order = [...rooms]
    ;[order[index], order[otherIndex]] = [order[otherIndex]!, order[index]!]
    // Renumbered 1..n from the new order, so gaps or ties left by deletions heal on the way.
    for (const [i, room] of order.entries()) {
      if (room.position !== i + 1) await updateRoom(trx, room.id, { position: i + 1, updated_at: stamp })
    }
  })
}
