// The personal home (/me, "My things"): a person's next chat, communities, sessions and stars,
// meetups and proposals, each in date order, nobody else's, in a fixed number of queries;
// and "/", kept for signed-out visitors only, with what is coming up anywhere on the site.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { KyselyPlugin } from 'kysely'
import { loadHomeRows } from '../../src/features/home/home.queries.js'
import { addDays, isoWeekday, utcToZoned } from '../../src/lib/zoned-time.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { text, type Browser } from '../helpers/browser.js'
import { createCommunity, person } from '../helpers/communities.js'
import { createEvent, organiser, propose, setPhase } from '../helpers/events.js'
import { createMeetup, daysFromNow, rsvp } from '../helpers/meetups.js'
import { campWithRooms, gridIds, place } from '../helpers/schedule.js'

/** The page's text without its tags, spaces folded. */
const plain = (html: string) => text(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ')

/** The text of one section of the home, by its heading's id. */
function section(html: string, id: string): string {
  const match = new RegExp(`<section aria-labelledby="${id}"[\\s\\S]*?</section>`).exec(html)
  assert.ok(match, `the home has a section ${id}`)
  return plain(match[0])
}

/** Asserts the strings appear in this order, each after the one before. */
function inOrder(haystack: string, needles: string[], message: string): void {
  let from = 0
  for (const needle of needles) {
    const at = haystack.indexOf(needle, from)
    assert.ok(at >= 0, `${message}: “${needle}” after “${haystack.slice(0, from)}” in ${haystack}`)
    from = at + needle.length
  }
}

async function userId(app: Awaited<ReturnType<typeof buildTestApp>>, name: string): Promise<number> {
  return (await app.db.selectFrom('users').select('id').where('display_name', '=', name).executeTakeFirstOrThrow()).id
}

async function join(who: Browser, slug: string): Promise<void> {
  const page = await who.submit(`/communities/${slug}`, `/communities/${slug}/join`, {})
  assert.equal(page.status, 303)
}

describe('the personal home', () => {
  test('my chats, communities, sessions and stars, meetups and proposals, each in date order; nobody else’s', async (t) => {
    const app = await buildTestApp(t)
    const { org, slug } = await campWithRooms(app, [{ name: 'Hall' }, { name: 'Snug' }])
    const ann = await person(app, 'Ann')
    const bryn = await person(app, 'Bryn')
    const cat = await person(app, 'Cat')

    // Two communities with weekly chats: "Soon chat" tomorrow (London), "Later chat" in three days.
    const today = utcToZoned(new Date(), 'Europe/London').date
    const soonDay = isoWeekday(addDays(today, 1))
    const laterDay = isoWeekday(addDays(today, 3))
    assert.equal((await createCommunity(org, { name: 'Later chat', hashtag: '#laterchat', weekday: String(laterDay) })).status, 303)
    assert.equal((await createCommunity(org, { name: 'Soon chat', hashtag: '#soonchat', weekday: String(soonDay) })).status, 303)
    assert.equal((await createCommunity(bryn, { name: 'Bryn only', hashtag: '#brynonly', weekday: String(soonDay) })).status, 303)
    await join(ann, 'laterchat')
    await join(ann, 'soonchat')
    // The hosts give tomorrow's chat a topic.
    await ann.submit('/communities/soonchat/topics/new', '/communities/soonchat/topics', { title: 'Plain words in posts', description: '' })
    const topic = await app.db.selectFrom('topics').select('id').where('title', '=', 'Plain words in posts').executeTakeFirstOrThrow()
    assert.equal((await org.submit('/communities/soonchat/chats', `/communities/soonchat/chats/${addDays(today, 1)}/topic`, { topicId: String(topic.id) })).status, 303)

    // Proposals: a later event first (created earliest), then two at the January camp.
    assert.equal((await createEvent(org, { name: 'Spring Camp', hashtag: '#spring27', firstDay: '2027-03-06', lastDay: '2027-03-06' })).status, 303)
    await setPhase(org, 'spring27', 'proposals')
    await propose(ann, 'spring27', 'Spring session')
    const hosted = await propose(ann, slug, 'Plain English')
    const declined = await propose(ann, slug, 'Robots at the front desk')
    const starred = await propose(bryn, slug, 'Open data people use')
    const brynsOwn = await propose(bryn, slug, 'Chatbots: help or harm')
    await org.get(`/events/${slug}/proposals/${declined}`)
    assert.equal((await org.post(`/events/${slug}/proposals/${declined}/state`, { state: 'declined' })).status, 303)
    // Ann stars Bryn's session, to be on the grid before her own; Bryn stars his other one.
    await ann.get(`/events/${slug}/proposals/${starred}`)
    assert.equal((await ann.post(`/events/${slug}/proposals/${starred}/star`, { starred: '1' })).status, 303)
    await bryn.get(`/events/${slug}/proposals/${brynsOwn}`)
    assert.equal((await bryn.post(`/events/${slug}/proposals/${brynsOwn}/star`, { starred: '1' })).status, 303)
    const { rooms, sessionSlots } = await gridIds(app, slug)
    await place(org, slug, hosted, sessionSlots[1]!, rooms.Snug!)
    await place(org, slug, starred, sessionSlots[0]!, rooms.Hall!)
    await place(org, slug, brynsOwn, sessionSlots[0]!, rooms.Snug!)
    await setPhase(org, slug, 'pitching', 'published')

    // Meetups: a supper in three days, full, where Ann waits second; a lunch in ten days she goes to.
    await createMeetup(org, { title: 'Later lunch', slug: 'later-lunch', startsAt: daysFromNow(10, '12:30'), endsAt: daysFromNow(10, '13:30'), capacity: '5' })
    await createMeetup(org, { title: 'Sooner supper', slug: 'sooner-supper', startsAt: daysFromNow(3, '18:30'), endsAt: daysFromNow(3, '20:00'), capacity: '1' })
    await createMeetup(bryn, { title: 'Bryn breakfast', slug: 'bryn-breakfast', startsAt: daysFromNow(2, '08:30'), endsAt: daysFromNow(2, '09:30'), capacity: '5' })
    await rsvp(ann, 'later-lunch')
    await rsvp(bryn, 'sooner-supper')
    await rsvp(cat, 'sooner-supper')
    await rsvp(ann, 'sooner-supper')
    await rsvp(bryn, 'bryn-breakfast')

    const home = await ann.get('/me')
    assert.equal(home.status, 200)
    const html = home.html

    const next = section(html, 'next-chat')
    assert.match(next, /Soon chat/)
    assert.match(next, /Topic: Plain words in posts/)
    assert.doesNotMatch(next, /Later chat/)

    const communities = section(html, 'communities')
    inOrder(communities, ['Soon chat', 'Later chat'], 'communities by their next chat')
    assert.match(communities, /Next chat: /)
    assert.doesNotMatch(communities, /Bryn only/)

    const agenda = section(html, 'agenda')
    inOrder(agenda, ['Open data people use', 'Starred', 'Plain English', 'You run this'], 'sessions by time')
    assert.match(agenda, /Hall/)
    assert.match(agenda, /Snug/)
    assert.match(agenda, /\d\d:\d\d–\d\d:\d\d/, 'with their times')
    assert.doesNotMatch(agenda, /Chatbots/, 'Bryn’s star is not on Ann’s home')
    assert.doesNotMatch(agenda, /Robots/, 'a declined proposal is not on the agenda')

    const meetups = section(html, 'meetups')
    inOrder(meetups, ['Sooner supper', 'On the waitlist', 'number 2 in the queue', 'Later lunch', 'Going'], 'meetups by date')
    assert.doesNotMatch(meetups, /Bryn breakfast/)

    const proposals = section(html, 'proposals')
    inOrder(proposals, ['Plain English', 'Scheduled', 'Robots at the front desk', 'Declined', 'Spring session', 'Proposed'], 'proposals by event date')
    assert.doesNotMatch(proposals, /Open data|Chatbots/, 'Bryn’s proposals are his')

    assert.match(section(html, 'invitations'), /No invitations waiting/)
    for (const link of ['/me/profile', '/me/agenda', '/me/calendar', '/me/email', '/me/account', '/me/data']) assert.match(html, new RegExp(`href="${link}"`), `still links to ${link}`)

    // Bryn's home has his own things and none of Ann's.
    const his = await bryn.get('/me')
    assert.match(section(his.html, 'agenda'), /Chatbots: help or harm/)
    assert.doesNotMatch(section(his.html, 'proposals'), /Plain English|Robots|Spring session/)
    inOrder(section(his.html, 'meetups'), ['Bryn breakfast', 'Sooner supper'], 'his meetups by date')
    assert.doesNotMatch(section(his.html, 'meetups'), /Later lunch/)

    // The same seven queries for a person with all this as for one with nothing.
    let queries = 0
    const counter: KyselyPlugin = { transformQuery: (args) => args.node, transformResult: async (args) => ((queries += 1), args.result) }
    const counted = app.db.withPlugin(counter)
    await loadHomeRows(counted, await userId(app, 'Ann'), new Date())
    const full = queries
    queries = 0
    await loadHomeRows(counted, await userId(app, 'Cat'), new Date())
    assert.equal(full, 7)
    assert.equal(queries, full, 'no query per row')
  })

  test('a newcomer’s home says what to do in every section', async (t) => {
    const app = await buildTestApp(t)
    const ann = await person(app, 'Ann')
    const html = (await ann.get('/me')).html
    assert.match(section(html, 'next-chat'), /Join a community to see its next chat here\. Find a community/)
    assert.match(section(html, 'agenda'), /Nothing on your agenda yet\..*Find an event/)
    assert.match(section(html, 'meetups'), /You are not going to any meetups yet\. Find a meetup/)
    assert.match(section(html, 'proposals'), /no proposals for events still to come.*Find an event/)
    assert.match(section(html, 'communities'), /You have not joined a community yet\..*Find a community/)
    assert.match(section(html, 'invitations'), /No invitations waiting/)
    // The nav's "My things" leads here.
    assert.match(html, /<a href="\/me" aria-current="page">My things<\/a>/)
    const welsh = await ann.get('/me?lang=cy')
    assert.equal(welsh.status, 200)
  })

  test('the signed-out "/" is the kept page it was; a signed-in "/" is never that page', async (t) => {
    const app = await buildTestApp(t)
    const first = await app.inject('/')
    const second = await app.inject('/')
    assert.equal(first.statusCode, 200)
    assert.match(plain(second.body), /Create an account/)
    assert.doesNotMatch(second.body, /href="\/me"/)
    assert.ok(app.keptPages.hits >= 1, 'the second signed-out visit is served the kept page')

    const ann = await person(app, 'Ann')
    const hits = app.keptPages.hits
    const signedIn = await ann.get('/')
    assert.equal(signedIn.status, 200)
    assert.match(signedIn.html, /<a class="button button--secondary" href="\/me">Go to My things<\/a>/)
    assert.doesNotMatch(signedIn.html, /href="\/sign-up"/)
    assert.equal(app.keptPages.hits, hits, 'a signed-in request never takes the kept page')
    assert.doesNotMatch((await app.inject('/')).body, /Go to My things/, 'nor leaves its own behind')
  })
})

describe('"/": coming up', () => {
  test('the next events and meetups anyone may see, soonest first, three of each; never drafts, cancelled, started or ended ones', async (t) => {
    const app = await buildTestApp(t)
    const admin = await person(app, 'Site Admin')
    const org = await organiser(app, admin, 'Olu Organiser')
    assert.match(section((await app.inject('/')).body, 'coming-up'), /Nothing is planned yet/)

    // Events: one ended yesterday where it happens, one a draft, four to come.
    const today = utcToZoned(new Date(), 'Europe/London').date
    for (const [name, hashtag, inDays] of [
      ['Ended Camp', '#endedcamp', 50],
      ['Draft Camp', '#draftcamp', 30],
      ['Spring Camp', '#springcamp', 40],
      ['Winter Camp', '#wintercamp', 20],
      ['Summer <Camp>', '#summercamp', 60],
      ['Autumn Camp', '#autumncamp', 80],
    ] as const) {
      const firstDay = addDays(today, inDays)
      assert.equal((await createEvent(org, { name, hashtag, firstDay, lastDay: firstDay })).status, 303)
      if (name !== 'Draft Camp') await setPhase(org, hashtag.slice(1), 'proposals')
    }
    const yesterday = addDays(utcToZoned(new Date(), 'Pacific/Auckland').date, -1)
    await app.db.updateTable('events').set({ first_day: yesterday, last_day: yesterday, time_zone: 'Pacific/Auckland' }).where('slug', '=', 'endedcamp').execute()

    // Meetups: five to come, one of them cancelled, and one under way.
    const host = await person(app, 'Hana Host')
    for (const [title, days] of [
      ['Lunch in nine days', 9],
      ['Lunch in two days', 2],
      ['Soup & <b>bread</b>', 5],
      ['Lunch in twelve days', 12],
      ['Cancelled lunch', 1],
    ] as const) {
      assert.equal((await createMeetup(host, { title, startsAt: daysFromNow(days, '12:30'), endsAt: daysFromNow(days, '13:30') })).status, 303)
    }
    assert.equal((await host.submit('/meetups/cancelled-lunch', '/meetups/cancelled-lunch/cancel', {})).status, 303)
    const started = new Date(Date.now() - 3_600_000).toISOString()
    await app.db.updateTable('meetups').set({ starts_at: started, ends_at: new Date(Date.now() + 3_600_000).toISOString() }).where('slug', '=', 'lunch-in-twelve-days').execute()

    const home = await app.inject('/')
    assert.equal(home.statusCode, 200)
    const comingUp = section(home.body, 'coming-up')
    inOrder(comingUp, ['Unconferences and events', 'Winter Camp', 'Spring Camp', 'Summer <Camp>', 'Meetups', 'Lunch in two days', 'Soup & <b>bread</b>', 'Lunch in nine days', 'All events', 'All meetups'], 'soonest first')
    for (const gone of ['Ended Camp', 'Draft Camp', 'Autumn Camp', 'Cancelled lunch', 'Lunch in twelve days', 'Nothing is planned']) assert.ok(!comingUp.includes(gone), `not ${gone}: ${comingUp}`)
    // Escaped, never markup: the names are the organisers' own text.
    assert.match(home.body, /Summer &lt;Camp&gt;/)
    assert.match(home.body, /Soup &amp; &lt;b&gt;bread&lt;\/b&gt;/)
    assert.match(home.body, /<a href="\/meetups\/lunch-in-two-days">Lunch in two days<\/a>/)
    assert.match(comingUp, /3 seats left/)

    // In Welsh, the same lists with the words around them in Welsh.
    const welsh = section((await app.inject({ url: '/', headers: { 'accept-language': 'cy' } })).body, 'coming-up')
    inOrder(welsh, ['I ddod', 'Anghynadleddau a digwyddiadau', 'Winter Camp', 'Cyfarfodydd', 'Lunch in two days', 'Pob digwyddiad', 'Pob cyfarfod'], 'in Welsh')
  })
})
