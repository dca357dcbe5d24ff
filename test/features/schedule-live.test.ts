// Live updates: a Server-Sent Events client on a real listening server hears an organiser's
// edit within a second. On PostgreSQL, where several app processes share one database,
// an edit made through one app reaches a page connected to another (LISTEN/NOTIFY).
import assert from 'node:assert/strict'
import http from 'node:http'
import { test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { buildApp } from '../../src/app.js'
import { LISTEN_APPLICATION_NAME } from '../../src/plugins/live.js'
import { buildTestApp, testConfig } from '../helpers/build-test-app.js'
import { person } from '../helpers/communities.js'
import { currentDialect } from '../helpers/dialects.js'
import { startFreezableProxy } from '../helpers/freezable-proxy.js'
import { createEvent, organiser, propose, setPhase } from '../helpers/events.js'
import { addRoom, gridIds, layOutDay, place } from '../helpers/schedule.js'

const SLUG = 'ukgc27'

/** An open event stream: what has arrived so far, a wait for more, and close(). */
function openStream(url: string): Promise<{ received: () => string; waitFor: (needle: string, ms: number) => Promise<number>; close: () => void; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    let body = ''
    const waiters: (() => void)[] = []
    const request = http.get(url, (response) => {
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        body += chunk
        for (const wake of waiters.splice(0)) wake()
      })
      const waitFor = (needle: string, ms: number) =>
        new Promise<number>((done, fail) => {
          const started = Date.now()
          const timer = setTimeout(() => fail(new Error(`no "${needle}" within ${ms} ms; got: ${JSON.stringify(body)}`)), ms)
          const check = () => {
            if (body.includes(needle)) {
              clearTimeout(timer)
              done(Date.now() - started)
            } else waiters.push(check)
          }
          check()
        })
      // The stream is open once the server's first line (the retry hint) is here.
      void waitFor('retry:', 2000).then(() => resolve({ received: () => body, waitFor, close: () => request.destroy(), headers: response.headers }), reject)
    })
    request.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error)
    })
  })
}

async function publishedCamp(app: FastifyInstance) {
  const admin = await person(app, 'Site Admin')
  const org = await organiser(app, admin, 'Olu Organiser')
  await createEvent(org)
  await setPhase(org, SLUG, 'proposals')
  await addRoom(org, SLUG, { name: 'Hall', capacity: '50' })
  await layOutDay(org, SLUG)
  const proposal = await propose(org, SLUG, 'Live session')
  await setPhase(org, SLUG, 'pitching', 'published')
  return { org, proposal, ...(await gridIds(app, SLUG)) }
}

test('an SSE client hears an organiser’s edit within a second', async (t) => {
  const app = await buildTestApp(t)
  const { org, proposal, rooms, sessionSlots } = await publishedCamp(app)
  const base = await app.listen({ port: 0, host: '127.0.0.1' })

  const stream = await openStream(`${base}/events/${SLUG}/schedule/live`)
  t.after(() => stream.close())
  assert.match(String(stream.headers['content-type']), /^text\/event-stream/)
  assert.doesNotMatch(stream.received(), /event: schedule/, 'nothing yet')

  const placed = await place(org, SLUG, proposal, sessionSlots[0]!, rooms.Hall!)
  assert.equal(placed.status, 303)
  const took = await stream.waitFor('event: schedule', 1000)
  assert.ok(took < 1000, `arrived in ${took} ms`)
  // The page the client then fetches shows the edit.
  assert.match((await (await fetch(`${base}/events/${SLUG}/schedule`)).text()), /Live session/)

  const missing = await fetch(`${base}/events/no-such-event/schedule/live`)
  assert.equal(missing.status, 404)
})

