// What the performance work keeps in memory must never show anyone a stale or someone
// else's page: the kept signed-out grid carries each visitor's own working CSRF token and
// shows an organiser's change at once; a feed poll answered early is right, and a draft
// event's feed is never answered before the access check; the cache itself rebuilds on a
// new version or age, and shares one build.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { VersionedCache } from '../../src/lib/versioned-cache.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { Browser, text } from '../helpers/browser.js'
import { propose, setPhase } from '../helpers/events.js'
import { campWithRooms, gridIds, place } from '../helpers/schedule.js'

const SLUG = 'ukgc27'

async function publishedCamp(t: Parameters<typeof buildTestApp>[0]) {
  const app = await buildTestApp(t)
  const { org } = await campWithRooms(app)
  const first = await propose(org, SLUG, 'Alt text that helps')
  const second = await propose(org, SLUG, 'Plain English')
  const { rooms, sessionSlots } = await gridIds(app, SLUG)
  await place(org, SLUG, first, sessionSlots[0]!, rooms.Hall!)
  await setPhase(org, SLUG, 'pitching', 'published')
  return { app, org, first, second, rooms, sessionSlots }
}

describe('what is kept in memory', () => {
  test('the signed-out grid: the same page for everyone but each visitor’s own token, which works; changes show at once', async (t) => {
    const { app, org, second, rooms, sessionSlots } = await publishedCamp(t)
    const ann = new Browser(app, '10.60.0.1')
    const bo = new Browser(app, '10.60.0.2')
    const annPage = await ann.get(`/events/${SLUG}/schedule`)
    const boPage = await bo.get(`/events/${SLUG}/schedule`)
    assert.equal(annPage.status, 200)
    const tokenOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!
    assert.notEqual(tokenOf(annPage.html), tokenOf(boPage.html), 'each visitor gets their own token')
    assert.equal(annPage.html.replace(tokenOf(annPage.html), 'T'), boPage.html.replace(tokenOf(boPage.html), 'T'), 'and otherwise the same page')
    assert.ok(!annPage.html.includes('\u0000'), 'no placeholder left in the page')
    const switched = await ann.post('/language', { lang: 'cy', next: `/events/${SLUG}/schedule` })
    assert.equal(switched.status, 303, 'the token in a kept page works')
    assert.match((await ann.get(`/events/${SLUG}/schedule`)).html, /<html lang="cy"/)

    assert.doesNotMatch(text(boPage.html), /Plain English/)
    await org.get(`/events/${SLUG}/schedule/edit`)
    assert.equal((await place(org, SLUG, second, sessionSlots[1]!, rooms.Hall!)).status, 303)
    assert.match(text((await bo.get(`/events/${SLUG}/schedule`)).html), /Plain English/, 'an organiser’s change shows on the next load')
  })

  test('feeds: a poll with the current ETag is a 304 straight away, a change ends it, a draft is never answered early', async (t) => {
    const { app, org, first } = await publishedCamp(t)
    const url = `/events/${SLUG}/schedule.ics`
    const full = await app.inject(url)
    const etag = String(full.headers.etag)
    const early = await app.inject({ url, headers: { 'if-none-match': etag } })
    assert.equal(early.statusCode, 304)
    assert.equal(early.headers.etag, etag)
    assert.equal(early.headers['last-modified'], full.headers['last-modified'])
    assert.equal(early.headers['set-cookie'], undefined, 'no session for a calendar app')

    await org.get(`/events/${SLUG}/schedule/edit`)
    assert.equal((await org.post(`/events/${SLUG}/schedule/unassign`, { proposal: String(first) })).status, 303)
    const changed = await app.inject({ url, headers: { 'if-none-match': etag } })
    assert.equal(changed.statusCode, 200, 'a change is a new feed at once')
    assert.match(changed.body, /STATUS:CANCELLED/)

    // Back to draft: the feed disappears for everyone but organisers, cached or not.
    const current = String(changed.headers.etag)
    await org.get(`/events/${SLUG}/manage`)
    for (const phase of ['pitching', 'proposals', 'draft']) assert.equal((await org.post(`/events/${SLUG}/phase`, { phase })).status, 303)
    const draft = await app.inject({ url, headers: { 'if-none-match': current } })
    assert.equal(draft.statusCode, 404)
  })

  test('feeds over real HTTP: the poll is answered in Node’s request listener, and the same rules hold', async (t) => {
    const { app, org, first } = await publishedCamp(t)
    const base = await app.listen({ port: 0, host: '127.0.0.1' })
    const url = `${base}/events/${SLUG}/schedule.ics`
    const full = await fetch(url)
    const etag = String(full.headers.get('etag'))
    assert.equal(full.status, 200)
    const poll = await fetch(url, { headers: { 'if-none-match': etag } })
    assert.equal(poll.status, 304)
    assert.equal(poll.headers.get('etag'), etag)
    assert.equal(poll.headers.get('last-modified'), full.headers.get('last-modified'))
    assert.equal(poll.headers.get('cache-control'), 'public, max-age=300, must-revalidate')
    assert.equal(poll.headers.get('vary'), 'Accept-Language, Cookie')
    // With a cookie (it may choose the language) it is the route that answers, the same way.
    const withCookie = await fetch(url, { headers: { 'if-none-match': etag, cookie: 'hashcamp_lang=en' } })
    assert.equal(withCookie.status, 304)
    assert.ok(withCookie.headers.get('content-security-policy'), 'the full path, with its security headers')

    await org.get(`/events/${SLUG}/schedule/edit`)
    assert.equal((await org.post(`/events/${SLUG}/schedule/unassign`, { proposal: String(first) })).status, 303)
    const changed = await fetch(url, { headers: { 'if-none-match': etag } })
    assert.equal(changed.status, 200, 'a change is a new feed at once')
    assert.match(await changed.text(), /STATUS:CANCELLED/)
    const other = await fetch(`${base}/events/${SLUG}`, { headers: { 'if-none-match': etag } })
    assert.equal(other.status, 200, 'only feed addresses are answered early')
  })

  test('VersionedCache: a new version or age rebuilds, concurrent misses share one build, failures are not kept', async () => {
    const cache = new VersionedCache<number>({ ttlMs: 1000, maxEntries: 2 })
    let builds = 0
    const build = async () => {
      builds += 1
      await new Promise((resolve) => setTimeout(resolve, 5))
      return builds
    }
    const [a, b] = await Promise.all([cache.get('k', 'v1', build, 0), cache.get('k', 'v1', build, 10)])
    assert.deepEqual([a, b, builds], [1, 1, 1], 'one build for two requests')
    assert.equal(await cache.get('k', 'v1', build, 500), 1)
    assert.equal(await cache.get('k', 'v2', build, 600), 2, 'a new version')
    assert.equal(await cache.get('k', 'v2', build, 1700), 3, 'too old')
    await assert.rejects(cache.get('bad', 'v1', async () => Promise.reject(new Error('no'))))
    assert.equal(await cache.get('bad', 'v1', async () => 42), 42, 'a failure is tried again')
    await cache.get('x', 'v1', build)
    await cache.get('y', 'v1', build)
    const before = builds
    await cache.get('k', 'v2', build, 1700)
    assert.equal(builds, before + 1, 'the oldest entry made room for newer ones')
  })
})
