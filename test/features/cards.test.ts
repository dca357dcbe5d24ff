import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { buildTestApp } from '../helpers/build-test-app.js'
import { Browser, text } from '../helpers/browser.js'
import { createCommunity, person } from '../helpers/communities.js'
import { createEvent, organiser, propose, setPhase } from '../helpers/events.js'
import { createMeetup } from '../helpers/meetups.js'

const BASE = 'https://camp.example.org'

function meta(html: string): Record<string, string> {
  const found: Record<string, string> = {}
  for (const m of html.matchAll(/<meta (?:property|name)="([^"]+)" content="([^"]*)">/g)) found[m[1]!] = text(m[2]!)
  const canonical = /<link rel="canonical" href="([^"]+)">/.exec(html)
  if (canonical) found.canonical = text(canonical[1]!)
  return found
}

function jsonLd(html: string): Record<string, unknown> {
  const match = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)
  assert.ok(match, 'the page has JSON-LD')
  return JSON.parse(match[1]!) as Record<string, unknown>
}

const OFFSET_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/

async function world(t: Parameters<typeof buildTestApp>[0]) {
  const app = await buildTestApp(t, { baseUrl: BASE })
  const admin = await person(app, 'Site Admin')
  const org = await organiser(app, admin, 'Olu Organiser')
  return { app, admin, org }
}

