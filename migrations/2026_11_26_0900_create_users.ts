import { sql, type Kysely } from 'kysely'
import type { Dialect } from '../src/db/dialect.js'
import { withId } from './_lib/columns.js'

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await withId(db.schema.createTable('users'), dialect)
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('handle', 'text', (c) => c.unique())
    .addColumn('bio', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('x_handle', 'text')
    .addColumn('mastodon_handle', 'text')
    .addColumn('bluesky_handle', 'text')
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('member').check(sql`role in ('member', 'organiser', 'admin')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await withId(db.schema.createTable('rate_limit_hits'), dialect)
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  // Every limit check counts one bucket's hits inside a time window.
  await db.schema.createIndex('rate_limit_hits_bucket_created_at_idx').on('rate_limit_hits').columns(['bucket', 'created_at']).execute()
  // Old hits are swept by time alone.
  await db.schema.createIndex('rate_limit_hits_created_at_idx').on('rate_limit_hits').column('created_at').execute()

  await db.schema
    .createTable('site_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('site_settings').execute()
  await db.schema.dropTable('rate_limit_hits').execute()
  await db.schema.dropTable('users').execute()
}
