// Time slots of an event. Kysely only, db first.
import type { Kysely } from 'kysely'
import type { Database, SlotRow } from '../../db/database.js'

export type SlotFields = Pick<SlotRow, 'day' | 'start_time' | 'end_time' | 'starts_at' | 'ends_at' | 'kind' | 'label'>

/** In time order: the grid's rows, top to bottom. */
export async function listSlots(db: Kysely<Database>, eventId: number): Promise<SlotRow[]> {
  return db.selectFrom('slots').selectAll().where('event_id', '=', eventId).orderBy('starts_at').orderBy('id').execute()
}

export async function findSlot(db: Kysely<Database>, eventId: number, id: number): Promise<SlotRow | undefined> {
  return db.selectFrom('slots').selectAll().where('event_id', '=', eventId).where('id', '=', id).executeTakeFirst()
}

export async function insertSlots(db: Kysely<Database>, eventId: number, slots: SlotFields[], stamp: string): Promise<void> {
  if (!slots.length) return
  await db
    .insertInto('slots')
    .values(slots.map((slot) => ({ event_id: eventId, ...slot, created_at: stamp, updated_at: stamp })))
    .execute()
}

export async function updateSlot(db: Kysely<Database>, id: number, changes: Partial<SlotFields> & { updated_at: string }): Promise<void> {
  await db.updateTable('slots').set(changes).where('id', '=', id).execute()
}

export async function deleteSlot(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('slots').where('id', '=', id).execute()
}

export async function hasSlotsOutside(db: Kysely<Database>, eventId: number, firstDay: string, lastDay: string): Promise<boolean> {
  const row = await db
    .selectFrom('slots')
    .select('id')
    .where('event_id', '=', eventId)
    .where((eb) => eb.or([eb('day', '<', firstDay), eb('day', '>', lastDay)]))
    .executeTakeFirst()
  return row !== undefined
}
