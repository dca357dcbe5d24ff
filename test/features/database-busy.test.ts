// When the database is too busy to answer in time (a lock held too long, a statement past
// its timeout, no free connection in the pool, SQLite's write lock held past busy_timeout),
// the person gets "too busy, try again in a few seconds" (503 with Retry-After) in their
// language, never a 500 or a stack trace; nothing half-done is kept, and trying again works.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import SQLite from 'better-sqlite3'
import type { FastifyInstance } from 'fastify'
import pg from 'pg'
import { buildApp } from '../../src/app.js'
import { DEFAULT_POSTGRES_LIMITS, type PostgresLimits } from '../../src/config.js'
import { isDatabaseBusy, isUniqueViolation } from '../../src/db/errors.js'
import { text } from '../helpers/browser.js'
import { testConfig } from '../helpers/build-test-app.js'
import { person } from '../helpers/communities.js'
import { currentDialect } from '../helpers/dialects.js'
import { createMeetup, rsvp } from '../helpers/meetups.js'

const SLUG = 'lunch-on-saturday'

/** The app on a fresh database with these limits (PostgreSQL) or this busy timeout (SQLite). */
async function appWith(t: { after: (fn: () => Promise<void>) => void }, limits: Partial<PostgresLimits>, busyTimeoutMs = 200): Promise<FastifyInstance> {
  const { config, drop } = await testConfig({ rateLimits: false })
  const database = config.database.dialect === 'postgres' ? { ...config.database, limits: { ...DEFAULT_POSTGRES_LIMITS, ...limits } } : { ...config.database, busyTimeoutMs }
  const app = await buildApp({ ...config, database }, { logger: false })
  t.after(async () => {
    await app.close()
    await drop()
  })
  return app
}

/**
 * Holds what every reply to the meetup needs, from outside the app: on PostgreSQL the
 * meetup's row lock (another process in the middle of a reply), on SQLite the database's
 * write lock (another process writing). Returns the function that lets go.
 */
async function holdTheMeetup(app: FastifyInstance): Promise<() => Promise<void>> {
  const database = app.config.database
  if (database.dialect === 'postgres') {
    const client = new pg.Client({ connectionString: database.url })
    await client.connect()
    await client.query('begin')
    await client.query('select id from meetups where slug = $1 for update', [SLUG])
    return async () => {
      await client.query('rollback')
      await client.end()
    }
  }
  const other = new SQLite(database.file)
  other.exec('begin immediate')
  return async () => {
    other.exec('rollback')
    other.close()
  }
}

