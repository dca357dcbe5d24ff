import { sql, type Kysely } from 'kysely'
import type { Dialect } from '../src/db/dialect.js'
import { withId } from './_lib/columns.js'

// Sign in with Mastodon or Bluesky (issue 21). An account made by such a sign-in has no email
// and no password, so both become nullable; identities, sign-in attempts and our per-server app
// registrations get tables of their own.
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await setEmailAndPasswordRequired(db, dialect, false)

  await withId(db.schema.createTable('user_identities'), dialect)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('provider', 'text', (c) => c.notNull().check(sql`provider in ('mastodon', 'bluesky')`))
    // Stable at the provider: "<server>/<account id>" for Mastodon, the DID for Bluesky.
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('handle', 'text', (c) => c.notNull())
    .addColumn('profile_url', 'text')
    .addColumn('display_name', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_signed_in_at', 'text')
    .addUniqueConstraint('user_identities_provider_subject_uq', ['provider', 'subject'])
    .execute()
  await db.schema.createIndex('user_identities_user_idx').on('user_identities').column('user_id').execute()

  await withId(db.schema.createTable('oauth_attempts'), dialect)
    .addColumn('state', 'text', (c) => c.notNull().unique())
    .addColumn('provider', 'text', (c) => c.notNull().check(sql`provider in ('mastodon', 'bluesky')`))
    .addColumn('server', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('link_user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('next_path', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    // Bluesky (AT Protocol OAuth) binds its tokens to a key of ours (DPoP).
    .addColumn('dpop_private_jwk', 'text')
    .addColumn('dpop_nonce', 'text')
    .execute()
  // Old attempts are swept by time.
  await db.schema.createIndex('oauth_attempts_expires_at_idx').on('oauth_attempts').column('expires_at').execute()
  await db.schema.createIndex('oauth_attempts_link_user_idx').on('oauth_attempts').column('link_user_id').execute()

  await withId(db.schema.createTable('oauth_clients'), dialect)
    .addColumn('server', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('client_secret', 'text')
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('oauth_clients_server_redirect_uq', ['server', 'redirect_uri'])
    .execute()
}

export async function down(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema.dropTable('oauth_clients').execute()
  await db.schema.dropTable('oauth_attempts').execute()
  await db.schema.dropTable('user_identities').execute()
  // Accounts that have no email or password cannot survive the way back.
  await db.deleteFrom('users').where((eb) => eb.or([eb('email', 'is', null), eb('password_hash', 'is', null)])).execute()
  await setEmailAndPasswordRequired(db, dialect, true)
}

async function setEmailAndPasswordRequired(db: Kysely<any>, dialect: Dialect, required: boolean): Promise<void> {
  if (dialect === 'postgres') {
    for (const column of ['email', 'password_hash']) {
      await db.schema
        .alterTable('users')
        .alterColumn(column, (c) => (required ? c.setNotNull() : c.dropNotNull()))
        .execute()
    }
    return
  }
  await rebuildSqliteUsers(db, (create) => {
    const swaps: Array<[string, string]> = [
      ['"email" text not null unique', '"email" text unique'],
      ['"password_hash" text not null', '"password_hash" text'],
    ]
    let changed = create
    for (const [withNotNull, without] of swaps) {
      const [from, to] = required ? [without, withNotNull] : [withNotNull, without]
      if (!changed.includes(from)) throw new Error(`users: expected ${from} in its CREATE TABLE`)
      changed = changed.replace(from, to)
    }
    return changed
  })
}

/**
 * SQLite cannot change a column's constraints: the table is rebuilt the documented way
 * (https://sqlite.org/lang_altertable.html, section 7). users itself is never renamed, which
 * would rewrite every other table's foreign keys to the old name. Kysely runs SQLite
 * migrations outside a transaction (its SQLite adapter has no transactional DDL), which is
 * what lets the foreign_keys pragma take effect; we check that it did.
 */
async function rebuildSqliteUsers(db: Kysely<any>, changeCreate: (create: string) => string): Promise<void> {
  await sql`pragma foreign_keys = off`.execute(db)
  const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db)
  if (fk.rows[0]?.foreign_keys !== 0) throw new Error('users: foreign keys could not be turned off (inside a transaction?)')
  try {
    await db.transaction().execute(async (trx) => {
      const table = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'users'`.execute(trx)
      const create = table.rows[0]?.sql
      if (!create) throw new Error('users: no CREATE TABLE in sqlite_master')
      // Indexes SQLite made for UNIQUE constraints have no sql and come back with the table.
      const dependants = await sql<{ sql: string }>`select sql from sqlite_master where tbl_name = 'users' and type in ('index', 'trigger') and sql is not null`.execute(trx)
      const newCreate = changeCreate(create).replace(/^CREATE TABLE "users"/, 'CREATE TABLE "users_new"')
      if (!newCreate.startsWith('CREATE TABLE "users_new"')) throw new Error('users: unexpected CREATE TABLE')
      await sql.raw(newCreate).execute(trx)
      await sql`insert into users_new select * from users`.execute(trx)
      // Triggers elsewhere (search) name users: with the modern rename, SQLite would check them
      // against a schema where users is briefly missing; the legacy rename leaves them alone.
      await sql`pragma legacy_alter_table = on`.execute(trx)
      await sql`drop table users`.execute(trx)
      await sql`alter table users_new rename to users`.execute(trx)
      await sql`pragma legacy_alter_table = off`.execute(trx)
      for (const { sql: statement } of dependants.rows) await sql.raw(statement).execute(trx)
      const broken = await sql`pragma foreign_key_check`.execute(trx)
      if (broken.rows.length > 0) throw new Error(`users: ${broken.rows.length} foreign keys broken by the rebuild`)
    })
  } finally {
    // Also when the rebuild failed part-way: the connection goes on serving the app.
    await sql`pragma legacy_alter_table = off`.execute(db)
    await sql`pragma foreign_keys = on`.execute(db)
  }
}
