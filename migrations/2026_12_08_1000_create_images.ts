import { sql, type Kysely } from 'kysely'
import type { Dialect } from '../src/db/dialect.js'
import { withId } from './_lib/columns.js'

// The one image an event or a meetup may have (issue 22). The files live under
// <dataDir>/images/, named from `key` (random, never from what was uploaded): `<key>.webp` for
// the page and `<key>-card.jpg` for link cards. A row belongs to exactly one event or meetup.
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await withId(db.schema.createTable('images'), dialect)
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('event_id', 'integer', (c) => c.references('events.id'))
    .addColumn('meetup_id', 'integer', (c) => c.references('meetups.id'))
    .addColumn('alt', 'text', (c) => c.notNull())
    // The page variant's own size, for the width and height attributes of <img>.
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('images_one_owner', sql`(event_id is null) <> (meetup_id is null)`)
    .execute()
  // One image per event and per meetup; NULLs (the other kind's rows) do not collide.
  await db.schema.createIndex('images_event_uq').on('images').column('event_id').unique().execute()
  await db.schema.createIndex('images_meetup_uq').on('images').column('meetup_id').unique().execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('images').execute()
}
