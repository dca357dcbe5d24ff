// What an attacker or a broken client sends: redirect targets that resolve off the site,
// malformed headers, NUL bytes and invisible or reordering characters. Each gets a clear
// answer (a redirect on the site, a 400 or 404 page), never a 500, on both dialects.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { buildTestApp } from '../helpers/build-test-app.js'
import { Browser, signUp } from '../helpers/browser.js'
import { createCommunity, person } from '../helpers/communities.js'
import { createEvent, organiser, propose, setPhase } from '../helpers/events.js'
import { createMeetup } from '../helpers/meetups.js'
import { currentDialect } from '../helpers/dialects.js'

const ann = { displayName: 'Ann Example', email: 'ann@example.org', password: 'correct horse battery' }

// Each resolves, once dot segments are removed, to the path "//evil.example": another host.
const OFFSITE_BY_DOT_SEGMENTS = ['/.//evil.example', '/..//evil.example', '/x/../..//evil.example', '/./%2E//evil.example', '/x/%2e%2e/%2e%2e//evil.example']

describe('redirect targets', () => {
  test('?next= that resolves to //host is refused by sign-in, the language switch, votes and stars', async (t) => {
    const app = await buildTestApp(t)
    const admin = new Browser(app)
    await signUp(admin, ann)
    const org = await organiser(app, admin, 'Olu Organiser')
    await createEvent(org)
    await setPhase(org, 'ukgc27', 'proposals')
    const id = await propose(org, 'ukgc27', 'Open data in councils')

    const visitor = new Browser(app, '10.9.0.1')
    for (const next of OFFSITE_BY_DOT_SEGMENTS) {
      // Signed out: the sign-in form must not carry it into its hidden field as given.
      const signedIn = await admin.get(`/sign-in?next=${encodeURIComponent(next)}`)
      assert.equal(signedIn.status, 303, next)
      assert.equal(signedIn.location, '/', `sign-in (signed in) with ${next}`)

      await visitor.get('/')
      const language = await visitor.post('/language', { lang: 'cy', next })
      assert.equal(language.status, 303)
      assert.equal(language.location, '/', `language switch with ${next}`)

      await admin.get(`/events/ukgc27/proposals/${id}`)
      const vote = await admin.post(`/events/ukgc27/proposals/${id}/vote`, { vote: '1', next })
      assert.equal(vote.status, 303)
      assert.doesNotMatch(vote.location!, /^\/\//, `vote with ${next}`)
      assert.equal(vote.location, `/events/ukgc27/proposals/${id}#interest`)
    }
    await setPhase(org, 'ukgc27', 'pitching', 'published')
    for (const next of OFFSITE_BY_DOT_SEGMENTS) {
      await admin.get(`/events/ukgc27/proposals/${id}`)
      const star = await admin.post(`/events/ukgc27/proposals/${id}/star`, { starred: '1', next })
      assert.equal(star.status, 303)
      assert.equal(star.location, `/events/ukgc27/proposals/${id}#star`, `star with ${next}`)
    }
    // Signing in with the form: the same rule holds in the POST.
    const fresh = new Browser(app, '10.9.0.2')
    await fresh.get('/sign-in?next=%2F.%2F%2Fevil.example')
    const posted = await fresh.post('/sign-in', { email: ann.email, password: ann.password, next: '/.//evil.example' })
    assert.equal(posted.status, 303)
    assert.equal(posted.location, '/')
    // A real path with dot segments still works, normalised.
    assert.equal((await admin.get('/sign-in?next=%2Fx%2F..%2Fcommunities')).location, '/communities')
  })

  test('a malformed Referer on a signed-out POST to a signed-in route is a sign-in redirect, not a 500', async (t) => {
    const app = await buildTestApp(t)
    const org = await person(app, 'Olu')
    await org.get('/')
    const visitor = new Browser(app, '10.9.0.3')
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await visitor.get('/')).html)![1]!
    for (const referer of ['http://[', 'http://[::1', '%%%', 'http://exa mple.org/x']) {
      const response = await app.inject({
        method: 'POST',
        url: '/communities',
        headers: { referer, cookie: visitor.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrf, name: 'x' }).toString(),
        remoteAddress: '10.9.0.3',
      })
      assert.notEqual(response.statusCode, 500, referer)
      assert.equal(response.statusCode, 303, referer)
      assert.match(String(response.headers.location), /^\/sign-in\?next=%2F/)
    }
  })
})

