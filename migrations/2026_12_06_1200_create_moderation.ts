import { sql, type Kysely } from 'kysely'
import type { Dialect } from '../src/db/dialect.js'
import { withId } from './_lib/columns.js'

const HIDEABLE = ['proposals', 'topics', 'meetups', 'meetup_messages', 'users'] as const

// Reporting and moderation (issue 20). Anyone signed in may report an item; its hosts, its
// event's organisers or the admin hide it (with a reason its author is shown), restore it or
// dismiss the report, and every such action is kept in moderation_log. A hidden row keeps
// `hidden_at` set, so every list filters on one column; `hidden_cause` tells a moderator's
// hiding ('report') from a suspension's ('suspension'), so lifting a suspension brings back
// only what the suspension hid.
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await withId(db.schema.createTable('reports'), dialect)
    .addColumn('reporter_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('item_kind', 'text', (c) => c.notNull().check(sql`item_kind in ('proposal', 'topic', 'meetup', 'profile', 'host_message')`))
    .addColumn('item_id', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'hidden', 'dismissed', 'restored')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .execute()
  await db.schema.createIndex('reports_status_idx').on('reports').columns(['status', 'id']).execute()
  await db.schema.createIndex('reports_item_idx').on('reports').columns(['item_kind', 'item_id']).execute()
  await db.schema.createIndex('reports_reporter_idx').on('reports').column('reporter_id').execute()

  await withId(db.schema.createTable('moderation_log'), dialect)
    .addColumn('actor_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('item_kind', 'text', (c) => c.notNull())
    .addColumn('item_id', 'integer', (c) => c.notNull())
    .addColumn('report_id', 'integer', (c) => c.references('reports.id').onDelete('set null'))
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('moderation_log_created_idx').on('moderation_log').column('created_at').execute()
  await db.schema.createIndex('moderation_log_item_idx').on('moderation_log').columns(['item_kind', 'item_id']).execute()

  for (const table of HIDEABLE) {
    await db.schema.alterTable(table).addColumn('hidden_at', 'text').execute()
    await db.schema.alterTable(table).addColumn('hidden_reason', 'text').execute()
    await db.schema.alterTable(table).addColumn('hidden_cause', 'text').execute()
  }
  await db.schema.alterTable('users').addColumn('suspended_at', 'text').execute()
  await db.schema.alterTable('users').addColumn('suspended_reason', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('suspended_reason').execute()
  await db.schema.alterTable('users').dropColumn('suspended_at').execute()
  for (const table of HIDEABLE) {
    await db.schema.alterTable(table).dropColumn('hidden_cause').execute()
    await db.schema.alterTable(table).dropColumn('hidden_reason').execute()
    await db.schema.alterTable(table).dropColumn('hidden_at').execute()
  }
  await db.schema.dropTable('moderation_log').execute()
  await db.schema.dropTable('reports').execute()
}
