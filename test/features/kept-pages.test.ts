// Kept pages (src/plugins/kept-pages.ts): a public page as a signed-out visitor sees it is
// built once per data version (src/db/data-version.ts) and served again. Nobody may ever
// see a stale page after a write, someone else's flash message, someone else's token, a
// kept page while signed in, or one language's page in the other.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { buildApp } from '../../src/app.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { Browser, text } from '../helpers/browser.js'
import { createCommunity, lgovsmForm, person } from '../helpers/communities.js'
import { currentDialect } from '../helpers/dialects.js'
import { createMeetup } from '../helpers/meetups.js'

const tokenOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!

describe('kept signed-out pages', () => {
  test('served again to every visitor with their own working token, and changed right after any write', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Hana Host')
    assert.equal((await createCommunity(host)).status, 303)
    const ann = new Browser(app, '10.70.0.1')
    const bo = new Browser(app, '10.70.0.2')

    const first = await ann.get('/communities/lgovsm')
    const builds = app.keptPages.builds
    const hits = app.keptPages.hits
    const second = await bo.get('/communities/lgovsm')
    assert.equal(second.status, 200)
    assert.equal(app.keptPages.hits, hits + 1, 'the second visitor is served the kept page')
    assert.equal(app.keptPages.builds, builds, 'without building it again')
    assert.notEqual(tokenOf(first.html), tokenOf(second.html), 'each visitor gets their own token')
    assert.equal(first.html.replaceAll(tokenOf(first.html), 'T'), second.html.replaceAll(tokenOf(second.html), 'T'), 'and otherwise the same page')
    assert.equal(second.response.headers['content-type'], 'text/html; charset=utf-8')
    assert.equal(second.response.headers['content-language'], 'en')
    assert.match(String(second.response.headers.vary), /Accept-Language/)
    const switched = await bo.post('/language', { lang: 'cy', next: '/communities/lgovsm' })
    assert.equal(switched.status, 303, 'the token in a kept page works')

    // A renamed community shows on the very next signed-out request.
    await host.get('/communities/lgovsm/edit')
    assert.equal((await host.post('/communities/lgovsm/edit', { ...lgovsmForm, name: 'Council comms together' })).status, 303)
    assert.match(text((await ann.get('/communities/lgovsm')).html), /Council comms together/)

    // A new meetup appears on the community page at once, and its own page is kept too.
    assert.equal((await createMeetup(host, { communitySlug: 'lgovsm', title: 'Picnic in the park' })).status, 303)
    assert.match(text((await ann.get('/communities/lgovsm')).html), /Picnic in the park/)
    const meetupPath = /href="(\/meetups\/[^"]+)"/.exec((await ann.get('/communities/lgovsm')).html)![1]!
    assert.equal((await ann.get(meetupPath)).status, 200)
    assert.equal((await bo.get(meetupPath)).status, 200)

    // A write by any path at all (here straight to the database, as a moderator's hiding does) counts.
    await app.db.updateTable('meetups').set({ hidden_at: new Date().toISOString(), hidden_reason: 'spam', hidden_cause: 'report' }).execute()
    assert.doesNotMatch(text((await ann.get('/communities/lgovsm')).html), /Picnic in the park/, 'a hidden meetup disappears at once')
    assert.equal((await ann.get(meetupPath)).status, 404)
  })

  test('a flash message is shown once to its visitor and never kept; a signed-in visitor never gets a kept page', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Hana Host')
    await createCommunity(host)
    const ann = new Browser(app, '10.70.1.1')
    await ann.get('/communities/lgovsm') // kept now

    const signedIn = await host.get('/communities/lgovsm')
    assert.match(signedIn.html, /Hana Host/, 'the signed-in page is their own (their name in the header)')
    assert.notEqual(signedIn.html.replaceAll(tokenOf(signedIn.html), 'T'), (await ann.get('/communities/lgovsm')).html.replaceAll(tokenOf((await ann.get('/communities/lgovsm')).html), 'T'))

    await host.get('/')
    assert.equal((await host.post('/sign-out', {})).status, 303)
    const withFlash = await host.get('/')
    assert.match(text(withFlash.html), /You have signed out\./)
    assert.doesNotMatch(text((await ann.get('/')).html), /You have signed out/, 'never served to someone else')
    assert.doesNotMatch(text((await host.get('/')).html), /You have signed out/, 'nor twice')
    // Signed out now, the host gets the kept page, with their own token that works.
    await ann.get('/communities/lgovsm') // kept again (signing out was a write)
    const hits = app.keptPages.hits
    await host.get('/communities/lgovsm')
    assert.equal(app.keptPages.hits, hits + 1)
    assert.equal((await host.post('/language', { lang: 'cy', next: '/communities/lgovsm' })).status, 303)
  })

  test('Welsh and English are kept apart, and each query string is its own page', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Hana Host')
    await createCommunity(host)
    const ann = new Browser(app, '10.70.2.1')
    const english = await ann.get('/communities/lgovsm')
    const welsh = await new Browser(app, '10.70.2.2').get('/communities/lgovsm', { 'accept-language': 'cy' })
    const welshAgain = await new Browser(app, '10.70.2.3').get('/communities/lgovsm', { 'accept-language': 'cy' })
    const englishAgain = await new Browser(app, '10.70.2.4').get('/communities/lgovsm')
    assert.match(english.html, /<html lang="en"/)
    assert.match(englishAgain.html, /<html lang="en"/)
    assert.match(welsh.html, /<html lang="cy"/)
    assert.match(welshAgain.html, /<html lang="cy"/)
    assert.equal(welshAgain.response.headers['content-language'], 'cy')
    const byQuery = await ann.get('/communities/lgovsm?lang=cy')
    assert.match(byQuery.html, /<html lang="cy"/)
    assert.match((await ann.get('/communities/lgovsm?lang=en')).html, /<html lang="en"/)
  })

  test('a personal calendar is kept per token: a replaced token stops working at once, a change shows at once', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Hana Host')
    await createCommunity(host)
    await host.get('/me/calendar')
    await host.post('/me/calendar', {})
    const feedUrl = () => host.get('/me/calendar').then((page) => /\/calendar\/[A-Za-z0-9_-]+\.ics/.exec(page.html)![0])
    const url = await feedUrl()
    const before = await app.inject(url)
    assert.equal(before.statusCode, 200)
    assert.equal((await app.inject(url)).body, before.body)
    assert.equal((await createMeetup(host, { communitySlug: 'lgovsm', title: 'Picnic in the park' })).status, 303)
    assert.match((await app.inject(url)).body, /Picnic in the park/, 'the new meetup is in the next fetch')
    await host.get('/me/calendar')
    await host.post('/me/calendar', {})
    assert.equal((await app.inject(url)).statusCode, 404, 'the old address stops working at once')
    assert.equal((await app.inject(await feedUrl())).statusCode, 200)
  })

  // SQLite has one process; its other connections (npm run migrate) are caught by PRAGMA data_version.
  if (currentDialect() === 'postgres') test('on PostgreSQL, a write by another app process is seen by this one', async (t) => {
    const first = await buildTestApp(t)
    const host = await person(first, 'Hana Host')
    await createCommunity(host)
    const visitor = new Browser(first, '10.70.3.1')
    assert.match(text((await visitor.get('/communities/lgovsm')).html), /Local gov social media/)
    // A second app on the same database, as a second server process would be.
    const second = await buildApp({ ...first.config, migrateOnStart: false }, { logger: false })
    t.after(() => second.close())
    await second.db.updateTable('communities').set({ name: 'Renamed elsewhere' }).execute()
    // Told by NOTIFY: poll until it arrives (well under the 10-second bound on staleness).
    const started = Date.now()
    while (!/Renamed elsewhere/.test(text((await visitor.get('/communities/lgovsm')).html))) {
      assert.ok(Date.now() - started < 5000, 'the other process’s write was not seen')
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  })
})
