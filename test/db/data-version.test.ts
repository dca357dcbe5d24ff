// The data version (src/db/data-version.ts) on the real database: reads leave it alone (or
// nothing would ever be served kept), every write moves it, and a write in a transaction
// moves it once the transaction has ended, never only before its commit.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { compiledOnce } from '../../src/db/compiled-once.js'
import { buildTestApp } from '../helpers/build-test-app.js'

test('reads leave the data version alone; writes move it, in a transaction after it ends', async (t) => {
  const app = await buildTestApp(t)
  const { db, dataVersion } = app

  let version = dataVersion.current()
  await db.selectFrom('communities').selectAll().execute()
  await db.transaction().execute((trx) => trx.selectFrom('users').select('id').execute())
  assert.equal(dataVersion.current(), version, 'reads, in a transaction or not')
  await db.updateTable('communities').set({ name: 'nothing matches' }).where('id', '=', -1).execute()
  assert.equal(dataVersion.current(), version, 'an update that touched no row')

  await db.insertInto('site_settings').values({ key: 'a', value: '1' }).execute()
  assert.notEqual(dataVersion.current(), version, 'a write on its own')

  version = dataVersion.current()
  let inside = ''
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('site_settings').set({ value: '2' }).where('key', '=', 'a').execute()
    inside = dataVersion.current()
  })
  assert.equal(inside, version, 'not before the commit: a page built meanwhile reads the old data')
  assert.notEqual(dataVersion.current(), version, 'after the commit')

  version = dataVersion.current()
  await assert.rejects(
    db.transaction().execute(async (trx) => {
      await trx.updateTable('site_settings').set({ value: '3' }).where('key', '=', 'a').execute()
      throw new Error('changed my mind')
    }),
  )
  assert.notEqual(dataVersion.current(), version, 'a rollback moves it too (too often is harmless)')
  assert.equal((await db.selectFrom('site_settings').select('value').where('key', '=', 'a').executeTakeFirst())?.value, '2')
})

// The hot queries run straight on SQLite's connection (src/db/direct-sqlite.ts), past the
// driver that counts writes: they must move the version exactly as the driver's writes do.
const setSetting = compiledOnce((db, p: { key: string; value: string }) => db.updateTable('site_settings').set({ value: p.value }).where('key', '=', p.key))
const readSetting = compiledOnce((db, p: { key: string }) => db.selectFrom('site_settings').select('value').where('key', '=', p.key))

test('queries built once move the data version as any other: reads never, writes at once or when their transaction ends', async (t) => {
  const app = await buildTestApp(t)
  const { db, dataVersion } = app
  await db.insertInto('site_settings').values({ key: 'b', value: '1' }).execute()

  let version = dataVersion.current()
  await readSetting(db, { key: 'b' })
  await setSetting(db, { key: 'nothing', value: 'x' })
  assert.equal(dataVersion.current(), version, 'a read, and a write that touched no row')
  await setSetting(db, { key: 'b', value: '2' })
  assert.notEqual(dataVersion.current(), version, 'a write on its own')

  version = dataVersion.current()
  let inside = ''
  await db.transaction().execute(async (trx) => {
    await setSetting(trx, { key: 'b', value: '3' })
    inside = dataVersion.current()
  })
  assert.equal(inside, version, 'not before the commit')
  assert.notEqual(dataVersion.current(), version, 'after the commit')

  // The mark is the transaction's own: the next one, read only, moves nothing.
  version = dataVersion.current()
  await db.transaction().execute((trx) => readSetting(trx, { key: 'b' }))
  assert.equal(dataVersion.current(), version, 'a later transaction that only read')
  assert.deepEqual(await readSetting(db, { key: 'b' }), [{ value: '3' }])
})
