import type { Kysely } from 'kysely'

// Outbox workers say they are alive (issue 23). A message's claim names the worker that holds
// it and lasts exactly as long as that worker does: a restarted worker takes back its dead
// predecessor's messages at once (same host and pid namespace, process gone) or once the heartbeat has gone
// quiet (another host), instead of waiting out a five-minute lease.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mail_workers')
    // host:pid:random, also written into outbox.claimed_by.
    .addColumn('id', 'text', (c) => c.primaryKey())
    // The host name and, on Linux, the pid namespace: where `pid` can be asked about.
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('heartbeat_at', 'text', (c) => c.notNull())
    .execute()
  // The lease is gone: a claim is good while its worker's row is. Claims held under the old
  // rule name no registered worker, so the first new worker takes them back.
  await db.schema.alterTable('outbox').dropColumn('claimed_until').execute()
  await db.schema.createIndex('outbox_claimed_by_idx').on('outbox').column('claimed_by').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('outbox_claimed_by_idx').execute()
  await db.schema.alterTable('outbox').addColumn('claimed_until', 'text').execute()
  await db.schema.dropTable('mail_workers').execute()
}
