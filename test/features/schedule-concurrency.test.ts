// Two organisers (here ten) put different sessions into the same empty cell at the same
// moment, over real HTTP to a listening server: exactly one wins, the others are told the
// cell changed, and the database holds one live session there. Then the database itself:
// even a writer that skips the app cannot put two live sessions in one room and slot.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createSession } from '../../src/features/accounts/sessions.queries.js'
import { isUniqueViolation } from '../../src/db/errors.js'
import { SESSION_COOKIE } from '../../src/plugins/session.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { person } from '../helpers/communities.js'
import { createEvent, organiser, propose, setPhase } from '../helpers/events.js'
import { addRoom, gridIds, layOutDay, liveEntries } from '../helpers/schedule.js'

const SLUG = 'ukgc27'
const ORGANISERS = 10

test(`${ORGANISERS} organisers fill one empty cell at once: exactly one wins`, async (t) => {
  const app = await buildTestApp(t, { rateLimits: false })
  const admin = await person(app, 'Site Admin')
  const lead = await organiser(app, admin, 'Lead Organiser')
  await createEvent(lead)
  await setPhase(lead, SLUG, 'proposals')
  await addRoom(lead, SLUG, { name: 'Hall', capacity: '100' })
  await layOutDay(lead, SLUG)
  const proposals: number[] = []
  for (let i = 0; i < ORGANISERS; i++) proposals.push(await propose(lead, SLUG, `Session ${i + 1}`))
  const { rooms, sessionSlots } = await gridIds(app, SLUG)
  const event = await app.db.selectFrom('events').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()
  const base = await app.listen({ port: 0, host: '127.0.0.1' })

  // Co-organisers made straight in the database, each with a browser session and the editor's CSRF token.
  const now = new Date().toISOString()
  const users = await app.db
    .insertInto('users')
    .values(Array.from({ length: ORGANISERS }, (_, i) => ({ email: `co${i}@example.org`, password_hash: 'x', display_name: `Co ${i}`, email_verified_at: now, created_at: now, updated_at: now })))
    .returning('id')
    .execute()
  await app.db.insertInto('event_organisers').values(users.map((u) => ({ event_id: event.id, user_id: u.id, added_at: now }))).execute()
  const browsers = await Promise.all(
    users.map(async ({ id }) => {
      const sessionId = await createSession(app.db, id, new Date())
      let cookie = `${SESSION_COOKIE}=${encodeURIComponent(app.encodeSecureSession(app.createSecureSession({ sessionId })))}`
      const page = await fetch(`${base}/events/${SLUG}/schedule/edit`, { headers: { cookie } })
      assert.equal(page.status, 200)
      const refreshed = page.headers.get('set-cookie')?.split(';')[0]
      if (refreshed) cookie = refreshed
      return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]! }
    }),
  )

  const statuses = await Promise.all(
    browsers.map((b, i) =>
      fetch(`${base}/events/${SLUG}/schedule/place`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: b.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: b.csrf, proposal: String(proposals[i]), slot: String(sessionSlots[0]), room: String(rooms.Hall), expected: '' }),
      }).then((r) => r.status),
    ),
  )
  assert.equal(statuses.filter((s) => s === 303).length, 1, 'one organiser placed a session')
  assert.equal(statuses.filter((s) => s === 409).length, ORGANISERS - 1, 'everyone else was told the cell had changed')
  const live = await liveEntries(app)
  assert.equal(live.length, 1)
  const winner = proposals[statuses.indexOf(303)]
  assert.deepEqual(live, [{ proposal_id: winner, slot_id: sessionSlots[0], room_id: rooms.Hall }])
  const scheduled = await app.db.selectFrom('proposals').select('id').where('state', '=', 'scheduled').execute()
  assert.deepEqual(scheduled.map((p) => p.id), [winner], 'only the winner is marked scheduled')
})

test('the database allows one live session per room and slot, whoever writes', async (t) => {
  const app = await buildTestApp(t)
  const admin = await person(app, 'Site Admin')
  const lead = await organiser(app, admin, 'Lead Organiser')
  await createEvent(lead)
  await setPhase(lead, SLUG, 'proposals')
  await addRoom(lead, SLUG, { name: 'Hall', capacity: '100' })
  await layOutDay(lead, SLUG)
  const first = await propose(lead, SLUG, 'First')
  const second = await propose(lead, SLUG, 'Second')
  const { rooms, sessionSlots } = await gridIds(app, SLUG)
  const event = await app.db.selectFrom('events').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()
  const stamp = new Date().toISOString()
  const row = (proposal: number, cancelled: string | null) => ({ event_id: event.id, proposal_id: proposal, slot_id: sessionSlots[0]!, room_id: rooms.Hall!, cancelled_at: cancelled, created_at: stamp, updated_at: stamp })

  await app.db.insertInto('schedule_entries').values(row(first, null)).execute()
  await assert.rejects(app.db.insertInto('schedule_entries').values(row(second, null)).execute(), (error) => isUniqueViolation(error))
  // A cancelled session keeps its old place for the record; it does not block the cell.
  await app.db.insertInto('schedule_entries').values(row(second, stamp)).execute()
  assert.equal((await liveEntries(app)).length, 1)
})
