// The images table: one row per event or meetup that has an image (see images.service.ts).
import type { Kysely } from 'kysely'
import type { Database, ImageRow } from '../../db/database.js'

export type ImageOwner = { kind: 'event'; id: number } | { kind: 'meetup'; id: number }

function ownerColumn(owner: ImageOwner): 'event_id' | 'meetup_id' {
  return owner.kind === 'event' ? 'event_id' : 'meetup_id'
}

export async function findImage(db: Kysely<Database>, owner: ImageOwner): Promise<ImageRow | undefined> {
  return db.selectFrom('images').selectAll().where(ownerColumn(owner), '=', owner.id).executeTakeFirst()
}

export async function findImageByKey(db: Kysely<Database>, key: string): Promise<Pick<ImageRow, 'key'> | undefined> {
  return db.selectFrom('images').select('key').where('key', '=', key).executeTakeFirst()
}

/** Deletes the owner's image row, if any, and gives back its key (its files go after the commit). */
export async function takeImage(db: Kysely<Database>, owner: ImageOwner): Promise<string[]> {
  const rows = await db.deleteFrom('images').where(ownerColumn(owner), '=', owner.id).returning('key').execute()
  return rows.map((r) => r.key)
}

export async function insertImage(db: Kysely<Database>, owner: ImageOwner, image: { key: string; alt: string; width: number; height: number }, now: Date): Promise<void> {
  await db
    .insertInto('images')
    .values({
      key: image.key,
      event_id: owner.kind === 'event' ? owner.id : null,
      meetup_id: owner.kind === 'meetup' ? owner.id : null,
      alt: image.alt,
      width: image.width,
      height: image.height,
      created_at: now.toISOString(),
    })
    .execute()
}

export async function setImageAlt(db: Kysely<Database>, owner: ImageOwner, alt: string): Promise<number> {
  const result = await db.updateTable('images').set({ alt }).where(ownerColumn(owner), '=', owner.id).executeTakeFirst()
  return Number(result.numUpdatedRows)
}
