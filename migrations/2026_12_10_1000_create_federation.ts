import type { Kysely } from 'kysely'
import type { Dialect } from '../src/db/dialect.js'
import { withId } from './_lib/columns.js'

// ActivityPub (issue 21): Fedify's key-value store and message queue kept in our own database,
// so that several app processes share them and nothing is lost on restart; the key pairs our
// actors sign with; who follows them; and what each actor has sent (its outbox).
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  // Fedify's caches and idempotency marks. The key is the JSON of Fedify's key array.
  await db.schema
    .createTable('fedify_kv')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .execute()
  // The sweep of expired entries.
  await db.schema.createIndex('fedify_kv_expires_idx').on('fedify_kv').column('expires_at').execute()

  // Deliveries and inbox work waiting to run. A worker claims a message by setting locked_until
  // in one UPDATE; a claim that runs out (its process died) frees the message again.
  await withId(db.schema.createTable('fedify_queue'), dialect)
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('deliver_after', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  // The workers' one question: what is due now?
  await db.schema.createIndex('fedify_queue_due_idx').on('fedify_queue').columns(['deliver_after', 'id']).execute()

  // Each actor's key pairs as JWK: RSA for HTTP Signatures, Ed25519 for Object Integrity Proofs.
  await db.schema
    .createTable('federation_keys')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('algorithm', 'text', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('private_jwk', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('federation_keys_pk', ['actor', 'algorithm'])
    .execute()

  // Remote actors following one of ours ("c12": community 12).
  await withId(db.schema.createTable('federation_followers'), dialect)
    .addColumn('target_actor', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_inbox', 'text', (c) => c.notNull())
    .addColumn('shared_inbox', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('federation_followers_pair_uq', ['target_actor', 'actor_id'])
    .execute()

  // What each of our actors has sent, newest last: its outbox collection.
  await withId(db.schema.createTable('federation_activities'), dialect)
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('activity_id', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    /** The activity as sent, in compacted JSON-LD. */
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('federation_activities_actor_idx').on('federation_activities').columns(['actor', 'id']).execute()
  // What was last sent about one meetup or note, by each actor: found by the object's id.
  await db.schema.createIndex('federation_activities_object_idx').on('federation_activities').columns(['object_id', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('federation_activities').execute()
  await db.schema.dropTable('federation_followers').execute()
  await db.schema.dropTable('federation_keys').execute()
  await db.schema.dropTable('fedify_queue').execute()
  await db.schema.dropTable('fedify_kv').execute()
}
