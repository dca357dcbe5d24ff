import { sql, type Kysely } from 'kysely'
import type { Dialect } from '../src/db/dialect.js'
import { withId } from './_lib/columns.js'

// Nobody is named as a host without saying yes: adding a co-host to a proposal or meetup, or a
// co-organiser to an event, invites them, and they appear only once they accept. And a meetup
// someone lists on an event that they do not organise waits for the event's organisers.
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await withId(db.schema.createTable('host_invitations'), dialect)
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('proposal', 'meetup', 'event')`))
    .addColumn('target_id', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('invited_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('host_invitations_once_uq', ['kind', 'target_id', 'user_id'])
    .execute()
  await db.schema.createIndex('host_invitations_user_idx').on('host_invitations').column('user_id').execute()

  // 1: shown on the event's page; 0: waiting for one of its organisers to approve.
  await db.schema.alterTable('meetups').addColumn('event_approved', 'integer', (c) => c.notNull().defaultTo(1)).execute()
  await db.schema.createIndex('meetups_event_pending_idx').on('meetups').columns(['event_id', 'event_approved']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('meetups_event_pending_idx').execute()
  await db.schema.alterTable('meetups').dropColumn('event_approved').execute()
  await db.schema.dropTable('host_invitations').execute()
}
