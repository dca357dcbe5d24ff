// Rooms of an event. Kysely only, db first.
import type { Kysely } from 'kysely'
import type { Database, RoomRow } from '../../db/database.js'

export type RoomFields = Pick<RoomRow, 'name' | 'capacity' | 'location' | 'features' | 'accessibility_notes'>

export async function listRooms(db: Kysely<Database>, eventId: number): Promise<RoomRow[]> {
  return db.selectFrom('rooms').selectAll().where('event_id', '=', eventId).orderBy('position').orderBy('id').execute()
}

export async function findRoom(db: Kysely<Database>, eventId: number, id: number): Promise<RoomRow | undefined> {
  return db.selectFrom('rooms').selectAll().where('event_id', '=', eventId).where('id', '=', id).executeTakeFirst()
}

/** A new room goes to the right-hand end of the grid. */
export async function insertRoom(db: Kysely<Database>, eventId: number, fields: RoomFields, stamp: string): Promise<RoomRow> {
  const last = await db.selectFrom('rooms').select((eb) => eb.fn.max('position').as('position')).where('event_id', '=', eventId).executeTakeFirst()
  return db
    .insertInto('rooms')
    .values({ event_id: eventId, ...fields, position: (last?.position ?? 0) + 1, created_at: stamp, updated_at: stamp })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function updateRoom(db: Kysely<Database>, id: number, changes: Partial<RoomFields> & { position?: number; updated_at: string }): Promise<void> {
  await db.updateTable('rooms').set(changes).where('id', '=', id).execute()
}

export async function deleteRoom(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('rooms').where('id', '=', id).execute()
}