describe(`NUL bytes on ${currentDialect()}`, () => {
  test('a NUL in the address is a 400 page that says so, before any query, signed in or not', async (t) => {
    const app = await buildTestApp(t)
    const ann = await person(app, 'Ann')
    for (const url of ['/events/a%00b', '/people/a%00b', '/communities?q=a%00b', '/meetups/a%00b/calendar.ics', '/communities/a%00b/chats', '/tags/a%00b', '/events/a%00B/proposals']) {
      const anonymous = await app.inject({ url })
      assert.equal(anonymous.statusCode, 400, url)
      assert.match(anonymous.body, /a null byte, written %00/, url)
      assert.equal((await ann.get(url)).status, 400, `${url} signed in`)
    }
    const api = await app.inject({ url: '/api/communities/a%00b' })
    assert.equal(api.statusCode, 400)
    assert.equal(api.json().statusCode, 400)
    const welsh = await app.inject({ url: '/events/a%00b?lang=cy' })
    assert.match(welsh.body, /beit nwl/)
  })

  test('a NUL in any form field never reaches the database: sign-in, sign-up and a community', async (t) => {
    const app = await buildTestApp(t)
    const visitor = new Browser(app, '10.9.1.1')
    await visitor.get('/sign-in')
    const signIn = await visitor.post('/sign-in', { email: 'a\u0000b@example.org', password: 'whatever it is' })
    assert.equal(signIn.status, 400)
    assert.match(signIn.html, /value="ab@example.org"/, 'the typed value comes back, without the NUL')
    await visitor.get('/sign-up')
    const signUp = await visitor.post('/sign-up', { displayName: 'Nul\u0000 Person', email: 'nul\u0000@example.org', password: 'a long enough passphrase' })
    assert.equal(signUp.status, 303)
    const user = await app.db.selectFrom('users').select(['display_name', 'email']).executeTakeFirstOrThrow()
    assert.deepEqual(user, { display_name: 'Nul Person', email: 'nul@example.org' })
    const made = await createCommunity(visitor, { name: 'Nul\u0000 chat', description: 'two\u0000 lines\nsecond' })
    assert.equal(made.status, 303)
    const community = await app.db.selectFrom('communities').select(['name', 'description']).executeTakeFirstOrThrow()
    assert.deepEqual(community, { name: 'Nul chat', description: 'two lines\nsecond' })
  })
})

describe('text as a person sees it', () => {
  const tricky = '\u202EAnn\u200B Ex\u2066ample\r\nSet-Cookie: x=1\u0007'
  const clean = 'Ann Example Set-Cookie: x=1'

  test('names and titles lose bidi overrides, zero-width and control characters and line breaks, and are NFC', async (t) => {
    const app = await buildTestApp(t)
    const ann = await person(app, 'Ann')
    const profile = await ann.submit('/me/profile', '/me/profile', { displayName: tricky, handle: '', bio: 'line one\r\n\u202Eline two', xHandle: '', mastodonHandle: '', blueskyHandle: '' })
    assert.equal(profile.status, 303)
    const user = await app.db.selectFrom('users').select(['display_name', 'bio']).where('display_name', 'like', 'Ann%').executeTakeFirstOrThrow()
    assert.equal(user.display_name, clean)
    assert.equal(user.bio, 'line one\nline two', 'a bio keeps its line break, as one LF')

    assert.equal((await createCommunity(ann, { name: tricky, hashtag: '#tricky' })).status, 303)
    const community = await app.db.selectFrom('communities').select('name').executeTakeFirstOrThrow()
    assert.equal(community.name, clean)

    assert.equal((await createMeetup(ann, { title: tricky })).status, 303)
    const meetup = await app.db.selectFrom('meetups').select('title').executeTakeFirstOrThrow()
    assert.equal(meetup.title, clean)

    // "é" typed as e + combining acute is stored composed (NFC), so it matches itself in search.
    await ann.submit('/me/profile', '/me/profile', { displayName: 'Rene\u0301e', handle: '', bio: '', xHandle: '', mastodonHandle: '', blueskyHandle: '' })
    const renee = await app.db.selectFrom('users').select('display_name').executeTakeFirstOrThrow()
    assert.equal(renee.display_name, 'Ren\u00e9e')
    // Joiners inside an emoji sequence stay; a stray one goes.
    await ann.submit('/me/profile', '/me/profile', { displayName: '\u200DAnn \u{1F469}\u200D\u{1F4BB}', handle: '', bio: '', xHandle: '', mastodonHandle: '', blueskyHandle: '' })
    const emoji = await app.db.selectFrom('users').select('display_name').executeTakeFirstOrThrow()
    assert.equal(emoji.display_name, 'Ann \u{1F469}\u200D\u{1F4BB}')
  })

  test('a proposal title is cleaned the same way, and a password is kept exactly as typed', async (t) => {
    const app = await buildTestApp(t)
    const admin = new Browser(app)
    await signUp(admin, { displayName: 'Admin', email: 'admin@example.org', password: ' spaced\u200B passphrase ' })
    const org = await organiser(app, admin, 'Olu Organiser')
    await createEvent(org)
    await setPhase(org, 'ukgc27', 'proposals')
    const id = await propose(org, 'ukgc27', tricky)
    const proposal = await app.db.selectFrom('proposals').select('title').where('id', '=', id).executeTakeFirstOrThrow()
    assert.equal(proposal.title, clean)
    const again = new Browser(app, '10.9.2.2')
    await again.get('/sign-in')
    assert.equal((await again.post('/sign-in', { email: 'admin@example.org', password: ' spaced\u200B passphrase ' })).status, 303)
  })
})
