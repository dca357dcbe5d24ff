// Email notices against a real SMTP server: each notice reaches the right person, in their
// language, with the link and (where it is about a calendar item) an invite whose UID is
// the feeds' and whose METHOD matches its MIME part; retries and permanent refusals;
// unsubscribing without signing in; hosts' messages and their limit; day-before reminders.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { queueDueReminders } from '../../src/features/meetups/reminders.service.js'
import { redactUrlSecrets } from '../../src/lib/redact.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { Browser, text } from '../helpers/browser.js'
import { person } from '../helpers/communities.js'
import { propose, setPhase } from '../helpers/events.js'
import { cancelRsvp, createMeetup, daysFromNow, lunchForm, rsvp } from '../helpers/meetups.js'
import { campWithRooms, gridIds, place } from '../helpers/schedule.js'
import { drain, feedEvents, inviteOf, mailTo, rawHeader, startSmtp, type Received, type TestSmtp } from '../helpers/mail.js'

type T = Parameters<typeof buildTestApp>[0]

async function mailApp(t: T, smtp?: TestSmtp): Promise<{ app: FastifyInstance; smtp: TestSmtp }> {
  const server = smtp ?? (await startSmtp())
  const app = await buildTestApp(t, { smtpUrl: server.url })
  t.after(() => server.close()) // after the app, whose pooled connection it would wait for
  return { app, smtp: server }
}

async function emailOf(app: FastifyInstance, name: string): Promise<string> {
  return (await app.db.selectFrom('users').select('email').where('display_name', '=', name).$narrowType<{ email: string }>().executeTakeFirstOrThrow()).email
}

function one(list: Received[], subject: RegExp): Received {
  const found = list.filter((r) => subject.test(r.mail.subject ?? ''))
  assert.equal(found.length, 1, `exactly one email like ${subject}, got: ${list.map((r) => r.mail.subject).join(' | ')}`)
  return found[0]!
}

async function inWelsh(browser: Browser): Promise<void> {
  await browser.get('/')
  assert.equal((await browser.post('/language', { lang: 'cy', next: '/' })).status, 303)
}

