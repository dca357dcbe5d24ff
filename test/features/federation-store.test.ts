// Fedify's key-value store and message queue over our database (src/features/federation):
// what Fedify relies on, on both dialects, and that two processes' workers never run the same
// message.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Temporal } from '@js-temporal/polyfill'
import { createDb } from '../../src/db/create-db.js'
import { KyselyKvStore } from '../../src/features/federation/kv-store.js'
import { KyselyMessageQueue } from '../../src/features/federation/message-queue.js'
import { buildTestApp } from '../helpers/build-test-app.js'

test('the key-value store sets, gets, lists, deletes and forgets what has expired', async (t) => {
  const app = await buildTestApp(t)
  let now = new Date('2026-12-10T10:00:00Z')
  const kv = new KyselyKvStore(app.db, () => now)

  assert.equal(await kv.get(['missing']), undefined)
  await kv.set(['doc', 'https://a.example/1'], { name: 'one', n: 1 })
  await kv.set(['doc', 'https://a.example/2'], ['two'])
  await kv.set(['other'], 'x')
  assert.deepEqual(await kv.get(['doc', 'https://a.example/1']), { name: 'one', n: 1 })
  await kv.set(['doc', 'https://a.example/1'], { name: 'changed' })
  assert.deepEqual(await kv.get(['doc', 'https://a.example/1']), { name: 'changed' })

  const listed = []
  for await (const entry of kv.list(['doc'])) listed.push(entry)
  assert.deepEqual(listed.map((e) => e.key), [['doc', 'https://a.example/1'], ['doc', 'https://a.example/2']])
  // A prefix matches whole key parts only.
  const none = []
  for await (const entry of kv.list(['do'])) none.push(entry)
  assert.equal(none.length, 0)

  await kv.delete(['doc', 'https://a.example/2'])
  assert.equal(await kv.get(['doc', 'https://a.example/2']), undefined)

  await kv.set(['short'], 42, { ttl: Temporal.Duration.from({ seconds: 30 }) })
  assert.equal(await kv.get(['short']), 42)
  now = new Date('2026-12-10T10:00:31Z')
  assert.equal(await kv.get(['short']), undefined)
  await kv.sweep()
  const row = await app.db.selectFrom('fedify_kv').select('key').where('key', '=', '["short"]').executeTakeFirst()
  assert.equal(row, undefined, 'the sweep removes expired rows')
})

test('compare-and-swap sets only over the value expected', async (t) => {
  const app = await buildTestApp(t)
  const kv = new KyselyKvStore(app.db)
  assert.equal(await kv.cas(['lock'], undefined, { owner: 'a' }), true, 'absent → set')
  assert.equal(await kv.cas(['lock'], undefined, { owner: 'b' }), false, 'present: a second taker loses')
  assert.equal(await kv.cas(['lock'], { owner: 'b' }, { owner: 'c' }), false)
  assert.equal(await kv.cas(['lock'], { owner: 'a' }, { owner: 'c' }), true)
  assert.deepEqual(await kv.get(['lock']), { owner: 'c' })
})

test('the queue hands a message over once it is due, and a listener stops when told', async (t) => {
  const app = await buildTestApp(t)
  let now = new Date('2026-12-10T10:00:00Z')
  const queue = new KyselyMessageQueue(app.db, app.dialect, { pollIntervalMs: 20 }, () => now)
  await queue.enqueue({ type: 'later' }, { delay: Temporal.Duration.from({ minutes: 5 }) })
  await queue.enqueue({ type: 'now' })
  const first = await queue.claim()
  assert.deepEqual(first?.message, { type: 'now' })
  assert.equal(await queue.claim(), null, 'the delayed message is not due, and the first is held')
  await queue.done(first!.id)
  now = new Date('2026-12-10T10:05:01Z')
  const second = await queue.claim()
  assert.deepEqual(second?.message, { type: 'later' })
  await queue.done(second!.id)
  assert.equal(await queue.size(), 0)

  // A claim whose lease ran out (its process died) is free again.
  await queue.enqueue({ type: 'orphan' })
  const orphan = await queue.claim()
  assert.ok(orphan)
  now = new Date(now.getTime() + queue.options.leaseMs + 1000)
  const retaken = await queue.claim()
  assert.equal(retaken?.id, orphan.id)
  assert.equal(retaken?.attempts, 2)
  await queue.done(retaken.id)

  // listen() runs each message, deletes it, and returns when its signal aborts.
  const real = new KyselyMessageQueue(app.db, app.dialect, { pollIntervalMs: 20 })
  const seen: unknown[] = []
  const controller = new AbortController()
  const listening = real.listen((message) => void seen.push(message), { signal: controller.signal })
  await real.enqueueMany([{ n: 1 }, { n: 2 }])
  const deadline = Date.now() + 5000
  while (seen.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
  assert.deepEqual(seen, [{ n: 1 }, { n: 2 }])
  controller.abort()
  await listening
  assert.equal(await real.size(), 0)
})

test('two workers on two connections never take the same message', async (t) => {
  const app = await buildTestApp(t)
  const otherDb = createDb(app.config.database)
  t.after(() => otherDb.destroy())
  const a = new KyselyMessageQueue(app.db, app.dialect, { pollIntervalMs: 10 })
  const b = new KyselyMessageQueue(otherDb, app.dialect, { pollIntervalMs: 10 })
  const total = 60
  await a.enqueueMany(Array.from({ length: total }, (_, n) => ({ n })))
  const taken: Record<string, number[]> = { a: [], b: [] }
  const controller = new AbortController()
  const run = (name: 'a' | 'b', queue: KyselyMessageQueue) =>
    queue.listen(
      async (message) => {
        taken[name]!.push((message as { n: number }).n)
        await new Promise((r) => setTimeout(r, 2))
      },
      { signal: controller.signal },
    )
  const both = Promise.all([run('a', a), run('b', b)])
  const deadline = Date.now() + 20_000
  while (taken.a!.length + taken.b!.length < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  controller.abort()
  await both
  const all = [...taken.a!, ...taken.b!].sort((x, y) => x - y)
  assert.deepEqual(all, Array.from({ length: total }, (_, n) => n), 'every message ran exactly once')
  assert.ok(taken.a!.length > 0 && taken.b!.length > 0, `both workers took some (a ${taken.a!.length}, b ${taken.b!.length})`)
})
