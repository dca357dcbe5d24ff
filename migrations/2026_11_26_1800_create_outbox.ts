import type { Kysely } from 'kysely'
import type { Dialect } from '../src/db/dialect.js'
import { withId } from './_lib/columns.js'

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  // Email notices waiting to go, written in the same transaction as the change that caused
  // them (the transactional outbox): a rolled-back change sends nothing, a committed one is
  // never lost. The idempotency key names the cause (kind, thing, version, person), so the
  // same notice can never be queued twice; it also becomes the Message-ID, so a resend after
  // a crash mid-send is the same message to every mail system that looks.
  await withId(db.schema.createTable('outbox'), dialect)
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    /** JSON: what the notice is about, as it was when queued (it is rendered from this). */
    .addColumn('payload', 'text', (c) => c.notNull())
    /** 'pending' until sent; 'failed' after a permanent refusal or the last retry. */
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    /** A worker's claim: nobody else takes the message until it runs out (a crashed worker's claim lapses). */
    .addColumn('claimed_until', 'text')
    .addColumn('claimed_by', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute()
  // The worker's one question: what is due now?
  await db.schema.createIndex('outbox_due_idx').on('outbox').columns(['status', 'next_attempt_at']).execute()
  await db.schema.createIndex('outbox_user_idx').on('outbox').column('user_id').execute()

  // Which notices a person has turned off (absence means on), by topic.
  await db.schema
    .createTable('email_opt_outs')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('email_opt_outs_pk', ['user_id', 'topic'])
    .execute()

  // The start time whose day-before reminders have been queued: a meetup moved later gets
  // reminded again for its new time, and no reminder is ever queued twice for one.
  await db.schema.alterTable('meetups').addColumn('reminded_for', 'text').execute()

  // Hosts' messages to everyone going: kept so the host sees what went, and so the rate
  // limit can count them.
  await withId(db.schema.createTable('meetup_messages'), dialect)
    .addColumn('meetup_id', 'integer', (c) => c.notNull().references('meetups.id').onDelete('cascade'))
    .addColumn('sender_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('recipients', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('meetup_messages_meetup_idx').on('meetup_messages').columns(['meetup_id', 'created_at']).execute()
  await db.schema.createIndex('meetup_messages_sender_idx').on('meetup_messages').column('sender_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('meetup_messages').execute()
  await db.schema.alterTable('meetups').dropColumn('reminded_for').execute()
  await db.schema.dropTable('email_opt_outs').execute()
  await db.schema.dropTable('outbox').execute()
}
