// Taps without JavaScript: a vote, a star, an RSVP and a topic vote come back to the same page
// at the item's #anchor (not the top), the item there shows the new state, and a return target
// that leads off the site is refused (the item's own page, with its anchor, instead).
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { buildTestApp } from '../helpers/build-test-app.js'
import type { Browser } from '../helpers/browser.js'
import { createCommunity, person } from '../helpers/communities.js'
import { propose, setPhase } from '../helpers/events.js'
import { createMeetup } from '../helpers/meetups.js'
import { campWithRooms, gridIds, place } from '../helpers/schedule.js'

const OFFSITE = ['https://evil.example/x', '//evil.example/x', '/.//evil.example', '/x/../..//evil.example', 'javascript:alert(1)']

/** The value of one field of the first form posting to `action`, as the page gave it (undefined if it has none). */
function formField(html: string, action: string, name: string): string | undefined {
  const form = new RegExp(`<form[^>]*action="${action}"[^>]*>([\\s\\S]*?)</form>`).exec(html)
  assert.ok(form, `a form posting to ${action}`)
  return new RegExp(`name="${name}" value="([^"]*)"`).exec(form[1]!)?.[1]?.replace(/&amp;/g, '&')
}

/** The HTML of the element with this id (up to its closing tag of the same name). */
function element(html: string, id: string): string {
  const open = new RegExp(`<(\\w+)[^>]* id="${id}"[^>]*>`).exec(html)
  assert.ok(open, `an element with id ${id}`)
  const close = html.indexOf(`</${open[1]}>`, open.index)
  return html.slice(open.index, close)
}

