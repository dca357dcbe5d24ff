// The outbox under failure and concurrency, with workers in real processes: one killed in
// the middle of sending (its successor takes over at once; only the message in flight can go
// twice, with one Message-ID), one on another host gone quiet, one killed while writing to the
// mail folder, and two sending the same queue at once (no message twice; on PostgreSQL that
// is SKIP LOCKED).
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import fsSync from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import readline from 'node:readline'
import { describe, test } from 'node:test'
import { buildApp } from '../../src/app.js'
import type { Config } from '../../src/config.js'
import { queueNotice } from '../../src/features/notices/queue.js'
import { listStoredMail, mailFolder } from '../../src/lib/mailer.js'
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
  test('a worker killed mid-send: its successor takes over at once, and only the message in flight can arrive twice', async (t) => {
    // What the SMTP server got whole (at the end of DATA), by Message-ID, whether or not its
    // "250 OK" reached the sender: the third message's OK never does, the worker dies waiting.
    const arrivals: string[] = []
    let inFlight: string | null = null
    const smtp = await startSmtp({
      beforeAccept: (raw) => {
        const messageId = /^Message-ID:\s*(\S+)/im.exec(raw)![1]!
        arrivals.push(messageId)
        if (arrivals.length === 3) {
          inFlight = messageId
          return new Promise<void>(() => {})
        }
        return Promise.resolve()
      },
    })
    const { app, config } = await setUp(t, smtp)
    const readers = await addPeople(app, 6)
    await queueNotice(app.db, { kind: 'hostMessage', meetup: { slug: 'lunch', title: 'Lunch' }, from: 'Hana', body: 'Table by the window' }, readers, 'msg1', new Date())

    const doomed = startWorker(config)
    await doomed.waitFor('ready')
    doomed.process.stdin!.write('go\n')
    const until = Date.now() + 15000
    while (!inFlight && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20))
    assert.ok(inFlight, 'the worker got as far as the third message')
    doomed.process.kill('SIGKILL')
    await doomed.exited
    const statuses = await app.db.selectFrom('outbox').select('status').execute()
    assert.equal(statuses.filter((r) => r.status === 'sent').length, 2, 'the two acknowledged messages were marked sent before the crash')

    // The restarted worker, with the default timings (the old rule was a 5-minute lease): its
    // very first rounds take the dead worker's claims back and send the rest.
    const successor = startWorker(config)
    await successor.waitFor('ready')
    successor.process.stdin!.write('go\n')
    assert.equal(await successor.waitFor('done', 20000), 'done 4', 'the successor sent the message in flight and the three the dead worker never reached')
    await successor.exited

    const perMessage = new Map<string, number>()
    for (const id of arrivals) perMessage.set(id, (perMessage.get(id) ?? 0) + 1)
    assert.equal(perMessage.size, 6, 'every queued message arrived')
    for (const [id, count] of perMessage) {
      // The server had the one in flight whole, but its OK never reached the dead worker: the
      // one repeat this design allows, the same Message-ID so mail systems see one message.
      assert.equal(count, id === inFlight ? 2 : 1, `${id} arrived ${count} times`)
    }
    const rows = await app.db.selectFrom('outbox').select(['status', 'attempts']).orderBy('id').execute()
    assert.ok(rows.every((r) => r.status === 'sent'))
    assert.deepEqual(rows.map((r) => r.attempts).sort(), [1, 1, 1, 1, 1, 2], 'only the message in flight was tried twice')
    assert.deepEqual(await app.db.selectFrom('mail_workers').selectAll().execute(), [], 'the dead worker was forgotten and its successor signed off')
  })

  test('a worker on another host whose heartbeat went quiet loses its messages; one that beats keeps them', async (t) => {
    const smtp = await startSmtp()
    const { app } = await setUp(t, smtp)
    const [quietReader, busyReader] = await addPeople(app, 2)
    await queueNotice(app.db, { kind: 'hostMessage', meetup: { slug: 'lunch', title: 'Lunch' }, from: 'Hana', body: 'Hello' }, [quietReader!, busyReader!], 'msg1', new Date())
    const minutesAgo = (n: number) => new Date(Date.now() - n * 60000).toISOString()
    // Hosts this process cannot ask about their processes: only the heartbeat speaks for them.
    await app.db
      .insertInto('mail_workers')
      .values([
        { id: 'far-away:41:quiet', host: 'far-away', pid: 41, started_at: minutesAgo(60), heartbeat_at: minutesAgo(2) },
        { id: 'far-away:42:busy', host: 'far-away', pid: 42, started_at: minutesAgo(60), heartbeat_at: new Date().toISOString() },
      ])
      .execute()
    const rows = await app.db.selectFrom('outbox').select(['id', 'user_id']).execute()
    for (const row of rows) await app.db.updateTable('outbox').set({ claimed_by: row.user_id === quietReader ? 'far-away:41:quiet' : 'far-away:42:busy' }).where('id', '=', row.id).execute()

    await drain(app)
    assert.deepEqual(smtp.received.map((r) => r.envelopeTo.join()), ['reader0@example.org'], 'the quiet worker’s message went; the busy worker’s is left to it')
    const workers = await app.db.selectFrom('mail_workers').select('id').orderBy('id').execute()
    assert.deepEqual(workers.map((w) => w.id).filter((id) => id.startsWith('far-away')), ['far-away:42:busy'])
  })

  test('a folder-mail worker killed while writing leaves no half message; its successor writes it whole', async (t) => {
    const { config, drop } = await testConfig() // no SMTP_URL: the mail folder
    const app = await buildApp(config, { logger: false })
    t.after(async () => {
      await app.close()
      await drop()
    })
    const [reader] = await addPeople(app, 1)
    // Big enough that writing it takes a while, so the kill lands in the middle of the write.
    const lastLine = 'The end of a long message.'
    const body = `${'All work and no play makes Jack a dull boy. '.repeat(200000)}\n${lastLine}`
    await queueNotice(app.db, { kind: 'hostMessage', meetup: { slug: 'lunch', title: 'Lunch' }, from: 'Hana', body }, [reader!], 'msg1', new Date())
    const folder = mailFolder(config.dataDir)
    await fs.mkdir(folder, { recursive: true })

    const doomed = startWorker(config)
    await doomed.waitFor('ready')
    // The first file of this message to appear in the folder, whatever its name, is the moment.
    const started = new Promise<void>((resolve) => {
      const watcher = fsSync.watch(folder, () => {
        watcher.close()
        resolve()
      })
    })
    doomed.process.stdin!.write('go\n')
    await started
    doomed.process.kill('SIGKILL')
    await doomed.exited

    const whole = async (file: string) => (await fs.readFile(path.join(folder, file), 'utf8')).includes(lastLine)
    for (const name of await fs.readdir(folder)) {
      if (name.endsWith('.eml') && !name.startsWith('.')) assert.ok(await whole(name), `${name} is visible but cut short`)
    }
    assert.deepEqual(await listStoredMail(config.dataDir), [], '/dev/mail lists nothing from the killed worker')

    await drain(app)
    const listed = await listStoredMail(config.dataDir)
    assert.equal(listed.length, 1)
    assert.ok(await whole(listed[0]!.file), 'the successor’s .eml is whole')
    const row = await app.db.selectFrom('outbox').select(['id', 'kind', 'idempotency_key']).executeTakeFirstOrThrow()
    assert.equal(listed[0]!.outboxId, row.id, 'the summary names its outbox row')
    assert.equal(listed[0]!.kind, 'hostMessage')
    assert.match(listed[0]!.messageId, /^<.+@.+>$/)
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