describe('link cards, JSON-LD and share links', () => {
  test('community, chats, event, session and meetup pages carry cards that say what, when and where', async (t) => {
    const { app, org } = await world(t)
    await createCommunity(org)
    await createEvent(org, { communitySlug: 'lgovsm' })
    await setPhase(org, 'ukgc27', 'proposals')
    const session = await propose(org, 'ukgc27', 'Open data in councils', { format: 'workshop' })
    await createMeetup(org, { startsAt: '2027-07-03T12:30', endsAt: '2027-07-03T13:30', venueName: 'The Café', venueAddress: '1 High Street\nCardiff' })
    const visitor = new Browser(app, '10.95.0.1')

    const community = meta((await visitor.get('/communities/lgovsm')).html)
    assert.equal(community['og:title'], 'Local gov social media')
    assert.equal(community['og:url'], `${BASE}/communities/lgovsm`)
    assert.equal(community.canonical, `${BASE}/communities/lgovsm`)
    assert.match(community['og:description']!, /^#lgovsm chat\. Next chat: Wednesday, \d{1,2} \w+ \d{4}, 20:00–21:00 (Greenwich Mean Time|British Summer Time)\.$/)
    assert.equal(community['og:image'], `${BASE}/static/img/card.png`)
    assert.equal(community['twitter:card'], 'summary_large_image')
    assert.equal(community['og:site_name'], 'Hashcamp')

    const chats = meta((await visitor.get('/communities/lgovsm/chats')).html)
    assert.equal(chats['og:url'], `${BASE}/communities/lgovsm/chats`)

    const eventPage = (await visitor.get('/events/ukgc27')).html
    const event = meta(eventPage)
    assert.equal(event['og:description'], 'Saturday, 16 January 2027, 09:00–17:30 (Greenwich Mean Time), at The Assembly Hall (demo), 1 Example Street.')
    const eventLd = jsonLd(eventPage)
    assert.equal(eventLd['@type'], 'Event')
    assert.equal(eventLd.startDate, '2027-01-16T09:00:00+00:00')
    assert.equal(eventLd.endDate, '2027-01-16T17:30:00+00:00')
    assert.equal(eventLd.eventStatus, 'https://schema.org/EventScheduled')
    assert.deepEqual(eventLd.organizer, [{ '@type': 'Person', name: 'Olu Organiser' }])
    assert.equal((eventLd.location as { name: string }[])[0]!.name, 'The Assembly Hall (demo)')

    const sessionMeta = meta((await visitor.get(`/events/ukgc27/proposals/${session}`)).html)
    assert.equal(sessionMeta['og:title'], 'Open data in councils')
    assert.equal(sessionMeta['og:description'], 'Workshop at UKGovCamp 2027, Saturday, 16 January 2027. 0 would go.')

    const meetupPage = (await visitor.get('/meetups/lunch-on-saturday')).html
    const meetupMeta = meta(meetupPage)
    assert.equal(meetupMeta['og:description'], 'Saturday, 3 July 2027 at 12:30–13:30 British Summer Time, at The Café, 1 High Street. 3 seats left.')
    const meetupLd = jsonLd(meetupPage)
    assert.equal(meetupLd.startDate, '2027-07-03T12:30:00+01:00', 'summer time carries its offset')
    assert.match(meetupLd.endDate as string, OFFSET_DATE)
    assert.match(meetupPage, /<figure class="qr qr--wide-only">\s*<svg aria-hidden="true" focusable="false" xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, 'a QR code for phones in the room')

    await org.submit('/meetups/lunch-on-saturday', '/meetups/lunch-on-saturday/cancel', {})
    const cancelled = (await visitor.get('/meetups/lunch-on-saturday')).html
    assert.equal(jsonLd(cancelled).eventStatus, 'https://schema.org/EventCancelled')
    assert.equal(meta(cancelled)['og:title'], 'Cancelled: Lunch on Saturday')
  })

  test('user text with quotes, angle brackets and emoji is escaped in attributes and cannot break out of JSON-LD', async (t) => {
    const { app, org } = await world(t)
    const title = 'Lunch "on us" <b>now</b> & 🎉 </script><script>alert(1)</script>'
    assert.equal((await createMeetup(org, { title, slug: 'tricky' })).status, 303)
    const html = (await new Browser(app, '10.95.1.1').get('/meetups/tricky')).html
    assert.equal(meta(html)['og:title'], title, 'the attribute holds the exact text')
    assert.match(html, /<meta property="og:title" content="Lunch &quot;on us&quot; &lt;b&gt;now&lt;\/b&gt; &amp; 🎉 &lt;\/script&gt;/)
    const ld = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)![1]!
    assert.ok(!ld.includes('</'), 'no closing tag inside the JSON-LD')
    assert.ok(!ld.includes('<'))
    assert.equal((JSON.parse(ld) as { name: string }).name, title)
    assert.doesNotMatch(html, /<script>alert/)
  })

  test('share links carry the title, the date and the hashtag, correctly encoded', async (t) => {
    const { app, org } = await world(t)
    await createEvent(org, { name: 'Camp & "Friends" #1' })
    await setPhase(org, 'ukgc27', 'proposals')
    const html = (await new Browser(app, '10.95.2.1').get('/events/ukgc27')).html
    const x = new URL(text(/href="(https:\/\/x\.com\/intent\/post\?[^"]+)"/.exec(html)![1]!))
    assert.equal(x.searchParams.get('text'), 'Camp & "Friends" #1 – Saturday, 16 January 2027 – #ukgc27')
    assert.equal(x.searchParams.get('url'), `${BASE}/events/ukgc27`)
    const bluesky = new URL(text(/href="(https:\/\/bsky\.app\/intent\/compose\?[^"]+)"/.exec(html)![1]!))
    assert.equal(bluesky.searchParams.get('text'), `Camp & "Friends" #1 – Saturday, 16 January 2027 – #ukgc27 ${BASE}/events/ukgc27`)
    const mastodonPath = text(/href="(\/share\/mastodon\?[^"]+)"/.exec(html)![1]!)
    assert.match(html, new RegExp(`id="share-url" type="text" readonly value="${BASE.replace(/\./g, '\\.')}/events/ukgc27"`))

    // Mastodon: asked once, remembered in a cookie, then straight to the person's server.
    const sharer = new Browser(app, '10.95.2.2')
    const ask = await sharer.get(mastodonPath)
    assert.equal(ask.status, 200)
    assert.match(ask.html, /Your Mastodon server/)
    const bad = await sharer.post('/share/mastodon', { server: 'not a server', text: 'x' })
    assert.equal(bad.status, 400)
    assert.match(bad.html, /value="not a server"/)
    await sharer.get(mastodonPath)
    const chosen = await sharer.post('/share/mastodon', { server: '@ann@Social.Example.ORG', text: bluesky.searchParams.get('text')! })
    assert.equal(chosen.status, 303)
    const target = new URL(chosen.location!)
    assert.equal(target.origin + target.pathname, 'https://social.example.org/share')
    assert.equal(target.searchParams.get('text'), bluesky.searchParams.get('text'))
    const again = await sharer.get(mastodonPath)
    assert.equal(again.status, 303, 'the second time goes straight there')
    assert.match(again.location!, /^https:\/\/social\.example\.org\/share\?text=/)
  })

  test('private pages carry no cards and are marked noindex', async (t) => {
    const { app, org } = await world(t)
    await createEvent(org)
    await createMeetup(org)
    await createCommunity(org)
    for (const path of ['/events/ukgc27/manage', '/events/ukgc27/edit', '/meetups/lunch-on-saturday/edit', '/communities/lgovsm/edit', '/me', '/me/profile', '/events/new']) {
      const page = await org.get(path)
      assert.equal(page.status, 200, path)
      assert.match(page.html, /<meta name="robots" content="noindex">/, path)
      assert.doesNotMatch(page.html, /og:title|twitter:card|application\/ld\+json|rel="canonical"/, path)
    }
    assert.doesNotMatch((await new Browser(app).get('/sign-in')).html, /og:title/)
  })

  test('/tags/:hashtag lists what uses a hashtag, whatever its case', async (t) => {
    const { app, org } = await world(t)
    await createCommunity(org)
    await createEvent(org, { hashtag: '#LGovSM', slug: 'lgov-camp', communitySlug: 'lgovsm' })
    await setPhase(org, 'lgov-camp', 'proposals')
    await createMeetup(org, { communitySlug: 'lgovsm' })
    const mixed = await new Browser(app, '10.95.3.1').get('/tags/LGOVSM')
    assert.equal(mixed.status, 301, 'one address per hashtag')
    assert.equal(mixed.location, '/tags/lgovsm')
    const page = await new Browser(app, '10.95.3.1').get('/tags/lgovsm')
    assert.equal(page.status, 200)
    assert.match(page.html, /href="\/communities\/lgovsm">Local gov social media/)
    assert.match(page.html, /href="\/events\/lgov-camp">UKGovCamp 2027/)
    assert.match(page.html, /href="\/meetups\/lunch-on-saturday">Lunch on Saturday/)
    assert.equal(meta(page.html)['og:url'], `${BASE}/tags/lgovsm`)
    assert.match((await new Browser(app).get('/tags/nothing')).html, /Nothing on Hashcamp uses this hashtag yet/)
    assert.equal((await new Browser(app).get('/tags/%3Cscript%3E')).status, 404)
  })
})

test('Welsh hashtags are found in any case, on both databases', async (t) => {
  const { app, org } = await world(t)
  assert.equal((await createCommunity(org, { hashtag: '#ŴylCymru', slug: 'gwyl', name: 'Gŵyl Cymru' })).status, 303)
  const page = await new Browser(app, '10.95.4.1').get(`/tags/${encodeURIComponent('ŵylcymru')}`)
  assert.equal(page.status, 200)
  assert.match(page.html, /href="\/communities\/gwyl">Gŵyl Cymru/)
  const upper = await new Browser(app, '10.95.4.2').get(`/tags/${encodeURIComponent('ŴYLCYMRU')}`)
  assert.equal(upper.status, 301)
  assert.match((await new Browser(app, '10.95.4.3').get(`/communities?q=${encodeURIComponent('#ŵyl')}`)).html, /Gŵyl Cymru/)
})

test('only the Mastodon page may send its form to another site', async (t) => {
  const { app } = await world(t)
  const share = await app.inject({ url: '/share/mastodon?text=hi' })
  assert.match(share.headers['content-security-policy'] as string, /form-action 'self' https:/)
  const home = await app.inject({ url: '/' })
  assert.match(home.headers['content-security-policy'] as string, /form-action 'self'(;|$)/)
})
