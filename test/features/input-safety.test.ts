// What an attacker or a broken client sends: redirect targets that resolve off the site,
// malformed headers, NUL bytes and invisible or reordering characters. Each gets a clear
// answer (a redirect on the site, a 400 or 404 page), never a 500, on both dialects.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { buildTestApp } from '../helpers/build-test-app.js'
import { Browser, signUp } from '../helpers/browser.js'
import { person } from '../helpers/communities.js'
import { createEvent, organiser, propose, setPhase } from '../helpers/events.js'

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
      assert.equal(vote.location, `/events/ukgc27/proposals/${id}`)
    }
    await setPhase(org, 'ukgc27', 'pitching', 'published')
    for (const next of OFFSITE_BY_DOT_SEGMENTS) {
      await admin.get(`/events/ukgc27/proposals/${id}`)
      const star = await admin.post(`/events/ukgc27/proposals/${id}/star`, { starred: '1', next })
      assert.equal(star.status, 303)
      assert.equal(star.location, `/events/ukgc27/proposals/${id}`, `star with ${next}`)
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