function assertBusyPage(page: { status: number; html: string; response: { headers: Record<string, unknown> } }, title: RegExp): void {
  assert.equal(page.status, 503)
  assert.equal(page.response.headers['retry-after'], '5')
  assert.equal(page.response.headers['cache-control'], 'no-store')
  assert.match(text(page.html), title)
  assert.doesNotMatch(page.html, /\bat \S+ \(|node_modules|lock_timeout|statement|SQLITE/i, 'nothing about the inside')
}

test('a reply that cannot get the meetup’s lock in time is "too busy, try again" (503, Retry-After), and keeps nothing', async (t) => {
  const app = await appWith(t, { lockTimeoutMs: 200 })
  const host = await person(app, 'Host')
  assert.equal((await createMeetup(host, { capacity: '5', maxPartySize: '1' })).status, 303)
  const guest = await person(app, 'Guest')
  const letGo = await holdTheMeetup(app)
  try {
    const page = await rsvp(guest, SLUG)
    assertBusyPage(page, /Sorry, Hashcamp is too busy right now.*Wait a few seconds and try again/s)
  } finally {
    await letGo()
  }
  assert.equal((await app.db.selectFrom('rsvps').select('id').execute()).length, 0, 'the refused reply left nothing behind')
  assert.equal((await app.db.selectFrom('outbox').select('id').where('kind', '=', 'rsvpGoing').execute()).length, 0, 'and queued no email')
  // Trying again once the lock is free works.
  assert.equal((await rsvp(guest, SLUG)).status, 303)
  assert.equal((await app.db.selectFrom('meetups').select('seats_taken').where('slug', '=', SLUG).executeTakeFirstOrThrow()).seats_taken, 1)
})

test('the busy page speaks Welsh to a Welsh reader, and JSON to a client that asks for it', async (t) => {
  const app = await appWith(t, { lockTimeoutMs: 200 })
  const host = await person(app, 'Host')
  assert.equal((await createMeetup(host, { capacity: '5', maxPartySize: '1' })).status, 303)
  const guest = await person(app, 'Gwestai')
  assert.equal((await guest.submit(`/meetups/${SLUG}`, '/language', { lang: 'cy', next: `/meetups/${SLUG}` })).status, 303)
  const letGo = await holdTheMeetup(app)
  try {
    assertBusyPage(await rsvp(guest, SLUG), /Mae’n ddrwg gennym, mae Hashcamp yn rhy brysur ar hyn o bryd.*Arhoswch ychydig eiliadau/s)
    const token = /name="_csrf" value="([^"]+)"/.exec((await guest.get(`/meetups/${SLUG}`)).html)![1]!
    const json = await app.inject({
      method: 'POST',
      url: `/meetups/${SLUG}/rsvp`,
      headers: { cookie: guest.cookieHeader(), accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: token, going: 'yes', partySize: '1' }).toString(),
    })
    assert.equal(json.statusCode, 503)
    assert.equal(json.headers['retry-after'], '5')
    assert.deepEqual(json.json(), { statusCode: 503, error: 'Mae’n ddrwg gennym, mae Hashcamp yn rhy brysur ar hyn o bryd' })
  } finally {
    await letGo()
  }
})

test('a unique violation is still what it was, not "busy"', async (t) => {
  const app = await appWith(t, {})
  const stamp = new Date().toISOString()
  const user = { email: 'twice@example.org', password_hash: 'x', display_name: 'Twice', created_at: stamp, updated_at: stamp }
  await app.db.insertInto('users').values(user).execute()
  const error = await app.db
    .insertInto('users')
    .values(user)
    .execute()
    .then(
      () => null,
      (e: unknown) => e,
    )
  assert.ok(isUniqueViolation(error))
  assert.equal(isDatabaseBusy(error), false)
})

// These limits are PostgreSQL settings (SQLite's one wait, busy_timeout, is covered above), so
// the SQLite run of the suite does not define these tests at all rather than skip them.
if (currentDialect() === 'postgres') describe('PostgreSQL only: the statement timeout and the pool', () => {
  test('a statement past statement_timeout is "too busy" (503), not a 500', async (t) => {
    // No lock timeout: the reply waits on the lock until the statement timeout cancels it.
    const app = await appWith(t, { lockTimeoutMs: 0, statementTimeoutMs: 300 })
    const host = await person(app, 'Host')
    assert.equal((await createMeetup(host, { capacity: '5', maxPartySize: '1' })).status, 303)
    const guest = await person(app, 'Guest')
    const letGo = await holdTheMeetup(app)
    try {
      assertBusyPage(await rsvp(guest, SLUG), /too busy right now/)
    } finally {
      await letGo()
    }
    assert.equal((await rsvp(guest, SLUG)).status, 303)
  })

  test('a request that cannot get a pool connection in time is "too busy" (503), not an endless wait', async (t) => {
    const app = await appWith(t, { poolMax: 1, connectTimeoutMs: 300 })
    // Another request holding the only connection of this process's pool.
    const page = await app.db.connection().execute(async () => app.inject({ method: 'GET', url: '/meetups' }))
    assert.equal(page.statusCode, 503)
    assert.equal(page.headers['retry-after'], '5')
    assert.match(text(page.body), /Sorry, Hashcamp is too busy right now/)
    // Once it is back, the same page works.
    assert.equal((await app.inject({ method: 'GET', url: '/meetups' })).statusCode, 200)
  })
})
