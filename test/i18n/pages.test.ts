import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { cy } from '../../src/i18n/catalogues/cy.js'
import { en } from '../../src/i18n/catalogues/en.js'
import { formatInstant } from '../../src/i18n/format.js'
import { fromAcceptLanguage, negotiateLocale } from '../../src/i18n/negotiate.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { Browser, signIn, signUp, text } from '../helpers/browser.js'

/** What a person reads: the text of the page (title and body), tags and scripts removed. */
function visibleText(html: string): string {
  return text(html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ')
}

/** English strings that differ from their Welsh translation (names of languages and networks do not). */
const englishOnly: string[] = Object.entries(en).flatMap(([key, message]) => {
  const welsh = cy[key as keyof typeof en]
  const forms = typeof message === 'string' ? [message] : Object.values(message)
  const welshForms = typeof welsh === 'string' ? [welsh] : Object.values(welsh)
  return forms
    .filter((form): form is string => !!form && !welshForms.includes(form))
    .map((form) => form.split(/\{\w+\}/)[0]!.trim())
    .filter((fragment) => fragment.length >= 6)
})

/** Common English words that never occur in Welsh text: a hard-coded string would bring one. */
const ENGLISH_WORDS = /\b(the|and|your|you|with|this|that|for|from|page|sign|account|email|password|profile|there|not|found|people)\b/i

function assertAllWelsh(html: string, userContent: string[] = []): void {
  assert.match(html, /<html lang="cy">/)
  // Paths shown as examples (/people/…) are addresses, not words.
  let words = visibleText(html).replace(/(^|\s)\/\S*/g, ' ')
  for (const content of [...userContent, 'Hashcamp', 'English', 'X (Twitter)', 'Mastodon', 'Bluesky']) {
    words = words.replace(new RegExp(`(^|[\\s(])${content.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=$|[\\s.,)])`, 'g'), '$1 ')
  }
  for (const fragment of englishOnly) assert.ok(!words.includes(fragment), `English left on the Welsh page: "${fragment}"`)
  const english = ENGLISH_WORDS.exec(words)
  assert.equal(english, null, `English word "${english?.[0]}" on the Welsh page: …${words.slice(Math.max(0, (english?.index ?? 0) - 60), (english?.index ?? 0) + 60)}…`)
}

const ann = { displayName: 'Ann Enghraifft', email: 'ann@example.org', password: 'cyfrinair hir iawn' }

describe('English and Welsh pages', () => {
  test('every page renders fully in Welsh', async (t) => {
    const app = await buildTestApp(t)
    const admin = new Browser(app)
    await admin.get('/')
    await admin.post('/language', { lang: 'cy', next: '/' })
    const names = [ann.displayName, 'Bryn Jones']

    assertAllWelsh((await admin.get('/')).html)
    assertAllWelsh((await admin.get('/sign-up')).html)
    assertAllWelsh((await admin.get('/sign-in')).html)
    const invalid = await admin.post('/sign-up', { displayName: '', email: 'dim', password: 'byr' })
    assert.equal(invalid.status, 400)
    assert.match(invalid.html, /<title>Gwall: Creu cyfrif – Hashcamp<\/title>/)
    assert.match(invalid.html, /Mae problem/)
    assertAllWelsh(invalid.html, ['dim'])
    const wrong = await admin.submit('/sign-in', '/sign-in', { email: 'neb@example.org', password: 'anghywir iawn' })
    assertAllWelsh(wrong.html, ['neb@example.org'])

    await signUp(admin, ann)
    assertAllWelsh((await admin.get('/')).html, names)
    await admin.submit('/me/profile', '/me/profile', {
      displayName: ann.displayName,
      handle: 'ann',
      bio: '',
      xHandle: '@ann',
      mastodonHandle: '',
      blueskyHandle: '',
    })
    const profile = await admin.get('/people/ann')
    assertAllWelsh(profile.html, [...names, '@ann'])
    assert.match(profile.html, /Aelod ers (Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd|Rhagfyr) \d{4}/)
    assertAllWelsh((await admin.get('/me/profile')).html, [...names, '@ann', 'ann'])
    const badProfile = await admin.post('/me/profile', { displayName: '', handle: '9', bio: '', xHandle: '', mastodonHandle: 'x', blueskyHandle: '' })
    assert.equal(badProfile.status, 400)
    assertAllWelsh(badProfile.html, ['9', 'x'])

    const bryn = new Browser(app, '10.9.0.2')
    await signUp(bryn, { displayName: 'Bryn Jones', email: 'bryn@example.org', password: 'cyfrinair arall hir' })
    assertAllWelsh((await admin.get('/admin/people')).html, [...names, 'ann@example.org', 'bryn@example.org'])
    await admin.post('/admin/people/2/role', { role: 'organiser' })
    assertAllWelsh((await admin.get('/admin/people')).html, [...names, 'ann@example.org', 'bryn@example.org'])

    const notFound = await admin.get('/dim/tudalen')
    assert.equal(notFound.status, 404)
    assertAllWelsh(notFound.html, names)
    const forbidden = await bryn.get('/admin/people?lang=cy')
    assert.equal(forbidden.status, 403)
    assertAllWelsh(forbidden.html, names)
  })

  test('community pages render fully in Welsh, with Welsh dates and zone names', async (t) => {
    const app = await buildTestApp(t)
    const host = new Browser(app)
    await host.get('/')
    await host.post('/language', { lang: 'cy', next: '/' })
    await signUp(host, ann)
    const content = [ann.displayName, 'Cymuned Enghraifft', '#lgovsm', 'lgovsm', 'Pwnc Cyntaf', 'Disgrifiad byr', 'Europe/London']
    const invalid = await host.submit('/communities/new', '/communities', {
      name: '', hashtag: '#', slug: '', description: '', chatPlace: '', chatUrl: 'ftp://x', timeZone: 'Mars/Base',
      scheduleKind: 'weekly', weekday: '9', startTime: '99:00', durationMinutes: '0', intervalWeeks: '1', nth: '1', startsOn: 'ddoe',
    })
    assert.equal(invalid.status, 400)
    assertAllWelsh(invalid.html, [...content, 'ftp://x', 'Mars/Base', '99:00', 'ddoe', '#'])
    const created = await host.submit('/communities/new', '/communities', {
      name: 'Cymuned Enghraifft', hashtag: '#lgovsm', slug: '', description: 'Disgrifiad byr', chatPlace: '', chatUrl: '', timeZone: 'Europe/London',
      scheduleKind: 'weekly', weekday: '3', startTime: '20:00', durationMinutes: '60', intervalWeeks: '2', nth: '1', startsOn: '2026-01-07',
    })
    assert.equal(created.status, 303)
    await host.submit('/communities/lgovsm/topics/new', '/communities/lgovsm/topics', { title: 'Pwnc Cyntaf', description: '' })
    const show = await host.get('/communities/lgovsm')
    assertAllWelsh(show.html, content)
    assert.match(show.html, /Dydd Mercher bob pythefnos am 20:00 \((Amser Safonol Greenwich|Amser Haf Prydain)\)/)
    assert.match(show.html, /Dydd Mercher, \d{1,2} [^<]+<\/time>, 20:00–21:00 Amser (Safonol Greenwich|Haf Prydain)/)
    for (const path of ['/communities', '/communities/lgovsm/chats', '/communities/lgovsm/topics', '/communities/lgovsm/members', '/communities/lgovsm/edit', '/communities/lgovsm/topics/new']) {
      const page = await host.get(path)
      assert.equal(page.status, 200, path)
      assertAllWelsh(page.html, content)
    }
    const chats = await host.get('/communities/lgovsm/chats')
    const date = /\/chats\/(\d{4}-\d{2}-\d{2})\/move/.exec(chats.html)![1]!
    assertAllWelsh((await host.get(`/communities/lgovsm/chats/${date}/move`)).html, content)
  })

  test('event pages render fully in Welsh, refusals included', async (t) => {
    const app = await buildTestApp(t)
    const org = new Browser(app)
    await org.get('/')
    await org.post('/language', { lang: 'cy', next: '/' })
    await signUp(org, ann) // the first account: site admin, so an organiser
    const content = [ann.displayName, 'Gwersyll Enghraifft', '#gwersyll', 'gwersyll', 'Sesiwn Gyntaf', 'Neuadd', 'Caerdydd', 'Europe/London', 'OpenStreetMap', 'Zed']
    const invalid = await org.submit('/events/new', '/events', {
      name: '', slug: '', hashtag: '#gwersyll', communitySlug: '', venueName: '', venueAddress: '', mapUrl: '', timeZone: 'Europe/London',
      firstDay: '2027-01-16', lastDay: '2027-01-01', dayStarts: '09:00', dayEnds: '08:00', description: '',
    })
    assert.equal(invalid.status, 400)
    assertAllWelsh(invalid.html, content)
    await org.submit('/events/new', '/events', {
      name: 'Gwersyll Enghraifft', slug: '', hashtag: '#gwersyll', communitySlug: '', venueName: 'Neuadd', venueAddress: 'Caerdydd', mapUrl: '', timeZone: 'Europe/London',
      firstDay: '2027-01-16', lastDay: '2027-01-16', dayStarts: '09:00', dayEnds: '17:00', description: '',
    })
    await org.get('/events/gwersyll/manage')
    const refused = await org.post('/events/gwersyll/walk-up', { title: 'Rhy gynnar', pitcherName: 'Zed', pitcherHandle: '', format: 'talk' })
    assert.equal(refused.status, 409)
    assertAllWelsh(refused.html, content)
    assert.match(refused.html, /mae’r digwyddiad ar “Drafft”/)
    await org.post('/events/gwersyll/phase', { phase: 'proposals' })
    await org.get('/events/gwersyll/manage')
    await org.post('/events/gwersyll/phase', { phase: 'pitching' })
    const badProposal = await org.submit('/events/gwersyll/proposals/new', '/events/gwersyll/proposals', { title: '', description: '', format: 'talk' })
    assertAllWelsh(badProposal.html, content)
    await org.submit('/events/gwersyll/proposals/new', '/events/gwersyll/proposals', { title: 'Sesiwn Gyntaf', description: '', format: 'talk', needs: 'projector' })
    await org.submit('/events/gwersyll/manage', '/events/gwersyll/walk-up', { title: 'Sesiwn Gyntaf', pitcherName: 'Zed', pitcherHandle: '', format: 'discussion' })
    for (const path of ['/events', '/events/gwersyll', '/events/gwersyll/proposals', '/events/gwersyll/proposals/1', '/events/gwersyll/proposals/2', '/events/gwersyll/manage', '/events/gwersyll/edit', '/events/gwersyll/proposals/1/edit', '/events/gwersyll/proposals/1/notes']) {
      const page = await org.get(path)
      assert.equal(page.status, 200, path)
      assertAllWelsh(page.html, content)
    }
    assert.match((await org.get('/events/gwersyll')).html, /Dydd Sadwrn, 16 Ionawr 2027/)
  })

  test('schedule pages render fully in Welsh: rooms, slots, the grid editor, the public grid, the projector, changes, agenda', async (t) => {
    const app = await buildTestApp(t)
    const org = new Browser(app)
    await org.get('/')
    await org.post('/language', { lang: 'cy', next: '/' })
    await signUp(org, ann)
    const content = [ann.displayName, 'Gwersyll Enghraifft', '#gwersyll', 'gwersyll', 'Sesiwn Gyntaf', 'Ail Sesiwn', 'Neuadd', 'Cwtsh', 'Europe/London', 'OpenStreetMap', '-3', '10:30']
    await org.submit('/events/new', '/events', {
      name: 'Gwersyll Enghraifft', slug: '', hashtag: '#gwersyll', communitySlug: '', venueName: '', venueAddress: '', mapUrl: '', timeZone: 'Europe/London',
      firstDay: '2027-01-16', lastDay: '2027-01-16', dayStarts: '09:00', dayEnds: '17:00', description: '',
    })
    await org.get('/events/gwersyll/manage')
    await org.post('/events/gwersyll/phase', { phase: 'proposals' })
    const badRoom = await org.submit('/events/gwersyll/rooms', '/events/gwersyll/rooms', { name: 'Neuadd', capacity: '-3', location: '', accessibilityNotes: '' })
    assert.equal(badRoom.status, 400)
    assertAllWelsh(badRoom.html, content)
    await org.post('/events/gwersyll/rooms', { name: 'Neuadd', capacity: '1', location: '', accessibilityNotes: '', features: 'projector' })
    await org.post('/events/gwersyll/rooms', { name: 'Cwtsh', capacity: '5', location: '', accessibilityNotes: '' })
    await org.submit('/events/gwersyll/slots', '/events/gwersyll/slots/generate', { planDay: '2027-01-16', start: '09:30', opening: '30', sessions: '3', length: '45', gap: '15', lunchAfter: '2', lunchLength: '45' })
    const overlap = await org.post('/events/gwersyll/slots', { day: '2027-01-16', startTime: '10:30', endTime: '11:00', kind: 'session', label: '' })
    assert.equal(overlap.status, 400)
    assertAllWelsh(overlap.html, content)
    const first = await (async () => {
      const page = await org.submit('/events/gwersyll/proposals/new', '/events/gwersyll/proposals', { title: 'Sesiwn Gyntaf', description: '', format: 'talk', needs: 'projector' })
      return Number(/(\d+)$/.exec(page.location!)![1])
    })()
    const second = await (async () => {
      const page = await org.submit('/events/gwersyll/proposals/new', '/events/gwersyll/proposals', { title: 'Ail Sesiwn', description: '', format: 'talk', needs: 'hearing-loop' })
      return Number(/(\d+)$/.exec(page.location!)![1])
    })()
    const slots = await app.db.selectFrom('slots').select(['id', 'kind']).orderBy('starts_at').execute()
    const rooms = await app.db.selectFrom('rooms').select(['id', 'name']).orderBy('position').execute()
    const session = slots.filter((s) => s.kind === 'session')
    const placeIn = (proposal: number, slot: number, room: number, expected = '') =>
      org.submit('/events/gwersyll/schedule/edit', '/events/gwersyll/schedule/place', { proposal: String(proposal), slot: String(slot), room: String(room), expected })
    await placeIn(first, session[0]!.id, rooms[0]!.id)
    await placeIn(second, session[0]!.id, rooms[1]!.id)
    const stale = await placeIn(second, session[0]!.id, rooms[0]!.id)
    assert.equal(stale.status, 409)
    assertAllWelsh(stale.html, content)
    await org.get('/events/gwersyll/manage')
    await org.post('/events/gwersyll/phase', { phase: 'pitching' })
    await org.get('/events/gwersyll/manage')
    await org.post('/events/gwersyll/phase', { phase: 'published' })
    await org.get('/events/gwersyll/schedule')
    await org.post(`/events/gwersyll/proposals/${first}/star`, { starred: '1' })
    await placeIn(second, session[1]!.id, rooms[1]!.id)
    const editor = await org.get('/events/gwersyll/schedule/edit')
    assert.match(editor.html, /Gwrthdaro|gwrthdaro|Ar goll/, 'conflicts are listed, in Welsh')
    for (const path of ['/events/gwersyll/rooms', `/events/gwersyll/rooms/${rooms[0]!.id}/edit`, '/events/gwersyll/slots', `/events/gwersyll/slots/${slots[0]!.id}/edit`, '/events/gwersyll/schedule/edit', `/events/gwersyll/schedule/edit?move=${first}`, '/events/gwersyll/schedule', '/events/gwersyll/schedule?mine=1', '/events/gwersyll/now?at=2027-01-16T10:10', '/events/gwersyll/schedule/changes', '/events/gwersyll/schedule/auto', '/me/agenda', '/me/calendar']) {
      const page = await org.get(path)
      assert.equal(page.status, 200, path)
      assertAllWelsh(page.html, content)
    }
    const feed = await org.get('/events/gwersyll/schedule/changes.atom')
    assert.match(feed.html, /xml:lang="cy"/)
    assert.match(feed.html, /Newidiadau i’r amserlen|amserlen/)
  })

  test('meetup pages render fully in Welsh', async (t) => {
    const app = await buildTestApp(t)
    const host = new Browser(app)
    await host.get('/')
    await host.post('/language', { lang: 'cy', next: '/' })
    await signUp(host, ann)
    const content = [ann.displayName, 'Cinio Enghraifft', 'Caffi', 'Europe/London', 'OpenStreetMap']
    const when = new Date(Date.now() + 10 * 86400000).toISOString().slice(0, 10)
    const fields = {
      title: 'Cinio Enghraifft', slug: 'cinio', description: '', startsAt: `${when}T12:30`, endsAt: `${when}T13:30`, timeZone: 'Europe/London',
      venueName: 'Caffi', venueAddress: '', mapUrl: '', onlineUrl: '', capacity: '1', maxPartySize: '2', rsvpOpensAt: '', rsvpClosesAt: '',
      communitySlug: '', eventSlug: '', attendeeVisibility: 'public',
    }
    const invalid = await host.submit('/meetups/new', '/meetups', { ...fields, capacity: '-1' })
    assert.equal(invalid.status, 400)
    assertAllWelsh(invalid.html, [...content, '-1'])
    await host.submit('/meetups/new', '/meetups', fields)
    await host.submit('/meetups/cinio', '/meetups/cinio/rsvp', { going: 'yes', partySize: '1' })
    const bryn = new Browser(app, '10.9.3.1')
    await bryn.get('/')
    await bryn.post('/language', { lang: 'cy', next: '/' })
    await signUp(bryn, { displayName: 'Bryn Jones', email: 'bryn@example.org', password: 'cyfrinair arall hir' })
    await bryn.submit('/meetups/cinio', '/meetups/cinio/rsvp', { going: 'yes', partySize: '2' })
    const waiting = await bryn.get('/meetups/cinio')
    assertAllWelsh(waiting.html, [...content, 'Bryn Jones'])
    assert.match(waiting.html, /rhif 1 ar y rhestr aros/)
    const refused = await bryn.submit('/meetups/cinio', '/meetups/cinio/rsvp', { going: 'yes', partySize: '5' })
    assert.equal(refused.status, 409)
    assertAllWelsh(refused.html, [...content, 'Bryn Jones'])
    for (const path of ['/meetups', '/meetups/cinio', '/meetups/cinio/edit', '/me', '/tags/gwersyll', '/share/mastodon?text=Cinio']) {
      const page = await host.get(path)
      assert.equal(page.status, 200, path)
      assertAllWelsh(page.html, [...content, 'Bryn Jones'])
    }
  })

  test('the same pages in English carry no Welsh', async (t) => {
    const app = await buildTestApp(t)
    const page = await new Browser(app).get('/sign-up')
    assert.match(page.html, /<html lang="en">/)
    assert.doesNotMatch(visibleText(page.html), /\b(Creu|Mewngofnodi|eich)\b/)
    assert.match(page.html, /lang="cy"[^>]*>Cymraeg</, 'the switch offers Welsh, marked as Welsh')
  })

  test('the switch remembers the choice in a cookie, and on the account when signed in', async (t) => {
    const app = await buildTestApp(t)
    const browser = new Browser(app)
    await browser.get('/sign-in?next=%2Fme%2Fprofile')
    const switched = await browser.post('/language', { lang: 'cy', next: '/sign-in?next=%2Fme%2Fprofile' })
    assert.equal(switched.status, 303)
    assert.equal(switched.location, '/sign-in?next=%2Fme%2Fprofile')
    assert.ok(browser.hasCookie('hashcamp_lang'))
    assert.match((await browser.get('/')).html, /<html lang="cy">/)

    // Signing up keeps the choice on the account; another device then gets Welsh too.
    await signUp(browser, ann)
    const elsewhere = new Browser(app, '10.9.1.1')
    assert.match((await elsewhere.get('/')).html, /<html lang="en">/)
    await signIn(elsewhere, ann.email, ann.password)
    assert.match((await elsewhere.get('/')).html, /<html lang="cy">/)

    // Switching back while signed in updates the account.
    await elsewhere.post('/language', { lang: 'en', next: '/' })
    const row = await app.db.selectFrom('users').select('locale').executeTakeFirstOrThrow()
    assert.equal(row.locale, 'en')
    // The switch is a POST with a CSRF token like every other.
    assert.equal((await elsewhere.post('/language', { lang: 'cy' }, { csrf: null })).status, 403)
  })

  test('without a choice, the browser’s Accept-Language decides; ?lang= overrides for one page', async (t) => {
    const app = await buildTestApp(t)
    const browser = new Browser(app)
    assert.match((await browser.get('/', { 'accept-language': 'cy-GB,cy;q=0.9,en;q=0.8' })).html, /<html lang="cy">/)
    assert.match((await browser.get('/', { 'accept-language': 'fr-FR,en;q=0.5,cy;q=0.4' })).html, /<html lang="en">/)
    const override = await browser.get('/?lang=cy', { 'accept-language': 'en' })
    assert.match(override.html, /<html lang="cy">/)
    assert.equal(override.response.headers['content-language'], 'cy')
    assert.match(override.response.headers.vary as string, /Accept-Language/)
    assert.match((await browser.get('/')).html, /<html lang="en">/, '?lang= is not remembered')
  })

  test('public pages name their other-language versions; private pages do not', async (t) => {
    const app = await buildTestApp(t)
    const home = await new Browser(app).get('/')
    assert.match(home.html, /<link rel="alternate" hreflang="en" href="http:\/\/localhost:3000\/\?lang=en">/)
    assert.match(home.html, /<link rel="alternate" hreflang="cy" href="http:\/\/localhost:3000\/\?lang=cy">/)
    assert.match(home.html, /<link rel="alternate" hreflang="x-default" href="http:\/\/localhost:3000\/">/)
    const signInPage = await new Browser(app).get('/sign-in')
    assert.doesNotMatch(signInPage.html, /hreflang/)
    assert.match(signInPage.html, /noindex/)
  })

  test('concurrent requests in English and Welsh each get their own language', async (t) => {
    const app = await buildTestApp(t)
    const requests = Array.from({ length: 60 }, (_, i) => {
      const locale = i % 2 === 0 ? 'en' : 'cy'
      const url = i % 3 === 0 ? '/sign-up' : i % 3 === 1 ? '/' : '/no-such-page'
      return app.inject({ method: 'GET', url, headers: { 'accept-language': locale } }).then((response) => ({ locale, response }))
    })
    for (const { locale, response } of await Promise.all(requests)) {
      assert.match(response.body, new RegExp(`<html lang="${locale}">`))
      const skipLink = locale === 'cy' ? 'Neidio i’r prif gynnwys' : 'Skip to main content'
      assert.ok(response.body.includes(skipLink))
    }
  })
})

describe('negotiation and formatting', () => {
  test('Accept-Language is read by quality, then order', () => {
    assert.equal(fromAcceptLanguage('cy'), 'cy')
    assert.equal(fromAcceptLanguage('en-GB,cy;q=0.9'), 'en')
    assert.equal(fromAcceptLanguage('de;q=1, cy;q=0.8, en;q=0.7'), 'cy')
    assert.equal(fromAcceptLanguage('cy;q=0, en;q=0.1'), 'en')
    assert.equal(fromAcceptLanguage('fr, de'), null)
    assert.equal(fromAcceptLanguage(undefined), null)
    assert.equal(negotiateLocale({ query: 'cy', account: 'en', cookie: 'en', acceptLanguage: 'en' }), 'cy')
    assert.equal(negotiateLocale({ query: 'xx', account: 'cy', cookie: 'en' }), 'cy')
    assert.equal(negotiateLocale({ account: null, cookie: 'cy', acceptLanguage: 'en' }), 'cy')
    assert.equal(negotiateLocale({}), 'en')
  })

  test('dates and times in the reader’s language and the thing’s own zone, across the clock change', () => {
    // The Saturday before the clocks go forward (29 March 2026) and the Saturday after.
    assert.equal(formatInstant('en', '2026-03-28T20:00:00Z', 'Europe/London', 'timeWithZone'), '20:00 Greenwich Mean Time')
    assert.equal(formatInstant('en', '2026-04-04T19:00:00Z', 'Europe/London', 'timeWithZone'), '20:00 British Summer Time')
    assert.equal(formatInstant('cy', '2026-04-04T19:00:00Z', 'Europe/London', 'timeWithZone'), '20:00 Amser Haf Prydain')
    // The same chat seen as Berlin time is 21:00, and says so.
    assert.equal(formatInstant('en', '2026-04-04T19:00:00Z', 'Europe/Berlin', 'timeWithZone'), '21:00 Central European Summer Time')
    assert.equal(formatInstant('cy', '2026-07-02T19:00:00Z', 'Europe/London', 'date'), 'Dydd Iau, 2 Gorffennaf 2026')
    assert.equal(formatInstant('en', '2026-07-02T19:00:00Z', 'Europe/London', 'date'), 'Thursday, 2 July 2026')
    assert.equal(formatInstant('cy', '2026-11-26T10:00:00Z', 'Europe/London', 'monthYear'), 'Tachwedd 2026')
  })
})
