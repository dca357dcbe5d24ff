import { sql, type Kysely } from 'kysely'
import type { Dialect } from '../src/db/dialect.js'
import { withId } from './_lib/columns.js'

// Password reset and email verification. Each emailed link names one row here and carries an
// HMAC over it (see features/accounts/account-links.ts): the row makes a link single-use and
// lets it expire; the key, which is not in the database, makes it unforgeable.
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema.alterTable('users').addColumn('email_verified_at', 'text').execute()
  // Accounts from before verification existed have been getting email all along: they keep it.
  await sql`update users set email_verified_at = created_at`.execute(db)

  await withId(db.schema.createTable('account_links'), dialect)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('reset', 'verify')`))
    // For 'verify': the address being confirmed (the account's own, or the one it is changing to).
    .addColumn('email', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute()
  // Links are found by id; a reset retires a person's other open links by user.
  await db.schema.createIndex('account_links_user_idx').on('account_links').columns(['user_id', 'purpose']).execute()
  await db.schema.createIndex('account_links_expires_at_idx').on('account_links').column('expires_at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('account_links').execute()
  await db.schema.alterTable('users').dropColumn('email_verified_at').execute()
}
