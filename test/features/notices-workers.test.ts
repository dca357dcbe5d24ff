// The outbox under failure and concurrency, with workers in real processes: one killed in
// the middle of sending (its message goes out exactly once, after its claim lapses), and
// two sending the same queue at once (no message twice; on PostgreSQL that is SKIP LOCKED).
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import readline from 'node:readline'
import { describe, test } from 'node:test'
import { buildApp } from '../../src/app.js'
import type { Config } from '../../src/config.js'
import { queueNotice } from '../../src/features/notices/queue.js'
import { testConfig } from '../helpers/build-test-app.js'
import { drain, rawHeader, startSmtp, type TestSmtp } from '../helpers/mail.js'

type T = { after: (fn: () => Promise<void>) => void }

interface Child {
  process: ChildProcess
  /** Resolves when the process has exited (listened for from the start, so it is never missed). */
  exited: Promise<unknown>
  lines: string[]
  waitFor(prefix: string, timeoutMs?: number): Promise<string>
}

function startWorker(config: Config, env: Record<string, string> = {}): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/outbox-worker-child.ts'], {
    env: { ...process.env, HASHCAMP_TEST_CONFIG: JSON.stringify(config), ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const lines: string[] = []
  readline.createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line))
  return {
    process: child,
    exited: once(child, 'exit'),
    lines,
    async waitFor(prefix, timeoutMs = 20000) {
      const until = Date.now() + timeoutMs
      for (;;) {
        const line = lines.find((l) => l.startsWith(prefix))
        if (line) return line
        if (child.exitCode !== null) throw new Error(`worker exited (${child.exitCode}) before "${prefix}"`)
        if (Date.now() > until) throw new Error(`worker never said "${prefix}"`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    },
  }
}

async function setUp(t: T, smtp: TestSmtp) {
  const { config: base, drop } = await testConfig()
  const config = { ...base, smtpUrl: smtp.url }
  const app = await buildApp(config, { logger: false })
  t.after(async () => {
    await app.close()
    await smtp.close()
    await drop()
  })
  return { app, config }
}

async function addPeople(app: Awaited<ReturnType<typeof buildApp>>, count: number): Promise<number[]> {
  const stamp = new Date().toISOString()
  const rows = Array.from({ length: count }, (_, i) => ({ email: `reader${i}@example.org`, password_hash: 'x', display_name: `Reader ${i}`, email_verified_at: stamp, created_at: stamp, updated_at: stamp }))
  return (await app.db.insertInto('users').values(rows).returning('id').execute()).map((r) => r.id)
}

describe('the outbox worker across processes', () => {
  test('a worker killed mid-send: the message is not lost, and goes out exactly once when the claim lapses', async (t) => {
    let hang = true
    let dataStarted = false
    const smtp = await startSmtp({
      beforeAccept: () => {
        dataStarted = true
        // The first delivery never gets its "250 OK": the sender dies waiting for it.
        return hang ? new Promise<void>(() => {}) : Promise.resolve()
      },
    })
    const { app, config } = await setUp(t, smtp)
    const [reader] = await addPeople(app, 1)
    await queueNotice(app.db, { kind: 'hostMessage', meetup: { slug: 'lunch', title: 'Lunch' }, from: 'Hana', body: 'Table by the window' }, [reader!], 'msg1', new Date())

    const worker = startWorker(config, { CLAIM_MS: '1500' })
    await worker.waitFor('ready')
    worker.process.stdin!.write('go\n')
    const until = Date.now() + 15000
    while (!dataStarted && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20))
    assert.ok(dataStarted, 'the worker got as far as sending')
    worker.process.kill('SIGKILL')
    await worker.exited

    const row = async () => app.db.selectFrom('outbox').select(['status', 'attempts', 'claimed_by']).executeTakeFirstOrThrow()
    assert.equal((await row()).status, 'pending', 'nothing was recorded as sent')
    hang = false
    await drain(app)
    assert.equal(smtp.received.length, 0, 'while the dead worker’s claim lasts, nobody else sends it')
    await new Promise((resolve) => setTimeout(resolve, 1600))
    await drain(app)
    assert.equal(smtp.received.length, 1)
    assert.equal((await row()).status, 'sent')
    assert.equal((await row()).attempts, 2)
    await drain(app)
    assert.equal(smtp.received.length, 1, 'and never again')
  })

  test('two worker processes on one queue never send a message twice, and share the work', async (t) => {
    const smtp = await startSmtp({ delayMs: 40 })
    const { app, config } = await setUp(t, smtp)
    const readers = await addPeople(app, 40)
    await queueNotice(app.db, { kind: 'hostMessage', meetup: { slug: 'lunch', title: 'Lunch' }, from: 'Hana', body: 'See you at one' }, readers, 'msg1', new Date())

    const workers = [startWorker(config, { BATCH: '3' }), startWorker(config, { BATCH: '3' })]
    await Promise.all(workers.map((w) => w.waitFor('ready')))
    for (const w of workers) w.process.stdin!.write('go\n')
    await Promise.all(workers.map((w) => w.waitFor('done', 60000)))
    await Promise.all(workers.map((w) => w.exited))

    assert.equal(smtp.received.length, 40)
    const ids = new Set(smtp.received.map((r) => rawHeader(r, 'Message-ID')))
    assert.equal(ids.size, 40, 'forty different messages')
    const recipients = smtp.received.map((r) => r.envelopeTo.join())
    assert.equal(new Set(recipients).size, 40, 'each reader exactly once')
    const rows = await app.db.selectFrom('outbox').select(['status', 'claimed_by']).execute()
    assert.ok(rows.every((r) => r.status === 'sent'))
    assert.equal(new Set(rows.map((r) => r.claimed_by)).size, 2, 'both processes sent some')
  })
})
