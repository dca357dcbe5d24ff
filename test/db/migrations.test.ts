import assert from 'node:assert/strict'
import { after, test } from 'node:test'
import { sql } from 'kysely'
import { createDb } from '../../src/db/create-db.js'
import { migrateDownToEmpty, migrateTo, migrateToLatest } from '../../src/db/migrator.js'
import { currentDialect } from '../helpers/dialects.js'
import { freshDatabase } from '../helpers/fresh-database.js'

const dialect = currentDialect()

async function tableNames(db: ReturnType<typeof createDb>): Promise<string[]> {
  const tables = await db.introspection.getTables()
  return tables.map((t) => t.name).filter((n) => !n.startsWith('kysely_')).sort()
}

test(`migrations run up from empty, down to empty and up again on ${dialect}`, async () => {
  const fresh = await freshDatabase()
  const db = createDb(fresh.database)
  after(async () => {
    await db.destroy()
    await fresh.drop()
  })

  assert.deepEqual(await tableNames(db), [])
  const up = await migrateToLatest(db, dialect)
  assert.ok(up.length > 0, 'some migrations ran')
  // Search (migration 2026_12_08_1100): an FTS5 table and its shadow tables per kind on SQLite, one table of proposal documents on PostgreSQL.
  const searchTables =
    dialect === 'sqlite' ? ['communities', 'events', 'meetups', 'proposals'].flatMap((kind) => ['', '_config', '_data', '_docsize', '_idx'].map((part) => `${kind}_search${part}`)) : ['proposal_search']
  assert.deepEqual(await tableNames(db), [
    ...searchTables,
    'account_links', 'calendar_tokens', 'chat_exceptions', 'chat_schedules', 'communities', 'community_members', 'email_opt_outs', 'event_organisers', 'events', 'federation_activities', 'federation_followers', 'federation_keys', 'fedify_kv', 'fedify_queue', 'feed_versions', 'host_invitations', 'images', 'mail_workers', 'meetup_answers', 'meetup_hosts',
    'meetup_messages', 'meetup_questions', 'meetups', 'moderation_log', 'oauth_attempts', 'oauth_clients', 'outbox', 'proposal_hosts', 'proposal_votes', 'proposals', 'rate_limit_hits', 'reports', 'rooms', 'rsvps', 'schedule_changes', 'schedule_entries', 'sessions', 'site_settings', 'slots', 'stars', 'tombstone_people', 'tombstones',
    'topic_votes', 'topics', 'user_identities', 'users',
  ].sort())
  assert.deepEqual(await migrateToLatest(db, dialect), [], 'a second run has nothing to do')

  await migrateDownToEmpty(db, dialect)
  assert.deepEqual(await tableNames(db), [])
  assert.deepEqual(await migrateToLatest(db, dialect), up)
})

test(`the schema enforces its rules on ${dialect}`, async () => {
  const fresh = await freshDatabase()
  const db = createDb(fresh.database)
  after(async () => {
    await db.destroy()
    await fresh.drop()
  })
  await migrateToLatest(db, dialect)
  const user = { email: 'a@example.org', password_hash: 'x', display_name: 'A', created_at: 'now', updated_at: 'now' }
  await db.insertInto('users').values(user).execute()
  await assert.rejects(db.insertInto('users').values(user).execute(), /unique/i, 'email is unique')
  await assert.rejects(
    db.insertInto('users').values({ ...user, email: 'b@example.org', role: 'emperor' as 'admin' }).execute(),
    /check/i,
    'role is checked',
  )
  // Ids are never reused, even after the newest row is deleted (they end up in calendar UIDs).
  const second = await db.insertInto('users').values({ ...user, email: 'c@example.org' }).returning('id').executeTakeFirstOrThrow()
  await db.deleteFrom('users').where('id', '=', second.id).execute()
  const third = await db.insertInto('users').values({ ...user, email: 'd@example.org' }).returning('id').executeTakeFirstOrThrow()
  assert.ok(third.id > second.id)
  if (dialect === 'sqlite') {
    const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db)
    assert.equal(fk.rows[0]?.foreign_keys, 1, 'foreign keys are enforced on SQLite')
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db)
    assert.equal(mode.rows[0]?.journal_mode, 'wal')
  }
  const count = await db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
  assert.equal(typeof count.n, 'number', 'counts come back as numbers on both dialects')
})

test(`email and password become optional without losing a row on ${dialect} (2026_12_10_0900)`, async () => {
  const fresh = await freshDatabase()
  const db = createDb(fresh.database)
  after(async () => {
    await db.destroy()
    await fresh.drop()
  })
  await migrateTo(db, dialect, '2026_12_09_0917_meetup_question_count')
  const ann = await db
    .insertInto('users')
    .values({ email: 'ann@example.org', password_hash: 'x', display_name: 'Ann', handle: 'ann', created_at: 'now', updated_at: 'now' })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.insertInto('sessions').values({ id: 'a'.repeat(32), user_id: ann.id, created_at: 'now', expires_at: 'later' }).execute()
  await migrateToLatest(db, dialect)

  const kept = await db.selectFrom('users').selectAll().where('id', '=', ann.id).executeTakeFirstOrThrow()
  assert.equal(kept.email, 'ann@example.org')
  assert.equal(kept.handle, 'ann')
  const bare = { email: null, password_hash: null, display_name: 'Bryn', created_at: 'now', updated_at: 'now' }
  await db.insertInto('users').values(bare).execute()
  await db.insertInto('users').values({ ...bare, display_name: 'Cadi' }).execute()
  await assert.rejects(db.insertInto('users').values({ ...bare, email: 'ann@example.org' }).execute(), /unique/i, 'email is still unique')
  await assert.rejects(db.insertInto('users').values({ ...bare, handle: 'ann' }).execute(), /unique/i, 'handle is still unique')
  // Foreign keys still point at users and still cascade.
  await db.deleteFrom('users').where('id', '=', ann.id).execute()
  assert.equal((await db.selectFrom('sessions').selectAll().execute()).length, 0)
  if (dialect === 'sqlite') {
    const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db)
    assert.equal(fk.rows[0]?.foreign_keys, 1, 'foreign keys are on again')
    const triggers = await sql<{ name: string }>`select name from sqlite_master where type = 'trigger' and tbl_name = 'users'`.execute(db)
    assert.deepEqual(triggers.rows.map((r) => r.name), ['proposals_search_user'], 'the search trigger on users came back')
    const stale = await sql<{ name: string }>`select name from sqlite_master where sql like '%users_new%'`.execute(db)
    assert.deepEqual(stale.rows, [], 'nothing refers to the rebuilt table by its temporary name')
  }
})
