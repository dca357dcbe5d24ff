// The overbooking proof: 210 people RSVP at the same moment, over real HTTP, to a
// listening server, for 20 seats. Exactly 20 get seats, everyone else waits in the order
// their requests were taken, nobody is in twice; then cancellations promote the right people.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createSession } from '../../src/features/accounts/sessions.queries.js'
import { SESSION_COOKIE } from '../../src/plugins/session.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { person } from '../helpers/communities.js'
import { createMeetup } from '../helpers/meetups.js'

const PEOPLE = 210
const SEATS = 20

test(`${PEOPLE} simultaneous RSVPs over HTTP for ${SEATS} seats: exactly ${SEATS} seated, the rest waitlisted in order`, async (t) => {
  const app = await buildTestApp(t, { rateLimits: false })
  const host = await person(app, 'Host')
  assert.equal((await createMeetup(host, { capacity: String(SEATS), maxPartySize: '1' })).status, 303)
  const base = await app.listen({ port: 0, host: '127.0.0.1' })

  // People made straight in the database (signing up 210 times would only test scrypt).
  const now = new Date().toISOString()
  const users = await app.db
    .insertInto('users')
    .values(Array.from({ length: PEOPLE }, (_, i) => ({ email: `rush${i}@example.org`, password_hash: 'x', display_name: `Rush ${i}`, email_verified_at: now, created_at: now, updated_at: now })))
    .returning('id')
    .execute()

  // Each person's browser: a session cookie, then the meetup page for its CSRF token.
  const browsers = await Promise.all(
    users.map(async ({ id }) => {
      const sessionId = await createSession(app.db, id, new Date())
      let cookie = `${SESSION_COOKIE}=${encodeURIComponent(app.encodeSecureSession(app.createSecureSession({ sessionId })))}`
      const page = await fetch(`${base}/meetups/lunch-on-saturday`, { headers: { cookie } })
      const html = await page.text()
      const refreshed = page.headers.get('set-cookie')?.split(';')[0]
      if (refreshed) cookie = refreshed
      return { id, cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(html)![1]! }
    }),
  )

  const answers = await Promise.all(
    browsers.map((b) =>
      fetch(`${base}/meetups/lunch-on-saturday/rsvp`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: b.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: b.csrf, going: 'yes', partySize: '1' }),
      }).then((r) => r.status),
    ),
  )
  assert.deepEqual([...new Set(answers)], [303], 'every RSVP was answered')

  const rows = await app.db.selectFrom('rsvps').select(['user_id', 'status', 'seq']).orderBy('seq').execute()
  assert.equal(rows.length, PEOPLE, 'one row per person, no duplicates')
  assert.equal(new Set(rows.map((r) => r.user_id)).size, PEOPLE)
  assert.equal(new Set(rows.map((r) => r.seq)).size, PEOPLE, 'each request got its own place in line')
  const meetup = await app.db.selectFrom('meetups').select(['seats_taken', 'capacity']).executeTakeFirstOrThrow()
  assert.equal(meetup.seats_taken, SEATS)
  assert.deepEqual(rows.slice(0, SEATS).map((r) => r.status), Array(SEATS).fill('going'), 'the first 20 taken are the 20 going')
  assert.deepEqual(rows.slice(SEATS).map((r) => r.status), Array(PEOPLE - SEATS).fill('waitlisted'))

  // Three seated people cancel: the first three in the waitlist move up, in order.
  const waiting = rows.slice(SEATS).map((r) => r.user_id)
  for (const leaving of rows.slice(0, 3)) {
    const b = browsers.find((x) => x.id === leaving.user_id)!
    const status = await fetch(`${base}/meetups/lunch-on-saturday/rsvp`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: b.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: b.csrf, going: 'no' }),
    }).then((r) => r.status)
    assert.equal(status, 303)
  }
  const after = await app.db.selectFrom('rsvps').select(['user_id', 'status']).execute()
  const going = new Set(after.filter((r) => r.status === 'going').map((r) => r.user_id))
  assert.equal(going.size, SEATS)
  assert.deepEqual(waiting.slice(0, 3).map((id) => going.has(id)), [true, true, true])
  assert.equal(going.has(waiting[3]!), false)
  assert.equal((await app.db.selectFrom('meetups').select('seats_taken').executeTakeFirstOrThrow()).seats_taken, SEATS)

  // Everyone clicks again at once (replies from people who answered before, mixed into the
  // same rush): nothing moves, nobody is in twice, and nobody is told anything twice.
  const before = await app.db.selectFrom('rsvps').select(['user_id', 'status', 'seq']).orderBy('user_id').execute()
  const noticesBefore = await app.db.selectFrom('outbox').select(['user_id', 'kind']).orderBy('id').execute()
  const again = await Promise.all(
    browsers.map((b) =>
      fetch(`${base}/meetups/lunch-on-saturday/rsvp`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: b.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: b.csrf, going: 'yes', partySize: '1' }),
      }).then((r) => r.status),
    ),
  )
  assert.deepEqual([...new Set(again)], [303])
  const seatedBefore = before.filter((r) => r.status === 'going').map((r) => r.user_id)
  const afterAgain = await app.db.selectFrom('rsvps').select(['user_id', 'status', 'seq']).orderBy('user_id').execute()
  assert.deepEqual(afterAgain.filter((r) => r.status === 'going').map((r) => r.user_id), seatedBefore, 'the same people have seats')
  const waitingBefore = before.filter((r) => r.status === 'waitlisted')
  assert.deepEqual(
    waitingBefore.map((r) => afterAgain.find((a) => a.user_id === r.user_id)),
    waitingBefore,
    'the waiting keep their places',
  )
  // The three who had said "not going" come back at the end of the queue.
  const lastPlace = Math.max(...before.map((r) => r.seq))
  const returned = afterAgain.filter((r) => before.find((b) => b.user_id === r.user_id)!.status === 'not_going')
  assert.deepEqual(returned.map((r) => r.status), ['waitlisted', 'waitlisted', 'waitlisted'])
  assert.ok(returned.every((r) => r.seq > lastPlace))
  assert.equal((await app.db.selectFrom('meetups').select('seats_taken').executeTakeFirstOrThrow()).seats_taken, SEATS)
  const noticesAfter = await app.db.selectFrom('outbox').select(['user_id', 'kind']).orderBy('id').execute()
  // Only those three are told anything.
  assert.deepEqual(noticesAfter.slice(noticesBefore.length).map((n) => n.kind), ['rsvpWaitlisted', 'rsvpWaitlisted', 'rsvpWaitlisted'])
})