/** Posts the form as the page has it (its `next` too), then follows the redirect as a browser does. */
async function tap(who: Browser, pageUrl: string, action: string, fields: Record<string, string>): Promise<{ location: string; html: string }> {
  const page = await who.get(pageUrl)
  const next = formField(page.html, action, 'next')
  const posted = await who.post(action, next === undefined ? fields : { ...fields, next })
  assert.equal(posted.status, 303, `${action}: ${posted.html.slice(0, 200)}`)
  const location = posted.location!
  return { location, html: (await who.get(location.replace(/#.*$/, ''))).html }
}

describe('taps without JavaScript come back to the item', () => {
  test('a proposal vote: the list (with its filters) at #proposal-N, the proposal page at #interest; off-site targets refused', async (t) => {
    const app = await buildTestApp(t)
    const { org, slug } = await campWithRooms(app)
    const first = await propose(org, slug, 'Open data in councils')
    const second = await propose(org, slug, 'Plain English')
    const ann = await person(app, 'Ann Attendee')

    const list = `/events/${slug}/proposals?sort=newest`
    const voted = await tap(ann, list, `/events/${slug}/proposals/${first}/vote`, { want: '1' })
    assert.equal(voted.location, `${list}#proposal-${first}`)
    const item = element(voted.html, `proposal-${first}`)
    assert.match(item, /1 would go/)
    assert.match(item, /aria-pressed="true"/)
    assert.match(element(voted.html, `proposal-${second}`), /aria-pressed="false"/)
    assert.match(voted.html, /data-in-place="proposal-\d+"/)

    const page = `/events/${slug}/proposals/${second}`
    const fromPage = await tap(ann, page, `${page}/vote`, { want: '1' })
    assert.equal(fromPage.location, `${page}#interest`)
    assert.match(element(fromPage.html, 'interest'), /aria-pressed="true"/)

    for (const next of OFFSITE) {
      await ann.get(page)
      const posted = await ann.post(`${page}/vote`, { want: '0', next })
      assert.equal(posted.status, 303)
      assert.equal(posted.location, `${page}#interest`, `vote with next=${next}`)
    }
  })

  test('a star: the grid at the copy that was pressed (#session-N or #slot-session-N), the proposal page at #star; off-site targets refused', async (t) => {
    const app = await buildTestApp(t)
    const { org, slug } = await campWithRooms(app)
    const talk = await propose(org, slug, 'Alt text that helps')
    await org.get(`/events/${slug}/manage`)
    assert.equal((await org.post(`/events/${slug}/proposals/decide`, { action: 'accepted', ids: [String(talk)] })).status, 303)
    const { rooms, sessionSlots } = await gridIds(app, slug)
    assert.equal((await place(org, slug, talk, sessionSlots[0]!, rooms.Hall!)).status, 303)
    await setPhase(org, slug, 'pitching', 'published')
    const ann = await person(app, 'Ann Attendee')

    const grid = `/events/${slug}/schedule`
    const gridHtml = (await ann.get(grid)).html
    // Both copies of the session (table and phone list) carry their own anchor and name each other.
    assert.match(element(gridHtml, `session-${talk}`), new RegExp(`data-in-place="session-${talk} slot-session-${talk}"`))
    assert.match(element(gridHtml, `slot-session-${talk}`), new RegExp(`data-in-place="slot-session-${talk} session-${talk}"`))
    assert.match(element(gridHtml, `session-${talk}`), new RegExp(`name="next" value="${grid}#session-${talk}"`))
    assert.match(element(gridHtml, `slot-session-${talk}`), new RegExp(`name="next" value="${grid}#slot-session-${talk}"`))

    const starred = await tap(ann, grid, `/events/${slug}/proposals/${talk}/star`, { starred: '1' })
    assert.equal(starred.location, `${grid}#session-${talk}`)
    assert.match(element(starred.html, `session-${talk}`), /aria-pressed="true"/)
    assert.match(element(starred.html, `slot-session-${talk}`), /aria-pressed="true"/)

    const page = `/events/${slug}/proposals/${talk}`
    const unstarred = await tap(ann, page, `${page}/star`, { starred: '0' })
    assert.equal(unstarred.location, `${page}#star`)
    assert.match(element(unstarred.html, 'star'), /aria-pressed="false"/)

    for (const next of OFFSITE) {
      await ann.get(page)
      const posted = await ann.post(`${page}/star`, { starred: '1', next })
      assert.equal(posted.status, 303)
      assert.equal(posted.location, `${page}#star`, `star with next=${next}`)
    }
  })

  test('an RSVP and hiding a name come back to #rsvp; a next field is not read at all', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Hana Host')
    assert.equal((await createMeetup(host, { capacity: '1' })).status, 303)
    const ann = await person(app, 'Ann Attendee')
    const page = '/meetups/lunch-on-saturday'

    const going = await tap(ann, page, `${page}/rsvp`, { going: 'yes', partySize: '1' })
    assert.equal(going.location, `${page}#rsvp`)
    assert.match(element(going.html, 'rsvp'), /You are going/)
    assert.match(element(going.html, 'seats'), /No seats left/)
    assert.match(element(going.html, 'who-is-going'), /Ann Attendee/)
    assert.match(going.html, /data-in-place="rsvp seats who-is-going"/)

    const hidden = await tap(ann, page, `${page}/hide-name`, { hide: '1' })
    assert.equal(hidden.location, `${page}#rsvp`)

    for (const next of OFFSITE) {
      await ann.get(page)
      const posted = await ann.post(`${page}/rsvp`, { going: 'yes', partySize: '1', next })
      assert.equal(posted.status, 303)
      assert.equal(posted.location, `${page}#rsvp`, `RSVP with next=${next}`)
    }
  })

  test('a topic vote: the community page and the topics page at #topic-N; off-site targets refused', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Olu Host')
    await createCommunity(host)
    const ann = await person(app, 'Ann Member')
    await ann.submit('/communities/lgovsm', '/communities/lgovsm/join', {})
    for (const title of ['Crisis comms', 'Using Bluesky']) {
      assert.equal((await ann.submit('/communities/lgovsm/topics/new', '/communities/lgovsm/topics', { title, description: '' })).status, 303)
    }
    const ids = Object.fromEntries((await app.db.selectFrom('topics').select(['id', 'title']).execute()).map((r) => [r.title, r.id]))
    const bluesky = ids['Using Bluesky']!

    const fromTopics = await tap(ann, '/communities/lgovsm/topics', `/communities/lgovsm/topics/${bluesky}/vote`, { want: '1' })
    assert.equal(fromTopics.location, `/communities/lgovsm/topics#topic-${bluesky}`)
    assert.match(element(fromTopics.html, `topic-${bluesky}`), /1 vote/)
    assert.match(element(fromTopics.html, `topic-${bluesky}`), /aria-pressed="true"/)

    const fromCommunity = await tap(ann, '/communities/lgovsm', `/communities/lgovsm/topics/${bluesky}/vote`, { want: '0' })
    assert.equal(fromCommunity.location, `/communities/lgovsm#topic-${bluesky}`)
    assert.match(element(fromCommunity.html, `topic-${bluesky}`), /aria-pressed="false"/)

    for (const next of OFFSITE) {
      await ann.get('/communities/lgovsm/topics')
      const posted = await ann.post(`/communities/lgovsm/topics/${bluesky}/vote`, { want: '1', next })
      assert.equal(posted.status, 303)
      assert.equal(posted.location, `/communities/lgovsm/topics#topic-${bluesky}`, `topic vote with next=${next}`)
    }
  })
})
