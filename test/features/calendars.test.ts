// Calendars as calendar apps see them: every kind of ICS the app makes parses with ical.js
// (strict), times are right on both sides of the clock changes, UIDs survive restarts, edits
// bump SEQUENCE, cancellations stay, the personal feed's secret can be replaced, and
// conditional GETs answer 304 exactly when nothing changed.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import ICAL from 'ical.js'
import { buildApp } from '../../src/app.js'
import { calendarText } from '../../src/lib/ics.js'
import { redactUrlSecrets } from '../../src/lib/redact.js'
import { buildTestApp, testConfig } from '../helpers/build-test-app.js'
import type { Browser, Page } from '../helpers/browser.js'
import { createCommunity, person } from '../helpers/communities.js'
import { createEvent, organiser, propose, setPhase } from '../helpers/events.js'
import { createMeetup, rsvp } from '../helpers/meetups.js'
import { addRoom, gridIds, place } from '../helpers/schedule.js'

const SLUG = 'ukgc27'

/** Parses with ical.js in strict mode and checks the rules every feed must keep. */
function parse(page: Page): ICAL.Component[] {
  assert.equal(page.status, 200, page.html.slice(0, 200))
  assert.equal(page.response.headers['content-type'], 'text/calendar; charset=utf-8')
  const body = page.html
  assert.equal(ICAL.design.strict, true)
  assert.ok(body.endsWith('\r\n'))
  assert.doesNotMatch(body.replace(/\r\n/g, ''), /[\r\n]/, 'CRLF only')
  for (const line of body.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, `folded at 75 octets: ${line}`)
  assert.equal(body.match(/BEGIN:VCALENDAR/g)?.length, 1, 'one VCALENDAR')
  assert.match(body, /\r\nMETHOD:PUBLISH\r\n/)
  assert.match(body, /\r\nNAME:/)
  assert.match(body, /\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n/)
  assert.doesNotMatch(body, /ATTENDEE|ORGANIZER|mailto:/i, 'no attendees, no organiser, no email')
  const calendar = new ICAL.Component(ICAL.parse(body))
  const events = calendar.getAllSubcomponents('vevent')
  for (const event of events) {
    for (const name of ['dtstart', 'dtend']) assert.equal(String(event.getFirstProperty(name)!.getFirstValue()).endsWith('Z'), true, `${name} in UTC, never floating`)
    assert.ok(event.getFirstPropertyValue('dtstamp'))
    assert.ok(event.getFirstPropertyValue('last-modified'))
  }
  return events
}

const field = (event: ICAL.Component, name: string) => String(event.getFirstPropertyValue(name))
/** Makes the person's private feed from /me/calendar, as they would, and returns its path. */
async function personalFeedUrl(browser: Browser): Promise<string> {
  await browser.get('/me/calendar')
  await browser.post('/me/calendar', {})
  return /value="http:\/\/localhost:3000(\/calendar\/[A-Za-z0-9_-]+\.ics)"/.exec((await browser.get('/me/calendar')).html)![1]!
}