describe('email notices', () => {
  test('a meetup’s replies: confirmed with an invite, waiting list without, promoted with one; each to one person, in their language', async (t) => {
    const { app, smtp } = await mailApp(t)
    const host = await person(app, 'Hana Host')
    const ann = await person(app, 'Ann')
    const bryn = await person(app, 'Bryn')
    await inWelsh(bryn)
    assert.equal((await createMeetup(host, { capacity: '1', title: 'Lunch & chat' })).status, 303)
    const slug = 'lunch-chat'
    assert.equal((await rsvp(ann, slug)).status, 303)
    assert.equal((await rsvp(bryn, slug)).status, 303)
    await drain(app)
    const [annAddress, brynAddress] = [await emailOf(app, 'Ann'), await emailOf(app, 'Bryn')]

    const confirmed = one(mailTo(smtp, annAddress), /You’re going to Lunch & chat/)
    assert.deepEqual(confirmed.envelopeTo, [annAddress], 'one recipient per message')
    assert.equal(confirmed.mail.to && !Array.isArray(confirmed.mail.to) ? confirmed.mail.to.value.map((a) => a.address).join() : '', annAddress)
    assert.equal(confirmed.mail.cc, undefined)
    assert.match(confirmed.mail.text ?? '', /Hello Ann,/)
    assert.match(confirmed.mail.text ?? '', new RegExp(`See the meetup: http://localhost:3000/meetups/${slug}`))
    assert.match(String(confirmed.mail.html), /Lunch &amp; chat/, 'the HTML part escapes what people typed')
    const invite = inviteOf(confirmed)!
    // An iTIP invitation (RFC 5546): REQUEST, with the site as ORGANIZER and Ann as the one ATTENDEE.
    assert.equal(invite.method, 'REQUEST')
    assert.equal(invite.mimeMethod, 'REQUEST')
    assert.equal(invite.status, 'CONFIRMED')
    assert.match(invite.organizer ?? '', /^mailto:hashcamp@localhost$/i)
    assert.deepEqual(invite.attendees.map((a) => a.toLowerCase()), [`mailto:${annAddress}`])
    const feed = feedEvents((await app.inject(`/meetups/${slug}/calendar.ics`)).body)
    assert.ok(feed.has(invite.uid), `the invite's UID ${invite.uid} is the feed's`)
    assert.match(rawHeader(confirmed, 'List-Unsubscribe') ?? '', /^<http:\/\/localhost:3000\/unsubscribe\/[^>]+>$/)
    assert.equal(rawHeader(confirmed, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click')

    const waiting = one(mailTo(smtp, brynAddress), /rhestr aros/)
    assert.match(waiting.mail.subject ?? '', /Rydych chi ar y rhestr aros ar gyfer Lunch & chat/, 'Bryn chose Welsh')
    assert.match(waiting.mail.text ?? '', /chi yw rhif 1 ar y rhestr aros/)
    assert.equal(inviteOf(waiting), null, 'a place in the queue is not a seat: no invite')
    assert.match(String(waiting.mail.html), /<html lang="cy">/)

    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 20)) // DTSTAMP counts whole seconds
    assert.equal((await cancelRsvp(ann, slug)).status, 303)
    await drain(app)
    const promoted = one(mailTo(smtp, brynAddress), /Daeth sedd yn rhydd/)
    const promotedInvite = inviteOf(promoted)!
    assert.equal(promotedInvite.uid, invite.uid)
    assert.equal(promotedInvite.status, 'CONFIRMED')
    // Ann gave up her seat after her invite: a cancellation of that very invite, from the same organiser.
    const withdrawn = inviteOf(one(mailTo(smtp, annAddress), /You’re no longer going to Lunch & chat/))!
    assert.equal(withdrawn.method, 'CANCEL')
    assert.equal(withdrawn.mimeMethod, 'CANCEL')
    assert.equal(withdrawn.status, 'CANCELLED')
    assert.equal(withdrawn.uid, invite.uid)
    assert.equal(withdrawn.organizer, invite.organizer)
    assert.deepEqual(withdrawn.attendees, invite.attendees)
    assert.ok(withdrawn.sequence >= invite.sequence, 'never older than the invite')
    assert.ok(withdrawn.dtstamp > invite.dtstamp, `a later DTSTAMP (${invite.dtstamp} → ${withdrawn.dtstamp})`)
    assert.equal(mailTo(smtp, await emailOf(app, 'Hana Host')).length, 0, 'the host is not copied in')

    await drain(app)
    assert.equal(smtp.received.length, 4, 'nothing is sent twice')
  })

  test('a meetup moved, then cancelled: an updated invite with a higher SEQUENCE, then METHOD:CANCEL in a method=CANCEL part', async (t) => {
    const { app, smtp } = await mailApp(t)
    const host = await person(app, 'Hana Host')
    const ann = await person(app, 'Ann')
    await createMeetup(host)
    const slug = 'lunch-on-saturday'
    await rsvp(ann, slug)
    await drain(app)
    const annAddress = await emailOf(app, 'Ann')
    const first = inviteOf(one(mailTo(smtp, annAddress), /You’re going/))!

    // A new description is not worth an email; a new time is.
    assert.equal((await host.submit(`/meetups/${slug}/edit`, `/meetups/${slug}/edit`, { ...lunchForm, slug, description: 'Now with cake.' })).status, 303)
    await drain(app)
    assert.equal(mailTo(smtp, annAddress).length, 1)
    const later = { startsAt: daysFromNow(11, '13:00'), endsAt: daysFromNow(11, '14:00') }
    assert.equal((await host.submit(`/meetups/${slug}/edit`, `/meetups/${slug}/edit`, { ...lunchForm, slug, ...later })).status, 303)
    await drain(app)
    const changed = one(mailTo(smtp, annAddress), /has changed/)
    const moved = inviteOf(changed)!
    assert.equal(moved.uid, first.uid)
    assert.ok(moved.sequence > first.sequence, `SEQUENCE goes up (${first.sequence} → ${moved.sequence})`)
    assert.equal(moved.start, new Date(`${later.startsAt}:00Z`).toISOString(), 'the new time (London is on GMT then)')
    assert.match(changed.mail.text ?? '', /13:00/)

    await host.get(`/meetups/${slug}`)
    assert.equal((await host.post(`/meetups/${slug}/cancel`, {})).status, 303)
    await drain(app)
    const cancelled = one(mailTo(smtp, annAddress), /Cancelled: Lunch on Saturday/)
    const cancel = inviteOf(cancelled)!
    assert.equal(cancel.method, 'CANCEL')
    assert.equal(cancel.mimeMethod, 'CANCEL', 'the MIME method matches the body, or Outlook rejects it')
    assert.equal(cancel.status, 'CANCELLED')
    assert.equal(cancel.uid, first.uid)
    assert.ok(cancel.sequence > moved.sequence)
    assert.match(cancel.organizer ?? '', /^mailto:hashcamp@localhost$/i)
    assert.deepEqual(cancel.attendees.map((a) => a.toLowerCase()), [`mailto:${annAddress}`], 'the only address in it is the recipient’s own')
    assert.doesNotMatch((await app.inject(`/meetups/${slug}/calendar.ics`)).body, /@example\.org/, 'the public feed still carries no address')
  })

  test('proposers hear of decisions; a starred or hosted session moved or cancelled after publishing reaches its people with the feed’s UID', async (t) => {
    const { app, smtp } = await mailApp(t)
    const { org, slug } = await campWithRooms(app, [{ name: 'Hall' }, { name: 'Snug', capacity: '8' }])
    const mo = await person(app, 'Mo Member')
    const fan = await person(app, 'Fay Fan')
    const altText = await propose(mo, slug, 'Alt text that helps')
    const other = await propose(mo, slug, 'Open data')
    await org.get(`/events/${slug}/manage`)
    await org.post(`/events/${slug}/proposals/decide`, { action: 'accepted', ids: [String(altText)] })
    await org.post(`/events/${slug}/proposals/decide`, { action: 'declined', ids: [String(other)] })
    await drain(app)
    const moAddress = await emailOf(app, 'Mo Member')
    const accepted = one(mailTo(smtp, moAddress), /Accepted: Alt text that helps/)
    assert.match(accepted.mail.text ?? '', new RegExp(`http://localhost:3000/events/${slug}/proposals/${altText}`))
    one(mailTo(smtp, moAddress), /Not this time: Open data/)

    const { rooms, sessionSlots } = await gridIds(app, slug)
    assert.equal((await place(org, slug, altText, sessionSlots[0]!, rooms.Hall!)).status, 303)
    // Put on a grid not yet published without a decision: nobody is told yet (the draft may
    // change); publishing is the decision, and its proposer hears of it then, once.
    const undecided = await propose(mo, slug, 'Plain English')
    assert.equal((await place(org, slug, undecided, sessionSlots[2]!, rooms.Hall!)).status, 303)
    const dropped = await propose(mo, slug, 'Dropped from the draft')
    assert.equal((await place(org, slug, dropped, sessionSlots[3]!, rooms.Hall!)).status, 303)
    await org.get(`/events/${slug}/schedule/edit`)
    assert.equal((await org.post(`/events/${slug}/schedule/unassign`, { proposal: String(dropped) })).status, 303)
    await drain(app)
    assert.equal(mailTo(smtp, moAddress).filter((m) => /Plain English|Dropped from the draft/.test(m.mail.subject ?? '')).length, 0, 'a draft grid tells nobody')
    await setPhase(org, slug, 'pitching', 'published')
    await drain(app)
    one(mailTo(smtp, moAddress), /Accepted: Plain English/)
    // Taken off the draft before publishing, it stays accepted (it was put there) and is told once, at publishing.
    one(mailTo(smtp, moAddress), /Accepted: Dropped from the draft/)
    one(mailTo(smtp, moAddress), /Accepted: Alt text that helps/)
    await fan.get(`/events/${slug}/schedule`)
    assert.equal((await fan.post(`/events/${slug}/proposals/${altText}/star`, { starred: '1', next: '' })).status, 303)
    await drain(app)
    const before = smtp.received.length

    assert.equal((await place(org, slug, altText, sessionSlots[1]!, rooms.Snug!)).status, 303)
    await drain(app)
    const fanAddress = await emailOf(app, 'Fay Fan')
    for (const address of [fanAddress, moAddress]) {
      const moved = one(mailTo(smtp, address), /Alt text that helps has moved/)
      assert.match(moved.mail.text ?? '', /in Snug/)
      const invite = inviteOf(moved)!
      assert.equal(invite.method, 'REQUEST')
      const feed = feedEvents((await app.inject(`/events/${slug}/schedule.ics`)).body)
      assert.equal(feed.get(invite.uid)?.sequence, invite.sequence, 'same UID and SEQUENCE as the event feed')
    }
    assert.equal(smtp.received.length, before + 2, 'the starrer and the proposer; nobody else')

    await org.get(`/events/${slug}/schedule/edit`)
    assert.equal((await org.post(`/events/${slug}/schedule/unassign`, { proposal: String(altText) })).status, 303)
    await drain(app)
    const cancel = inviteOf(one(mailTo(smtp, fanAddress), /Cancelled: Alt text that helps/))!
    assert.equal(cancel.method, 'CANCEL')
    assert.equal(cancel.mimeMethod, 'CANCEL')
    assert.equal(feedEvents((await app.inject(`/events/${slug}/schedule.ics`)).body).get(cancel.uid)?.status, 'CANCELLED')
  })

  test('unsubscribe works without signing in, from the page or one click, and stops that kind of notice only', async (t) => {
    const { app, smtp } = await mailApp(t)
    const host = await person(app, 'Hana Host')
    const ann = await person(app, 'Ann')
    await createMeetup(host, { capacity: '10' })
    await createMeetup(host, { title: 'Second lunch', capacity: '10' })
    await rsvp(ann, 'lunch-on-saturday')
    await drain(app)
    const annAddress = await emailOf(app, 'Ann')
    const link = /<([^>]+)>/.exec(rawHeader(mailTo(smtp, annAddress)[0]!, 'List-Unsubscribe')!)![1]!
    const path = new URL(link).pathname
    assert.equal(redactUrlSecrets(path), '/unsubscribe/[secret]', 'the link is cut out of the request log')

    const stranger = new Browser(app, '10.99.0.1')
    const page = await stranger.get(path)
    assert.equal(page.status, 200)
    assert.match(text(page.html), /Stop emails about “Your replies to meetups”\?/)
    assert.equal((await stranger.get(path.slice(0, -3) + 'xyz')).status, 404, 'a tampered link does nothing')

    // What a mail client does for List-Unsubscribe-Post: a bare POST with no cookie and no token.
    const oneClick = await app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' })
    assert.equal(oneClick.statusCode, 200)
    assert.match(text(oneClick.body), /no more emails about “Your replies to meetups”/)
    const multipart = await app.inject({ method: 'POST', url: path, headers: { 'content-type': 'multipart/form-data; boundary=x' }, payload: '--x\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--x--\r\n' })
    assert.equal(multipart.statusCode, 200, 'the multipart form of one-click works too')

    await rsvp(ann, 'second-lunch')
    await drain(app)
    assert.equal(mailTo(smtp, annAddress).length, 1, 'no confirmation once replies are turned off')
    await host.get('/meetups/second-lunch')
    await host.post('/meetups/second-lunch/cancel', {})
    await drain(app)
    one(mailTo(smtp, annAddress), /Cancelled: Second lunch/)

    const prefs = text((await ann.get('/me/email')).html)
    assert.match(prefs, /Your replies to meetups/)
    assert.equal((await ann.post('/me/email', { topics: ['rsvps', 'meetupChanges'] }, { csrf: null })).status, 403, 'preferences need the CSRF token')
    assert.equal((await ann.submit('/me/email', '/me/email', { topics: ['rsvps'] })).status, 303)
    const topics = (await app.db.selectFrom('email_opt_outs').select('topic').orderBy('topic').execute()).map((r) => r.topic)
    assert.deepEqual(topics, ['hostMessages', 'meetupChanges', 'moderation', 'proposals', 'reminders', 'sessionChanges'])
  })

  test('hosts write to everyone going, each on their own; the fourth message in a day is refused and keeps the text', async (t) => {
    const { app, smtp } = await mailApp(t)
    const host = await person(app, 'Hana Host')
    const ann = await person(app, 'Ann')
    const bryn = await person(app, 'Bryn')
    const slug = 'lunch-on-saturday'
    await createMeetup(host, { capacity: '5' })
    await rsvp(ann, slug)
    await rsvp(bryn, slug)
    await drain(app)
    const before = smtp.received.length

    assert.equal((await bryn.get(`/meetups/${slug}/message`)).status, 403, 'only hosts')
    const blank = await host.submit(`/meetups/${slug}/message`, `/meetups/${slug}/message`, { body: '   ' })
    assert.equal(blank.status, 400)
    assert.match(text(blank.html), /Write the message/)
    const sent = await host.submit(`/meetups/${slug}/message`, `/meetups/${slug}/message`, { body: 'Table by the window.\n<script>alert(1)</script>' })
    assert.equal(sent.status, 303)
    await drain(app)
    const messages = smtp.received.slice(before)
    assert.equal(messages.length, 2)
    for (const message of messages) {
      assert.equal(message.envelopeTo.length, 1)
      assert.match(message.mail.subject ?? '', /A message from Hana Host about Lunch on Saturday/)
      assert.match(message.mail.text ?? '', /> Table by the window\./)
      assert.doesNotMatch(String(message.mail.html), /<script>/)
      assert.match(String(message.mail.html), /&lt;script&gt;/)
    }
    await host.submit(`/meetups/${slug}/message`, `/meetups/${slug}/message`, { body: 'Second' })
    await host.submit(`/meetups/${slug}/message`, `/meetups/${slug}/message`, { body: 'Third' })
    const fourth = await host.submit(`/meetups/${slug}/message`, `/meetups/${slug}/message`, { body: 'Fourth, too many' })
    assert.equal(fourth.status, 429)
    assert.match(text(fourth.html), /This meetup has sent its 3 messages for today/)
    assert.match(fourth.html, /Fourth, too many/, 'the text is kept')
    assert.equal((await app.db.selectFrom('meetup_messages').select('id').execute()).length, 3)
  })

  test('reminders the day before go once to whoever replied earlier, and again only if the meetup moves', async (t) => {
    const { app, smtp } = await mailApp(t)
    const host = await person(app, 'Hana Host')
    const ann = await person(app, 'Ann')
    const slug = 'lunch-on-saturday'
    await createMeetup(host)
    await rsvp(ann, slug)
    await drain(app)
    const meetup = await app.db.selectFrom('meetups').select('starts_at').executeTakeFirstOrThrow()
    const dayBefore = new Date(Date.parse(meetup.starts_at) - 20 * 3600000)
    assert.equal(await queueDueReminders(app.db, new Date(Date.parse(meetup.starts_at) - 30 * 3600000)), 0, 'not yet')
    assert.equal(await queueDueReminders(app.db, dayBefore), 1)
    assert.equal(await queueDueReminders(app.db, new Date(dayBefore.getTime() + 60000)), 0, 'once')
    await drain(app, () => dayBefore)
    const annAddress = await emailOf(app, 'Ann')
    const reminder = one(mailTo(smtp, annAddress), /Tomorrow: Lunch on Saturday/)
    assert.equal(inviteOf(reminder)!.method, 'REQUEST')

    // Moved an hour later: a change notice now, and a reminder for the new time when it is due.
    const later = { startsAt: lunchForm.startsAt.replace('12:30', '13:30'), endsAt: lunchForm.endsAt.replace('13:30', '14:30') }
    assert.equal((await host.submit(`/meetups/${slug}/edit`, `/meetups/${slug}/edit`, { ...lunchForm, slug, ...later })).status, 303)
    assert.equal(await queueDueReminders(app.db, dayBefore), 1)
    await drain(app, () => dayBefore)
    assert.equal(mailTo(smtp, annAddress).filter((r) => /Tomorrow/.test(r.mail.subject ?? '')).length, 2)
    one(mailTo(smtp, annAddress), /has changed/)
  })

  test('a refused delivery is tried again later with backoff; a permanent refusal is given up at once', async (t) => {
    let refuseTemporarily = true
    const smtp = await startSmtp({
      refuse: (address) => (address.startsWith('gone') ? { code: 550, message: 'No such user here' } : refuseTemporarily ? { code: 451, message: 'Try again later' } : null),
    })
    const { app } = await mailApp(t, smtp)
    const host = await person(app, 'Hana Host')
    const ann = await person(app, 'Ann')
    const gone = await person(app, 'Gone')
    await app.db.updateTable('users').set({ email: 'gone@example.org' }).where('display_name', '=', 'Gone').execute()
    await createMeetup(host)
    await rsvp(ann, 'lunch-on-saturday')
    await rsvp(gone, 'lunch-on-saturday')
    await drain(app)
    const rows = async () => app.db.selectFrom('outbox').select(['user_id', 'status', 'attempts', 'next_attempt_at', 'last_error']).orderBy('id').execute()
    const [annRow, goneRow] = await rows()
    assert.equal(annRow!.status, 'pending')
    assert.equal(annRow!.attempts, 1)
    assert.ok(annRow!.next_attempt_at > new Date(Date.now() + 30000).toISOString(), 'the retry waits')
    assert.equal(goneRow!.status, 'failed', '550 is final')
    assert.doesNotMatch(goneRow!.last_error ?? '', /gone@example\.org/, 'no address in the stored error')
    assert.equal(smtp.received.length, 0)

    refuseTemporarily = false
    await drain(app) // not due yet
    assert.equal(smtp.received.length, 0)
    await drain(app, () => new Date(Date.now() + 61000))
    assert.equal(smtp.received.length, 1)
    assert.equal((await rows())[0]!.status, 'sent')
  })

  test('with the worker on, as the server runs it, a reply’s email goes out by itself', async (t) => {
    const smtp = await startSmtp()
    const app = await buildTestApp(t, { smtpUrl: smtp.url, mailWorker: true })
    t.after(() => smtp.close())
    const host = await person(app, 'Hana Host')
    const ann = await person(app, 'Ann')
    await createMeetup(host)
    await rsvp(ann, 'lunch-on-saturday')
    // The sign-ups' confirmation emails may go out too: the worker sends whatever is due.
    const received = await smtp.waitForOne((r) => /You’re going to Lunch on Saturday/.test(r.mail.subject ?? ''))
    assert.ok(received.envelopeTo.some((to) => to.startsWith('person')), 'it went to Ann')
  })

  test('/dev/mail lists what the folder mailer wrote, for the site admin only', async (t) => {
    const app = await buildTestApp(t)
    const admin = await person(app, 'Site Admin')
    const host = await person(app, 'Hana Host')
    await app.db.updateTable('users').set({ role: 'admin' }).where('display_name', '=', 'Site Admin').execute()
    await createMeetup(host)
    await rsvp(admin, 'lunch-on-saturday')
    await drain(app)
    assert.equal(app.outbox.mailer.kind, 'folder')
    const page = text((await admin.get('/dev/mail')).html)
    assert.match(page, /You’re going to Lunch on Saturday/)
    assert.match(page, /METHOD:REQUEST/)
    assert.match(page, /0 waiting, 1 sent, 0 failed/)
    assert.equal((await host.get('/dev/mail')).status, 403)
  })
})
