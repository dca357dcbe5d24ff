import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // Calendar SEQUENCE numbers: bumped on every change of a meetup, and of a community's chat
  // schedule or its exceptions (each chat's SEQUENCE is its schedule's).
  await db.schema.alterTable('meetups').addColumn('sequence', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  await db.schema.alterTable('chat_schedules').addColumn('sequence', 'integer', (c) => c.notNull().defaultTo(0)).execute()

  // One secret per person for their personal calendar feed; a new one replaces the old at once.
  await db.schema
    .createTable('calendar_tokens')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  // When each feed's body last changed, found by comparing its ETag with the last one served:
  // the one Last-Modified that is right even when a feed changes by something being removed
  // (an unstarred session, a cancelled chat that aged out), which no row's timestamp records.
  await db.schema
    .createTable('feed_versions')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('etag', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('feed_versions').execute()
  await db.schema.dropTable('calendar_tokens').execute()
  await db.schema.alterTable('chat_schedules').dropColumn('sequence').execute()
  await db.schema.alterTable('meetups').dropColumn('sequence').execute()
}