/** Waits past the current second: DTSTAMP and LAST-MODIFIED count whole seconds. */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 20))
const startOf = (event: ICAL.Component) => (event.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString()

/** A published event over the March clock change, with rooms and sessions placed through the forms. */
async function camp(app: FastifyInstance, org: Browser, days: [string, string]) {
  await createEvent(org, { firstDay: days[0], lastDay: days[1] })
  await setPhase(org, SLUG, 'proposals')
  await addRoom(org, SLUG, { name: 'Hall', capacity: '50' })
  for (const day of days) await org.submit(`/events/${SLUG}/slots`, `/events/${SLUG}/slots`, { day, startTime: '10:00', endTime: '10:45', kind: 'session', label: '' })
  const first = await propose(org, SLUG, 'Before the change; with, commas')
  const second = await propose(org, SLUG, 'After the change')
  const { rooms, sessionSlots } = await gridIds(app, SLUG)
  await place(org, SLUG, first, sessionSlots[0]!, rooms.Hall!)
  await place(org, SLUG, second, sessionSlots[1]!, rooms.Hall!)
  await setPhase(org, SLUG, 'pitching', 'published')
  return { first, second, rooms, sessionSlots }
}

describe('calendars', () => {
  test('a lone CR or an empty title cannot break a calendar', () => {
    const text = calendarText({ name: '\u0007' }, [
      { uid: 'meetup-1@localhost', title: '\u0007', location: 'Pub\rX-INJECT:1', description: 'one\r\ntwo', start: new Date('2027-01-01T12:00:00Z'), end: new Date('2027-01-01T13:00:00Z'), status: 'CONFIRMED', sequence: 0, lastModified: '2026-11-01T00:00:00.000Z' },
    ])
    assert.doesNotMatch(text.replace(/\r\n/g, ''), /\r/, 'no bare CR')
    assert.doesNotMatch(text, /\r\nX-INJECT/)
    assert.match(text, /\r\nSUMMARY:–\r\n/)
    assert.match(text, /\r\nNAME:–\r\n/)
    assert.match(text, /LOCATION:Pub\\nX-INJECT:1/)
    const parsed = new ICAL.Component(ICAL.parse(text))
    assert.equal(parsed.getFirstSubcomponent('vevent')!.getFirstPropertyValue('location'), 'Pub\nX-INJECT:1')
  })

  test('a session on each side of the March and October clock changes has the right UTC time', async (t) => {
    for (const [days, expected] of [
      [['2027-03-27', '2027-03-28'], ['2027-03-27T10:00:00.000Z', '2027-03-28T09:00:00.000Z']],
      [['2027-10-30', '2027-10-31'], ['2027-10-30T09:00:00.000Z', '2027-10-31T10:00:00.000Z']],
    ] as const) {
      const app = await buildTestApp(t)
      const org = await organiser(app, await person(app, 'Admin'), 'Olu Organiser')
      await camp(app, org, [...days])
      const events = parse(await org.get(`/events/${SLUG}/schedule.ics`))
      assert.deepEqual(events.map(startOf), [...expected])
      assert.equal(field(events[0]!, 'summary'), 'Before the change; with, commas')
      assert.match(field(events[0]!, 'uid'), /^session-\d+@localhost$/)
    }
  })

  test('UIDs and bodies are identical across two app restarts; edits bump SEQUENCE; a cancelled session stays, cancelled', async (t) => {
    const { config, drop } = await testConfig()
    let app = await buildApp(config, { logger: false })
    const org = await organiser(app, await person(app, 'Admin'), 'Olu Organiser')
    const { first, rooms, sessionSlots } = await camp(app, org, ['2027-01-16', '2027-01-17'])
    const before = (await app.inject({ url: `/events/${SLUG}/schedule.ics` })).body
    await app.close()
    app = await buildApp({ ...config, migrateOnStart: false }, { logger: false })
    t.after(async () => {
      await app.close()
      await drop()
    })
    const after = (await app.inject({ url: `/events/${SLUG}/schedule.ics` })).body
    assert.equal(after, before, 'the same bytes after a restart')
    assert.deepEqual(after.match(/UID:.*/g), before.match(/UID:.*/g))

    // Through a browser on the restarted app: move the first session to the other day's Snug.
    const { Browser } = await import('../helpers/browser.js')
    void Browser
    const org2 = await organiser(app, await person(app, 'Admin Two'), 'Second Organiser')
    const eventId = (await app.db.selectFrom('events').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()).id
    const userId = (await app.db.selectFrom('users').select('id').where('display_name', '=', 'Second Organiser').executeTakeFirstOrThrow()).id
    await app.db.insertInto('event_organisers').values({ event_id: eventId, user_id: userId, added_at: new Date().toISOString() }).execute()
    const sequenceOf = async () => Number(field(parse(await org2.get(`/events/${SLUG}/schedule.ics`)).find((e) => field(e, 'uid').startsWith(`session-${first}@`))!, 'sequence'))
    const start = await sequenceOf()
    await addRoom(org2, SLUG, { name: 'Snug', capacity: '10' })
    const { rooms: all } = await gridIds(app, SLUG)
    assert.equal((await place(org2, SLUG, first, sessionSlots[0]!, all.Snug!)).status, 303)
    assert.ok((await sequenceOf()) > start, 'a new place: a higher SEQUENCE')
    const moved = await sequenceOf()
    await org2.submit(`/events/${SLUG}/slots/${sessionSlots[0]}/edit`, `/events/${SLUG}/slots/${sessionSlots[0]}`, { day: '2027-01-16', startTime: '10:15', endTime: '11:00', kind: 'session', label: '' })
    assert.ok((await sequenceOf()) > moved, 'a new time: a higher SEQUENCE')
    const retimedOnce = await sequenceOf()
    await org2.submit(`/events/${SLUG}/rooms/${all.Snug}/edit`, `/events/${SLUG}/rooms/${all.Snug}`, { name: 'The Snug', capacity: '10', location: '', accessibilityNotes: '' })
    const retimed = await sequenceOf()
    assert.ok(retimed > retimedOnce, 'a renamed room: a new place, a higher SEQUENCE')
    await org2.get(`/events/${SLUG}/schedule/edit`)
    await org2.post(`/events/${SLUG}/schedule/unassign`, { proposal: String(first) })
    const cancelled = parse(await org2.get(`/events/${SLUG}/schedule.ics`)).find((e) => field(e, 'uid').startsWith(`session-${first}@`))!
    assert.equal(field(cancelled, 'status'), 'CANCELLED', 'still in the feed, cancelled')
    assert.ok(Number(field(cancelled, 'sequence')) > retimed)
    void rooms
  })

  test('conditional GETs: 304 exactly when nothing changed; HEAD works', async (t) => {
    const app = await buildTestApp(t)
    const org = await organiser(app, await person(app, 'Admin'), 'Olu Organiser')
    const { first } = await camp(app, org, ['2027-01-16', '2027-01-17'])
    const url = `/events/${SLUG}/schedule.ics`
    const full = await app.inject({ url })
    const etag = String(full.headers.etag)
    const lastModified = String(full.headers['last-modified'])
    assert.match(etag, /^"[A-Za-z0-9_-]{32}"$/, 'a strong ETag')
    assert.equal((await app.inject({ url, headers: { 'if-none-match': etag } })).statusCode, 304)
    assert.equal((await app.inject({ url, headers: { 'if-none-match': '"something-else"' } })).statusCode, 200)
    assert.equal((await app.inject({ url, headers: { 'if-modified-since': lastModified } })).statusCode, 304)
    assert.equal((await app.inject({ url, headers: { 'if-modified-since': new Date(Date.parse(lastModified) - 1000).toUTCString() } })).statusCode, 200)
    assert.equal((await app.inject({ url, headers: { 'if-modified-since': 'yesterday-ish' } })).statusCode, 200)
    const head = await app.inject({ method: 'HEAD', url })
    assert.equal(head.statusCode, 200)
    assert.equal(head.body, '')
    assert.equal(head.headers.etag, etag)

    // A change: the old validators no longer match.
    await new Promise((r) => setTimeout(r, 1100)) // Last-Modified has whole seconds
    await org.get(`/events/${SLUG}/schedule/edit`)
    await org.post(`/events/${SLUG}/schedule/unassign`, { proposal: String(first) })
    const changed = await app.inject({ url, headers: { 'if-none-match': etag } })
    assert.equal(changed.statusCode, 200)
    assert.notEqual(changed.headers.etag, etag)
    assert.equal((await app.inject({ url, headers: { 'if-modified-since': lastModified } })).statusCode, 200)
    assert.ok(Date.parse(String(changed.headers['last-modified'])) > Date.parse(lastModified))

    // A change within the same second as the last fetch still makes If-Modified-Since miss.
    const seen = await app.inject({ url })
    await org.get(`/events/${SLUG}/schedule/edit`)
    const { rooms, sessionSlots } = await gridIds(app, SLUG)
    await place(org, SLUG, first, sessionSlots[0]!, rooms.Hall!)
    assert.equal((await app.inject({ url, headers: { 'if-modified-since': String(seen.headers['last-modified']) } })).statusCode, 200)
    assert.equal((await app.inject({ url, headers: { 'if-modified-since': 'Fri, 01 Jan 2999 00:00:00 GMT' } })).statusCode, 200, 'a date in the future is no validator')
  })

  test('downloads: one session, one meetup, one chat, each an attachment that parses', async (t) => {
    const app = await buildTestApp(t)
    const org = await organiser(app, await person(app, 'Admin'), 'Olu Organiser')
    const { first } = await camp(app, org, ['2027-01-16', '2027-01-17'])
    const session = await org.get(`/events/${SLUG}/proposals/${first}/calendar.ics`)
    assert.match(String(session.response.headers['content-disposition']), /^attachment; filename="ukgc27-\d+\.ics"$/)
    assert.equal(parse(session).length, 1)
    assert.match(session.html, /LOCATION:Hall\\, The Assembly Hall \(demo\)/)

    await createCommunity(org)
    const chats = await org.get('/communities/lgovsm/chats')
    const date = /\/communities\/lgovsm\/chats\/(\d{4}-\d{2}-\d{2})\/calendar\.ics/.exec(chats.html)![1]!
    const chat = parse(await org.get(`/communities/lgovsm/chats/${date}/calendar.ics`))
    assert.equal(chat.length, 1)
    assert.equal(field(chat[0]!, 'summary'), '#lgovsm chat')
    assert.equal((await org.get('/communities/lgovsm/chats/2026-02-30/calendar.ics')).status, 404)

    assert.equal((await createMeetup(org, { title: 'Lunch; with “quotes”, commas' })).status, 303)
    const meetup = parse(await org.get('/meetups/lunch-with-quotes-commas/calendar.ics'))
    assert.equal(field(meetup[0]!, 'summary'), 'Lunch; with “quotes”, commas')
  })

  test('a weekly chat stays at 20:00 London on both sides of the October clock change', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Host')
    await createCommunity(host, { startsOn: '2026-10-14' })
    const events = parse(await host.get('/communities/lgovsm/calendar.ics'))
    const wednesdays = events.map(startOf)
    // Oct 21 and 28 2026: before and after the change (25 October).
    if (wednesdays.includes('2026-10-21T19:00:00.000Z')) assert.ok(wednesdays.includes('2026-10-28T20:00:00.000Z'))
    for (const start of wednesdays) {
      const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(start))
      assert.equal(local, '20:00', start)
    }
    assert.ok(new Set(events.map((e) => field(e, 'uid'))).size === events.length, 'one UID per chat')
    // A skipped chat stays, cancelled.
    const date = field(events[0]!, 'uid').slice(field(events[0]!, 'uid').lastIndexOf('-') + 1, field(events[0]!, 'uid').indexOf('@'))
    const iso = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6)}`
    await host.get('/communities/lgovsm/chats')
    assert.equal((await host.post(`/communities/lgovsm/chats/${iso}/skip`, {})).status, 303)
    const after = parse(await host.get('/communities/lgovsm/calendar.ics'))
    const skipped = after.find((e) => field(e, 'uid') === field(events[0]!, 'uid'))!
    assert.equal(field(skipped, 'status'), 'CANCELLED')
    assert.ok(Number(field(skipped, 'sequence')) > Number(field(events[0]!, 'sequence')))
  })

  test('the personal feed: starred sessions, meetups (waitlisted ones marked), community chats; a new secret kills the old URL', async (t) => {
    const app = await buildTestApp(t)
    const org = await organiser(app, await person(app, 'Admin'), 'Olu Organiser')
    const { second } = await camp(app, org, ['2027-01-16', '2027-01-17'])
    await createCommunity(org)
    await createMeetup(org, { title: 'Tiny lunch', capacity: '1' })
    const fan = await person(app, 'Fay Fan')
    await fan.get(`/events/${SLUG}/schedule`)
    await fan.post(`/events/${SLUG}/proposals/${second}/star`, { starred: '1' })
    await fan.submit('/communities/lgovsm', '/communities/lgovsm/join', { listed: '1' })
    const earlyBird = await person(app, 'Early Bird')
    await rsvp(earlyBird, 'tiny-lunch')
    await rsvp(fan, 'tiny-lunch')

    assert.match((await fan.get('/me/calendar')).html, /Make my calendar feed/)
    assert.equal((await fan.post('/me/calendar', {})).status, 303)
    const page = await fan.get('/me/calendar')
    const url = /value="http:\/\/localhost:3000(\/calendar\/[A-Za-z0-9_-]+\.ics)"/.exec(page.html)![1]!
    const token = /\/calendar\/([A-Za-z0-9_-]+)\.ics/.exec(url)![1]!
    assert.ok(Buffer.from(token, 'base64url').length >= 16, 'at least 128 random bits')
    assert.match(page.html, /href="webcal:\/\/localhost:3000\/calendar\//)
    assert.match(page.html, /calendar\.google\.com\/calendar\/r\?cid=webcal%3A%2F%2Flocalhost/)

    const anonymous = (await import('../helpers/browser.js')).Browser
    const calendarApp = new anonymous(app, '10.99.0.1')
    const feed = await calendarApp.get(url)
    assert.equal(feed.response.headers['cache-control'], 'private, max-age=300, must-revalidate')
    const events = parse(feed)
    const titles = events.map((e) => field(e, 'summary'))
    assert.ok(titles.includes('After the change'), 'the starred session')
    assert.ok(titles.includes('Waiting list: Tiny lunch'), 'the meetup she waits for, marked')
    assert.equal(field(events.find((e) => field(e, 'summary') === 'Waiting list: Tiny lunch')!, 'status'), 'TENTATIVE')
    assert.ok(titles.some((title) => title.startsWith('#lgovsm chat')), 'her community’s chats')
    assert.ok(!titles.includes('Before the change; with, commas'), 'not sessions she did not star')

    // A seat frees: the waiting-list entry becomes a confirmed one, stamped later. Its SEQUENCE
    // stays the meetup's (an invite must never be ahead of the public feeds): the later
    // DTSTAMP makes it the newer version (RFC 5546 §2.1.5).
    const waiting = events.find((e) => field(e, 'summary') === 'Waiting list: Tiny lunch')!
    await nextSecond() // DTSTAMP counts whole seconds
    await earlyBird.get('/meetups/tiny-lunch')
    await earlyBird.post('/meetups/tiny-lunch/rsvp', { going: 'no' })
    const promoted = parse(await calendarApp.get(url)).find((e) => field(e, 'uid') === field(waiting, 'uid'))!
    assert.equal(field(promoted, 'summary'), 'Tiny lunch')
    assert.equal(field(promoted, 'status'), 'CONFIRMED')
    assert.ok(Number(field(promoted, 'sequence')) >= Number(field(waiting, 'sequence')))
    assert.ok(field(promoted, 'dtstamp') > field(waiting, 'dtstamp'), `DTSTAMP ${field(waiting, 'dtstamp')} → ${field(promoted, 'dtstamp')}`)

    // An event taken back to draft leaves every feed.
    await setPhase(org, SLUG, 'pitching', 'proposals', 'draft')
    assert.ok(!parse(await calendarApp.get(url)).some((e) => field(e, 'summary') === 'After the change'))

    await fan.get('/me/calendar')
    await fan.post('/me/calendar', {})
    assert.equal((await calendarApp.get(url)).status, 404, 'the old address stops working at once')
    const fresh = /value="http:\/\/localhost:3000(\/calendar\/[A-Za-z0-9_-]+\.ics)"/.exec((await fan.get('/me/calendar')).html)![1]!
    assert.notEqual(fresh, url)
    assert.equal((await calendarApp.get(fresh)).status, 200)
    assert.equal((await calendarApp.get('/calendar/not-a-real-token-at-all-aaaaaaaaaaaaaaa.ics')).status, 404)
    assert.equal(redactUrlSecrets(`${fresh}?x=1`), '/calendar/[secret].ics?x=1', 'the secret never reaches the log')
  })
})

describe('calendars keep what people were told', () => {
  test('a meetup I host is in my personal feed though I never replied to it', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Hana Host')
    await createMeetup(host, { title: 'Hosted lunch' })
    const url = await personalFeedUrl(host)
    const hosted = parse(await host.get(url)).find((e) => field(e, 'summary') === 'Hosted lunch')
    assert.ok(hosted, 'the hosted meetup is in the host’s own feed')
    assert.equal(field(hosted, 'status'), 'CONFIRMED')
  })

  test('saying “not going” after a seat keeps the meetup in my feed as CANCELLED, and rejoining confirms it again', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Hana Host')
    await createMeetup(host, { title: 'Lunch for four', capacity: '4' })
    const ann = await person(app, 'Ann')
    await rsvp(ann, 'lunch-for-four')
    const url = await personalFeedUrl(ann)
    const going = parse(await ann.get(url)).find((e) => field(e, 'summary') === 'Lunch for four')!
    assert.equal(field(going, 'status'), 'CONFIRMED')
    await nextSecond()
    await ann.submit('/meetups/lunch-for-four', '/meetups/lunch-for-four/rsvp', { going: 'no' })
    const withdrawn = parse(await ann.get(url)).find((e) => field(e, 'uid') === field(going, 'uid'))
    assert.ok(withdrawn, 'still in the feed, so her calendar hears of it')
    assert.equal(field(withdrawn, 'status'), 'CANCELLED')
    assert.ok(field(withdrawn, 'dtstamp') > field(going, 'dtstamp'), 'a later version of the same event')
    await rsvp(ann, 'lunch-for-four')
    assert.equal(field(parse(await ann.get(url)).find((e) => field(e, 'uid') === field(going, 'uid'))!, 'status'), 'CONFIRMED')
    // Someone who never had a seat and says no has nothing in their feed.
    const bryn = await person(app, 'Bryn')
    await bryn.submit('/meetups/lunch-for-four', '/meetups/lunch-for-four/rsvp', { going: 'no' })
    const brynUrl = await personalFeedUrl(bryn)
    assert.ok(!parse(await bryn.get(brynUrl)).some((e) => field(e, 'summary') === 'Lunch for four'))
  })

  test('another person’s reply changes neither the meetup’s public SEQUENCE nor its ETag', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Hana Host')
    await createMeetup(host, { title: 'Quiet lunch', capacity: '5' })
    const before = await app.inject('/meetups/quiet-lunch/calendar.ics')
    for (const name of ['Ann', 'Bryn']) await rsvp(await person(app, name), 'quiet-lunch')
    const after = await app.inject('/meetups/quiet-lunch/calendar.ics')
    assert.equal(after.headers.etag, before.headers.etag, 'nothing a calendar shows changed')
    assert.equal(after.body, before.body)
    const notModified = await app.inject({ url: '/meetups/quiet-lunch/calendar.ics', headers: { 'if-none-match': String(before.headers.etag) } })
    assert.equal(notModified.statusCode, 304)
    // A new time does change it, with a higher SEQUENCE.
    const { lunchForm, daysFromNow } = await import('../helpers/meetups.js')
    await host.submit('/meetups/quiet-lunch/edit', '/meetups/quiet-lunch/edit', { ...lunchForm, title: 'Quiet lunch', capacity: '5', slug: 'quiet-lunch', startsAt: daysFromNow(12, '13:00'), endsAt: daysFromNow(12, '14:00') })
    const moved = await app.inject('/meetups/quiet-lunch/calendar.ics')
    assert.notEqual(moved.headers.etag, before.headers.etag)
    assert.ok(Number(/SEQUENCE:(\d+)/.exec(moved.body)![1]) > Number(/SEQUENCE:(\d+)/.exec(before.body)![1]))
  })

  test('a chat’s entry names its chosen topic and the hashtag once; switching chats off cancels the ones to come', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Olu')
    await createCommunity(host, { name: '#lgovsm — local gov social media' })
    const feed = () => app.inject('/communities/lgovsm/calendar.ics').then((r) => new ICAL.Component(ICAL.parse(r.body)).getAllSubcomponents('vevent'))
    const upcoming = (await feed()).filter((e) => Date.parse(startOf(e)) > Date.now())
    const next = upcoming[0]!
    const date = startOf(next).slice(0, 10)
    assert.equal(field(next, 'summary'), '#lgovsm chat', 'no name repeating the hashtag')
    assert.match((await app.inject('/communities/lgovsm/calendar.ics')).body, /\r\nNAME:#lgovsm — local gov social media\r\n/, 'nor in the calendar’s name')
    await host.submit('/communities/lgovsm/topics/new', '/communities/lgovsm/topics', { title: 'Crisis comms', description: '' })
    const topicId = (await app.db.selectFrom('topics').select('id').executeTakeFirstOrThrow()).id
    const chosen = await host.submit('/communities/lgovsm/chats', `/communities/lgovsm/chats/${date}/topic`, { topicId: String(topicId) })
    assert.equal(chosen.status, 303)
    const withTopic = (await feed()).find((e) => field(e, 'uid') === field(next, 'uid'))!
    assert.equal(field(withTopic, 'summary'), '#lgovsm chat: Crisis comms')
    assert.match(field(withTopic, 'description'), /#lgovsm — local gov social media/)
    assert.equal((await app.inject(`/communities/lgovsm/chats/${date}/calendar.ics`)).body.includes('SUMMARY:#lgovsm chat: Crisis comms'), true, 'the download too')

    // "No schedule": the chats that were coming stay in the feed, CANCELLED, with a higher SEQUENCE.
    const { lgovsmForm } = await import('../helpers/communities.js')
    const off = await host.submit('/communities/lgovsm/edit', '/communities/lgovsm/edit', { ...lgovsmForm, name: '#lgovsm — local gov social media', scheduleKind: 'none' })
    assert.equal(off.status, 303)
    const stopped = await feed()
    const same = stopped.filter((e) => upcoming.some((u) => field(u, 'uid') === field(e, 'uid')))
    assert.equal(same.length, upcoming.length, 'every chat that was coming is still there')
    assert.ok(same.every((e) => field(e, 'status') === 'CANCELLED'))
    assert.ok(same.every((e) => Number(field(e, 'sequence')) > Number(field(next, 'sequence'))))
    // The pages say there is no schedule, and a schedule added again counts on.
    assert.match((await app.inject('/communities/lgovsm')).body, /No chats are planned\./)
    await host.submit('/communities/lgovsm/edit', '/communities/lgovsm/edit', { ...lgovsmForm, name: '#lgovsm — local gov social media' })
    const back = (await feed()).find((e) => field(e, 'uid') === field(next, 'uid'))!
    assert.equal(field(back, 'status'), 'CONFIRMED')
    assert.ok(Number(field(back, 'sequence')) > Number(field(same[0]!, 'sequence')))
  })
})