// Several processes sharing one database is how Hashcamp scales, and that means PostgreSQL:
// SQLite is the one-process embedded setup, so this test exists on the PostgreSQL run only.
if (currentDialect() === 'postgres') {
  test('two app processes on one PostgreSQL database: an edit through one reaches a page on the other', async (t) => {
    const { config, drop } = await testConfig()
    const first = await buildApp(config, { logger: false })
    const second = await buildApp({ ...config, migrateOnStart: false }, { logger: false })
    t.after(async () => {
      await second.close()
      await first.close()
      await drop()
    })
    const { org, proposal, rooms, sessionSlots } = await publishedCamp(first)
    const secondBase = await second.listen({ port: 0, host: '127.0.0.1' })

    const stream = await openStream(`${secondBase}/events/${SLUG}/schedule/live`)
    t.after(() => stream.close())
    assert.equal((await place(org, SLUG, proposal, sessionSlots[0]!, rooms.Hall!)).status, 303)
    const took = await stream.waitFor('event: schedule', 1000)
    assert.ok(took < 1000, `arrived in ${took} ms`)
  })

  test('when the database drops the LISTEN connection, live updates come back by themselves', async (t) => {
    const app = await buildTestApp(t)
    const { org, proposal, rooms, sessionSlots } = await publishedCamp(app)
    const base = await app.listen({ port: 0, host: '127.0.0.1' })
    const stream = await openStream(`${base}/events/${SLUG}/schedule/live`)
    t.after(() => stream.close())

    const killed = await sql<{ ok: boolean }>`select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = current_database() and application_name = ${LISTEN_APPLICATION_NAME}`.execute(app.db)
    assert.equal(killed.rows.length, 1, 'one LISTEN connection per app process')
    // Reconnected, the app tells open pages to catch up on whatever they missed.
    await stream.waitFor('event: schedule', 5000)
    const seen = stream.received().split('event: schedule').length
    assert.equal((await place(org, SLUG, proposal, sessionSlots[0]!, rooms.Hall!)).status, 303)
    const deadline = Date.now() + 1000
    while (stream.received().split('event: schedule').length === seen && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    assert.equal(stream.received().split('event: schedule').length, seen + 1, 'an edit after the outage arrives within a second')
  })

  test('when the LISTEN connection goes silent (open, but nothing flows), the app notices, reconnects and open pages refetch', async (t) => {
    const { config, drop } = await testConfig()
    if (config.database.dialect !== 'postgres') throw new Error('a PostgreSQL test')
    const proxy = await startFreezableProxy(config.database.url)
    // This app reaches the database through the proxy, and checks its LISTEN connection often.
    const app = await buildApp({ ...config, database: { dialect: 'postgres', url: proxy.url } }, { logger: false, live: { checkEveryMs: 200, checkTimeoutMs: 500 } })
    // Another app process, straight to the database: where the organiser edits.
    const other = await buildApp({ ...config, migrateOnStart: false }, { logger: false })
    t.after(async () => {
      await other.close()
      await app.close()
      await proxy.close()
      await drop()
    })
    const { org, proposal, rooms, sessionSlots } = await publishedCamp(other)
    const base = await app.listen({ port: 0, host: '127.0.0.1' })
    const stream = await openStream(`${base}/events/${SLUG}/schedule/live`)
    t.after(() => stream.close())

    assert.equal(proxy.freeze(LISTEN_APPLICATION_NAME), 1, 'the one LISTEN connection goes silent')
    // No error, no reset: only the unanswered round trip tells. Reconnected, the app tells the
    // open page to refetch whatever it may have missed.
    await stream.waitFor('event: schedule', 5000)
    const seen = stream.received().split('event: schedule').length
    assert.equal((await place(org, SLUG, proposal, sessionSlots[0]!, rooms.Hall!)).status, 303)
    const deadline = Date.now() + 2000
    while (stream.received().split('event: schedule').length === seen && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    assert.equal(stream.received().split('event: schedule').length, seen + 1, 'an edit made through the other process afterwards reaches the page')
  })
}

/** A plain GET of the live URL: status, Retry-After and body of a refusal (closed straight after). */
function refusal(url: string): Promise<{ status: number; retryAfter: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (response) => {
        let body = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => {
          body += chunk
          if (response.statusCode === 200) response.destroy()
        })
        response.on('close', () => resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] as string | undefined, body }))
      })
      .on('error', reject)
  })
}

test('live connections are capped per address and in all, with a clear 429 or 503', async (t) => {
  const app = await buildTestApp(t, { liveLimits: { perAddress: 2, total: 3 } })
  await publishedCamp(app)
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const url = `${base}/events/${SLUG}/schedule/live`
  const first = await openStream(url)
  const second = await openStream(url)
  t.after(() => {
    first.close()
    second.close()
  })
  const third = await refusal(url)
  assert.equal(third.status, 429)
  assert.equal(third.retryAfter, '60')
  assert.match(third.body, /Too many live schedules are open from your network \(the limit is 2\)/)
  // One closed: there is room from this address again.
  first.close()
  await new Promise((resolve) => setTimeout(resolve, 200))
  const again = await openStream(url)
  again.close()
})

test('when the process holds its most live connections, the next is told to come back later', async (t) => {
  const app = await buildTestApp(t, { liveLimits: { perAddress: 10, total: 2 } })
  await publishedCamp(app)
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const url = `${base}/events/${SLUG}/schedule/live`
  const open = [await openStream(url), await openStream(url)]
  t.after(() => open.forEach((s) => s.close()))
  const full = await refusal(url)
  assert.equal(full.status, 503)
  assert.equal(full.retryAfter, '60')
  assert.match(full.body, /too busy to take more connections/)
})
