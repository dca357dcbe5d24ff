import { sql, type Kysely } from 'kysely'
import type { Dialect } from '../src/db/dialect.js'
import { withId } from './_lib/columns.js'

// What is left of a meetup, event or community its makers deleted: enough for its old address
// to say "deleted" (410) and, for a meetup, for the calendars it was in to go on showing it
// CANCELLED with a higher SEQUENCE for 30 days, as they do for cancellations.
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await withId(db.schema.createTable('tombstones'), dialect)
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('meetup', 'event', 'community')`))
    // The deleted row's id: calendar UIDs were made from it, and ids are never reused.
    .addColumn('target_id', 'integer', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    // A meetup's: what its calendar entry keeps.
    .addColumn('starts_at', 'text')
    .addColumn('ends_at', 'text')
    .addColumn('sequence', 'integer')
    .addColumn('community_id', 'integer', (c) => c.references('communities.id').onDelete('set null'))
    .addColumn('deleted_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('tombstones_target_uq', ['kind', 'target_id'])
    .execute()
  await db.schema.createIndex('tombstones_slug_idx').on('tombstones').columns(['kind', 'slug']).execute()
  await db.schema.createIndex('tombstones_community_idx').on('tombstones').columns(['community_id', 'deleted_at']).execute()

  // Whose personal calendars had the deleted meetup (its hosts, and anyone with a reply to a
  // cancelled one): theirs keep it, CANCELLED, too.
  await db.schema
    .createTable('tombstone_people')
    .addColumn('tombstone_id', 'integer', (c) => c.notNull().references('tombstones.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('tombstone_people_pk', ['tombstone_id', 'user_id'])
    .execute()
  await db.schema.createIndex('tombstone_people_user_idx').on('tombstone_people').column('user_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('tombstone_people').execute()
  await db.schema.dropTable('tombstones').execute()
}
