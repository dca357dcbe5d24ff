// Drafts on worker threads, as people notice them: while an organiser's draft for a big event is
// being made, everyone else's requests are still answered; when every thread and the queue are
// taken, the organiser is told to try again; closing the app ends the threads.
import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { text, type Browser } from '../helpers/browser.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { campWithRooms } from '../helpers/schedule.js'

/**
 * A camp big enough that a draft takes its whole time: 150 accepted sessions for 6 rooms × 5
 * slots, 400 people with 8 interests each. Rows go straight into the database: the forms would
 * take minutes, and they are tested elsewhere.
 */
async function bigCamp(app: FastifyInstance): Promise<{ org: Browser; slug: string }> {
  const { org, slug } = await campWithRooms(app, ['A', 'B', 'C', 'D', 'E', 'F'].map((name, i) => ({ name, capacity: String(10 + i * 10) })))
  const event = await app.db.selectFrom('events').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()
  const stamp = new Date().toISOString()
  const users = await app.db
    .insertInto('users')
    .values(Array.from({ length: 400 }, (_, i) => ({ email: `crowd${i}@example.org`, password_hash: 'not used', display_name: `Crowd ${i}`, handle: null, x_handle: null, mastodon_handle: null, bluesky_handle: null, locale: null, email_verified_at: null, created_at: stamp, updated_at: stamp })))
    .returning('id')
    .execute()
  const proposals = await app.db
    .insertInto('proposals')
    .values(Array.from({ length: 150 }, (_, i) => ({ event_id: event.id, title: `Session ${i}`, format: 'discussion' as const, state: 'accepted' as const, proposer_id: users[i]!.id, pitcher_name: null, pitcher_handle: null, queue_position: null, merged_into: null, notes_url: null, created_at: stamp, updated_at: stamp })))
    .returning('id')
    .execute()
  // Each person votes for 8 sessions, popular ones more often, so the sessions compete for slots and seats.
  const votes = users.flatMap((u, person) => Array.from({ length: 8 }, (_, k) => ({ proposal_id: proposals[(person * 7 + k * k * 13) % (k < 4 ? 40 : 150)]!.id, user_id: u.id, created_at: stamp })))
  const unique = [...new Map(votes.map((v) => [`${v.proposal_id}/${v.user_id}`, v])).values()]
  for (let i = 0; i < unique.length; i += 500) await app.db.insertInto('proposal_votes').values(unique.slice(i, i + 500)).execute()
  return { org, slug }
}

interface Answer {
  status: number
  body: string
}

function httpGet(app: FastifyInstance, path: string, cookie = ''): Promise<Answer> {
  const { port } = app.server.address() as AddressInfo
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, headers: { cookie } }, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (body += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      })
      .on('error', reject)
  })
}

/** Until a thread is working on a draft (the draft's own request has done its reading by then). */
async function draftRunning(app: FastifyInstance, draft: Promise<unknown>): Promise<void> {
  let done = false
  void draft.finally(() => (done = true))
  while (app.drafts.running === 0) {
    if (done) assert.fail('the draft finished before a thread was seen working on it')
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

describe('drafts on worker threads', () => {
  test('while a big event’s draft is being made, /healthz and pages are answered; closing the app ends the thread', async (t) => {
    const app = await buildTestApp(t)
    const { org, slug } = await bigCamp(app)
    await app.listen({ port: 0, host: '127.0.0.1' })
    await org.get(`/events/${slug}/schedule/edit`)

    const order: string[] = []
    const draft = httpGet(app, `/events/${slug}/schedule/auto`, org.cookieHeader()).then((answer) => (order.push('draft'), answer))
    await draftRunning(app, draft)
    const health = await httpGet(app, '/healthz').then((answer) => (order.push('healthz'), answer))
    const eventPage = await httpGet(app, `/events/${slug}`).then((answer) => (order.push('event page'), answer))
    assert.equal(health.status, 200)
    assert.equal(eventPage.status, 200)
    assert.equal(app.drafts.running, 1, 'the draft was still being made when both answers arrived')

    const made = await draft
    assert.equal(made.status, 200)
    assert.match(text(made.body), /A draft schedule/)
    assert.deepEqual(order, ['healthz', 'event page', 'draft'])

    assert.equal(app.drafts.threadCount, 1, 'the thread waits for the next draft')
    await app.close()
    assert.equal(app.drafts.threadCount, 0, 'closing the app ended it')
  })

  test('when every thread is busy and the queue full, the organiser is asked to try again', async (t) => {
    const app = await buildTestApp(t, { drafts: { threads: 1, queue: 0 } })
    const { org, slug } = await bigCamp(app)
    await app.listen({ port: 0, host: '127.0.0.1' })
    await org.get(`/events/${slug}/schedule/edit`)

    const first = httpGet(app, `/events/${slug}/schedule/auto`, org.cookieHeader())
    await draftRunning(app, first)
    const second = await org.get(`/events/${slug}/schedule/auto`)
    assert.equal(second.status, 409)
    assert.match(text(second.html), /Drafts are being made for other events right now, and more are waiting\. Nothing has changed: try again in a minute\./)
    assert.equal((await first).status, 200, 'the draft already running is not disturbed')

    const again = await org.get(`/events/${slug}/schedule/auto`)
    assert.equal(again.status, 200, 'once the thread is free, a draft can be made')
  })
})
