import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'kysely'
import { compiledOnce } from '../../src/db/compiled-once.js'
import { createDb } from '../../src/db/create-db.js'
import { migrateToLatest } from '../../src/db/migrator.js'
import { currentDialect } from '../helpers/dialects.js'
import { freshDatabase } from '../helpers/fresh-database.js'

const dialect = currentDialect()
const fresh = await freshDatabase()
const db = createDb(fresh.database)

before(async () => {
  await migrateToLatest(db, dialect)
  const user = (handle: string, suspended: boolean) => ({
    email: `${handle}@example.org`, password_hash: 'x', display_name: handle, handle, role: 'member' as const,
    x_handle: null, mastodon_handle: null, bluesky_handle: null, locale: null, email_verified_at: null,
    created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z', suspended_at: suspended ? '2026-01-02T00:00:00.000Z' : null,
  })
  await db.insertInto('users').values([user('ann', false), user('bob', false), user('cat', true)]).execute()
})
after(async () => {
  await db.destroy()
  await fresh.drop()
})

// Each value is put in its own place, constants stay, a value used twice is put in twice.
const byHandle = compiledOnce((db, p: { handle: string; other: string; limit: number }) =>
  db
    .selectFrom('users')
    .select(['handle'])
    .where((eb) => eb.or([eb('handle', '=', p.handle), eb('handle', '=', p.other), eb('display_name', '=', p.handle)]))
    .where('suspended_at', 'is', null)
    .where('role', 'in', ['member', 'organiser'])
    .orderBy('handle')
    .limit(p.limit),
)

test(`a query built once answers with each call's own values on ${dialect}`, async () => {
  assert.deepEqual(await byHandle(db, { handle: 'ann', other: 'bob', limit: 10 }), [{ handle: 'ann' }, { handle: 'bob' }])
  assert.deepEqual(await byHandle(db, { handle: 'bob', other: 'nobody', limit: 10 }), [{ handle: 'bob' }])
  assert.deepEqual(await byHandle(db, { handle: 'ann', other: 'bob', limit: 1 }), [{ handle: 'ann' }])
  // The constant filter is still there: a suspended person is never found.
  assert.deepEqual(await byHandle(db, { handle: 'cat', other: 'cat', limit: 10 }), [])
  // A quote in a value is a value, not SQL.
  assert.deepEqual(await byHandle(db, { handle: "ann' or '1'='1", other: 'x', limit: 10 }), [])
})

test(`a query built once runs inside a transaction, seeing its own writes, on ${dialect}`, async () => {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ handle: 'ann2' }).where('handle', '=', 'ann').execute()
    assert.deepEqual(await byHandle(trx, { handle: 'ann2', other: 'x', limit: 10 }), [{ handle: 'ann2' }])
    await trx.updateTable('users').set({ handle: 'ann' }).where('handle', '=', 'ann2').execute()
  })
})

test(`a query built once on the database waits for a transaction that is open, never reading inside it, on ${dialect}`, async () => {
  // On SQLite the hot queries run straight on the one connection (src/db/direct-sqlite.ts):
  // while a transaction holds it, a query on the database itself must wait its turn.
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  let written!: () => void
  const inserted = new Promise<void>((resolve) => (written = resolve))
  const transaction = db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ display_name: 'dan' }).where('handle', '=', 'bob').execute()
    written()
    await gate
    throw new Error('rolled back')
  })
  await inserted
  const read = byHandle(db, { handle: 'dan', other: 'x', limit: 10 })
  await new Promise((resolve) => setTimeout(resolve, 20))
  release()
  await assert.rejects(transaction, /rolled back/)
  assert.deepEqual(await read, [], 'the write that was rolled back was never seen')
})

test(`a value written into the SQL itself is refused rather than frozen into the query on ${dialect}`, async () => {
  const inlined = compiledOnce((db, p: { handle: string }) => db.selectFrom('users').select('handle').where('handle', '=', sql.lit(p.handle)))
  await assert.rejects(inlined(db, { handle: 'ann' }), /written into the SQL itself/)
})
