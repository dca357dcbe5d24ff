// Reporting and moderation (issue 20): anyone signed in reports; the hosts, organisers or the
// admin hide (the item leaves every page, list, feed and API, its author sees why), restore or
// dismiss; every action is in the audit log; the reporter is emailed the outcome and never
// named to the author. The admin finds people, suspends them (no sign-in, no sessions, content
// hidden) and lifts it.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../helpers/build-test-app.js'
import { Browser, signIn, text, type Page } from '../helpers/browser.js'
import { createCommunity, person } from '../helpers/communities.js'
import { createEvent, organiser, propose, setPhase } from '../helpers/events.js'
import { drain, mailTo, startSmtp, type Received, type TestSmtp } from '../helpers/mail.js'
import { createMeetup, rsvp } from '../helpers/meetups.js'
import { addRoom, gridIds, layOutDay, place } from '../helpers/schedule.js'

type T = Parameters<typeof buildTestApp>[0]
const PASSWORD = 'a long enough passphrase'

async function mailApp(t: T): Promise<{ app: FastifyInstance; smtp: TestSmtp }> {
  const smtp = await startSmtp()
  const app = await buildTestApp(t, { smtpUrl: smtp.url })
  t.after(() => smtp.close())
  return { app, smtp }
}

async function userOf(app: FastifyInstance, name: string) {
  return app.db.selectFrom('users').select(['id', 'email']).where('display_name', '=', name).$narrowType<{ email: string }>().executeTakeFirstOrThrow()
}

/** The page's text without its tags, spaces folded. */
const plain = (html: string) => text(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ')

async function body(app: FastifyInstance, url: string): Promise<string> {
  const response = await app.inject(url)
  assert.equal(response.statusCode, 200, `${url} answers`)
  return text(response.body)
}

/** Reports an item the way a person does: the form, then its POST; returns the report's id. */
async function report(app: FastifyInstance, who: Browser, kind: string, id: number, reason: string): Promise<number> {
  const form = await who.get(`/report/${kind}/${id}`)
  assert.equal(form.status, 200)
  const sent = await who.post(`/report/${kind}/${id}`, { reason })
  assert.equal(sent.status, 303)
  const row = await app.db.selectFrom('reports').select('id').where('item_kind', '=', kind as 'proposal').where('item_id', '=', id).orderBy('id', 'desc').executeTakeFirstOrThrow()
  return row.id
}

async function decide(who: Browser, reportId: number, action: 'hide' | 'restore' | 'dismiss', reason = ''): Promise<Page> {
  await who.get(`/moderation/reports/${reportId}`)
  return who.post(`/moderation/reports/${reportId}/${action}`, action === 'hide' ? { reason } : {})
}

function one(list: Received[], subject: RegExp): Received {
  const found = list.filter((r) => subject.test(r.mail.subject ?? ''))
  assert.equal(found.length, 1, `exactly one email like ${subject}, got: ${list.map((r) => r.mail.subject).join(' | ')}`)
  return found[0]!
}

describe('reporting and moderating', () => {
  test('a reported proposal is hidden from every page, feed and API, its author sees why, the reporter is told, and restoring brings it back', async (t) => {
    const { app, smtp } = await mailApp(t)
    const admin = await person(app, 'Site Admin')
    const org = await organiser(app, admin, 'Olu Organiser')
    await createEvent(org)
    await setPhase(org, 'ukgc27', 'proposals')
    await addRoom(org, 'ukgc27', { name: 'Hall', capacity: '20' })
    await layOutDay(org, 'ukgc27')
    const ann = await person(app, 'Ann Author')
    const bryn = await person(app, 'Bryn Reporter')
    const title = 'Zebra crossings for data'
    const id = await propose(ann, 'ukgc27', title)
    await propose(ann, 'ukgc27', 'A session that stays')
    const { rooms, sessionSlots } = await gridIds(app, 'ukgc27')
    assert.equal((await place(org, 'ukgc27', id, sessionSlots[0]!, rooms.Hall!)).status, 303)
    await setPhase(org, 'ukgc27', 'pitching', 'published')
    // Moved once published, so the changelog names it too.
    assert.equal((await place(org, 'ukgc27', id, sessionSlots[1]!, rooms.Hall!)).status, 303)

    // Every place the session's title shows to anyone: each is checked before and after.
    const surfaces = [
      '/events/ukgc27/proposals',
      '/events/ukgc27/proposals.atom',
      '/events/ukgc27/schedule',
      '/events/ukgc27/schedule.ics',
      '/events/ukgc27/schedule.json',
      '/events/ukgc27/schedule.xml',
      '/events/ukgc27/schedule/changes',
      '/api/events/ukgc27/sessions',
      `/events/ukgc27/proposals/${id}`,
    ]
    for (const url of surfaces) assert.match(await body(app, url), new RegExp(title), `${url} shows it before`)

    // The report form keeps what was typed when it is refused.
    await bryn.get(`/report/proposal/${id}`)
    const tooLong = await bryn.post(`/report/proposal/${id}`, { reason: 'Spam '.repeat(500) })
    assert.equal(tooLong.status, 400)
    assert.match(plain(tooLong.html), /There is a problem/)
    assert.match(tooLong.html, /Spam Spam Spam/)
    const reportId = await report(app, bryn, 'proposal', id, 'This is an advert, not a session')
    assert.match(text((await bryn.get(`/events/ukgc27/proposals/${id}`)).html), /Thank you, the hosts will look at it/)
    assert.equal((await app.inject('/report/proposal/' + id)).statusCode, 303, 'signed-out people are sent to sign in')
    assert.equal(await report(app, bryn, 'proposal', id, 'And again'), reportId, 'a second report from the same person adds nothing')

    // The organiser sees it in the queue, and must give a reason to hide it.
    const queue = plain((await org.get('/moderation')).html)
    assert.match(queue, new RegExp(`proposal: ${title}`))
    assert.match(queue, /This is an advert, not a session/)
    assert.doesNotMatch(queue, /Bryn Reporter/, 'the queue does not name the reporter')
    const noReason = await decide(org, reportId, 'hide', '')
    assert.equal(noReason.status, 400)
    assert.match(plain(noReason.html), /Enter why you are hiding it/)
    assert.equal((await decide(org, reportId, 'hide', 'Adverts are not sessions here')).status, 303)

    for (const url of surfaces.slice(0, -1)) assert.doesNotMatch(await body(app, url), new RegExp(title), `${url} no longer shows it`)
    assert.equal((await app.inject(`/events/ukgc27/proposals/${id}`)).statusCode, 404, 'a direct link is a 404 for the public')
    assert.equal((await bryn.get(`/events/ukgc27/proposals/${id}`)).status, 404, 'and for the reporter')
    assert.equal((await app.inject(`/events/ukgc27/proposals/${id}/calendar.ics`)).statusCode, 404)
    const authorView = await ann.get(`/events/ukgc27/proposals/${id}`)
    assert.equal(authorView.status, 200)
    assert.match(text(authorView.html), /Hidden by the hosts: Adverts are not sessions here/)
    assert.match(text((await body(app, '/events/ukgc27/proposals'))), /A session that stays/, 'the rest of the list is still there')

    // The reporter hears the outcome; the author hears why, and never who reported it.
    await drain(app)
    const told = one(mailTo(smtp, (await userOf(app, 'Bryn Reporter')).email), /Your report on the proposal/)
    assert.match(told.mail.text ?? '', /have hidden it/)
    const authorMail = one(mailTo(smtp, (await userOf(app, 'Ann Author')).email), /has been hidden/)
    assert.match(authorMail.mail.text ?? '', /Adverts are not sessions here/)
    assert.doesNotMatch(authorMail.raw, /Bryn|This is an advert/, 'nothing from the report reaches the author')

    // Restored: back everywhere.
    const hiddenQueue = plain((await org.get('/moderation')).html)
    assert.match(hiddenQueue, /Hidden after a report/)
    assert.equal((await decide(org, reportId, 'restore')).status, 303)
    for (const url of surfaces) assert.match(await body(app, url), new RegExp(title), `${url} shows it again`)

    // The admin reads both actions in the audit log.
    const audit = plain((await admin.get('/admin/audit')).html)
    assert.match(audit, new RegExp(`Olu Organiser Hid proposal: ${title} Adverts are not sessions here`))
    assert.match(audit, new RegExp(`Olu Organiser Showed again proposal: ${title}`))
    assert.equal((await org.get('/admin/audit')).status, 403, 'the audit log is the admin’s')
  })

  test('community hosts moderate topics and meetups of their community only; a dismissed report leaves the item and tells the reporter', async (t) => {
    const { app, smtp } = await mailApp(t)
    const admin = await person(app, 'Site Admin')
    const hana = await organiser(app, admin, 'Hana Host')
    assert.equal((await createCommunity(hana)).status, 303)
    const xena = await person(app, 'Xena Elsewhere')
    assert.equal((await createCommunity(xena, { name: 'Other chat', hashtag: '#otherchat' })).status, 303)
    const mo = await organiser(app, admin, 'Mo Member')
    await mo.submit('/communities/lgovsm', '/communities/lgovsm/join', {})
    assert.equal((await mo.submit('/communities/lgovsm/topics/new', '/communities/lgovsm/topics', { title: 'Wobbly topic title', description: '' })).status, 303)
    assert.equal((await createMeetup(mo, { title: 'Quokka picnic', communitySlug: 'lgovsm' })).status, 303)
    const meetup = await app.db.selectFrom('meetups').select(['id', 'slug']).executeTakeFirstOrThrow()
    const topic = await app.db.selectFrom('topics').select('id').executeTakeFirstOrThrow()
    const bryn = await person(app, 'Bryn Reporter')

    const meetupSurfaces = ['/', '/meetups', '/communities/lgovsm', '/communities/lgovsm/calendar.ics', '/communities/lgovsm/meetups.atom', '/api/communities/lgovsm', '/tags/lgovsm', `/meetups/${meetup.slug}`, `/api/meetups/${meetup.slug}`, `/meetups/${meetup.slug}/calendar.ics`]
    for (const url of meetupSurfaces) assert.match(await body(app, url), /Quokka picnic/, `${url} shows it before`)
    assert.match(await body(app, '/communities/lgovsm/topics'), /Wobbly topic title/)

    const meetupReport = await report(app, bryn, 'meetup', meetup.id, 'Not a real picnic')
    const topicReport = await report(app, bryn, 'topic', topic.id, 'Off topic')

    // Another community's host sees neither, and cannot act.
    assert.doesNotMatch(plain((await xena.get('/moderation')).html), /Quokka|Wobbly/)
    assert.equal((await xena.get(`/moderation/reports/${meetupReport}`)).status, 403)
    assert.equal((await xena.post(`/moderation/reports/${meetupReport}/hide`, { reason: 'no' })).status, 403)
    assert.equal((await bryn.get('/moderation')).status, 403, 'a member without a community or event has no queue')

    assert.match(plain((await hana.get('/moderation')).html), /Quokka picnic.*Wobbly topic title|Wobbly topic title.*Quokka picnic/)
    assert.equal((await decide(hana, meetupReport, 'hide', 'Picnics need a venue')).status, 303)
    for (const url of meetupSurfaces.slice(0, 7)) assert.doesNotMatch(await body(app, url), /Quokka picnic/, `${url} no longer shows it`)
    for (const url of meetupSurfaces.slice(7)) assert.equal((await app.inject(url)).statusCode, 404, `${url} is a 404`)
    assert.match(text((await mo.get(`/meetups/${meetup.slug}`)).html), /Hidden by the hosts: Picnics need a venue/)

    // Dismissing leaves the topic where it is.
    assert.equal((await decide(hana, topicReport, 'dismiss')).status, 303)
    assert.match(await body(app, '/communities/lgovsm/topics'), /Wobbly topic title/)
    assert.equal((await decide(hana, topicReport, 'dismiss')).status, 409, 'a report is decided once')
    await drain(app)
    const brynMail = mailTo(smtp, (await userOf(app, 'Bryn Reporter')).email)
    assert.match(one(brynMail, /Your report on the topic/).mail.text ?? '', /decided to leave it up/)
    assert.match(one(brynMail, /Your report on the meetup/).mail.text ?? '', /have hidden it/)

    // A hidden topic: gone from the list; its author is told why there.
    const second = await report(app, bryn, 'topic', topic.id, 'Still off topic')
    assert.equal((await decide(hana, second, 'hide', 'Duplicate of last week')).status, 303)
    assert.doesNotMatch(await body(app, '/communities/lgovsm/topics'), /Wobbly topic title/)
    assert.match(text((await mo.get('/communities/lgovsm/topics')).html), /Wobbly topic title.*Hidden by the hosts: Duplicate of last week/s)

    const audit = plain((await admin.get('/admin/audit')).html)
    assert.match(audit, /Hana Host Dismissed a report on topic: Wobbly topic title/)
    assert.match(audit, /Hana Host Hid meetup: Quokka picnic Picnics need a venue/)
  })

  test('a host message is reported from its email, and profiles are for the admin alone to moderate', async (t) => {
    const { app, smtp } = await mailApp(t)
    const admin = await person(app, 'Site Admin')
    const hana = await organiser(app, admin, 'Hana Host')
    assert.equal((await createCommunity(hana)).status, 303)
    assert.equal((await createMeetup(hana, { title: 'Lunch club', communitySlug: 'lgovsm' })).status, 303)
    const { slug } = await app.db.selectFrom('meetups').select('slug').executeTakeFirstOrThrow()
    const mo = await person(app, 'Mo Member')
    assert.equal((await rsvp(mo, slug)).status, 303)
    assert.equal((await hana.submit(`/meetups/${slug}/message`, `/meetups/${slug}/message`, { body: 'Buy my timeshare, friends' })).status, 303)
    await drain(app)
    const message = one(mailTo(smtp, (await userOf(app, 'Mo Member')).email), /A message from Hana Host/)
    const link = /\/report\/host_message\/(\d+)/.exec(message.mail.text ?? '')
    assert.ok(link, 'the email has a link to report the message')
    const reportId = await report(app, mo, 'host_message', Number(link[1]), 'Selling things')

    // The community host wrote it: only the admin judges it.
    assert.equal((await hana.get(`/moderation/reports/${reportId}`)).status, 403)
    assert.match(plain((await admin.get('/moderation')).html), /host message: Buy my timeshare, friends/)
    assert.equal((await decide(admin, reportId, 'hide', 'No selling')).status, 303)
    assert.doesNotMatch(plain((await hana.get(`/meetups/${slug}/message`)).html), /Buy my timeshare/)
    await drain(app)
    assert.match(one(mailTo(smtp, (await userOf(app, 'Hana Host')).email), /Your host message .* has been hidden/).mail.text ?? '', /No selling/)

    // A profile: a community host has no say; the admin hides it and its owner sees why.
    const moRow = await userOf(app, 'Mo Member')
    assert.match(await body(app, `/people/${moRow.id}`), /Mo Member/)
    const profileReport = await report(app, hana, 'profile', moRow.id, 'Offensive bio')
    assert.equal((await hana.get(`/moderation/reports/${profileReport}`)).status, 403)
    assert.equal((await decide(admin, profileReport, 'hide', 'Offensive bio')).status, 303)
    assert.equal((await app.inject(`/people/${moRow.id}`)).statusCode, 404)
    assert.match(text((await mo.get(`/people/${moRow.id}`)).html), /Hidden by the hosts: Offensive bio/)
  })

  test('the admin finds people by name, handle or email, suspends them (no sign-in, sessions end, content hidden) and lifts it', async (t) => {
    const app = await buildTestApp(t)
    const admin = await person(app, 'Site Admin')
    const org = await organiser(app, admin, 'Olu Organiser')
    await createEvent(org)
    await setPhase(org, 'ukgc27', 'proposals')
    const ann = await person(app, 'Ann Suspendable')
    const annRow = await userOf(app, 'Ann Suspendable')
    await app.db.updateTable('users').set({ handle: 'annsus' }).where('id', '=', annRow.id).execute()
    const id = await propose(ann, 'ukgc27', 'Kangaroo accounting')
    const bryn = await person(app, 'Bryn Reporter')
    const profileReport = await report(app, bryn, 'profile', annRow.id, 'Rude profile')

    for (const q of ['suspendable', 'ANNSUS', annRow.email.toUpperCase().slice(0, 12)]) {
      const found = plain((await admin.get(`/admin/people?q=${encodeURIComponent(q)}`)).html)
      assert.match(found, /1 person matches/, `search ${q}`)
      assert.match(found, /Ann Suspendable/)
      assert.doesNotMatch(found, /Bryn Reporter/)
    }
    assert.match(plain((await admin.get('/admin/people?q=nobody-like-this')).html), /0 people match/)
    assert.equal((await org.get('/admin/people?q=ann')).status, 403)

    // The person page: reports about and by them.
    const page = plain((await admin.get(`/admin/people/${annRow.id}`)).html)
    assert.match(page, /Reports about them .*profile: Ann Suspendable Rude profile Waiting/)
    assert.match(plain((await admin.get(`/admin/people/${(await userOf(app, 'Bryn Reporter')).id}`)).html), /Reports they made .*profile: Ann Suspendable Rude profile/)

    const blank = await admin.post(`/admin/people/${annRow.id}/suspend`, { reason: '' })
    assert.equal(blank.status, 400)
    assert.match(plain(blank.html), /Enter why you are suspending them/)
    await admin.get(`/admin/people/${annRow.id}`)
    assert.equal((await admin.post(`/admin/people/${annRow.id}/suspend`, { reason: 'Harassing other people' })).status, 303)

    // Her open session stops working, she cannot sign in again, and what she wrote is hidden.
    assert.equal((await ann.get('/me')).status, 303)
    const again = new Browser(app, '10.99.0.1')
    const refused = await signIn(again, annRow.email, PASSWORD)
    assert.equal(refused.status, 403)
    assert.match(plain(refused.html), /This account is suspended/)
    const wrong = await signIn(new Browser(app, '10.99.0.2'), annRow.email, 'not her password at all')
    assert.doesNotMatch(plain(wrong.html), /suspended/, 'only someone with the password learns of it')
    assert.doesNotMatch(await body(app, '/events/ukgc27/proposals'), /Kangaroo accounting/)
    assert.equal((await app.inject(`/events/ukgc27/proposals/${id}`)).statusCode, 404)
    assert.equal((await app.inject('/people/annsus')).statusCode, 404)
    assert.match(plain((await admin.get('/admin/people?q=annsus')).html), /Ann Suspendable @annsus Suspended/)
    assert.equal((await admin.post(`/admin/people/${(await userOf(app, 'Site Admin')).id}/suspend`, { reason: 'x' })).status, 409, 'the admin cannot be suspended')

    await admin.get(`/admin/people/${annRow.id}`)
    assert.equal((await admin.post(`/admin/people/${annRow.id}/unsuspend`, {})).status, 303)
    assert.equal((await signIn(again, annRow.email, PASSWORD)).status, 303)
    assert.match(await body(app, '/events/ukgc27/proposals'), /Kangaroo accounting/)
    assert.equal((await app.inject('/people/annsus')).statusCode, 200)

    // What a moderator hid stays hidden through a suspension and its lifting.
    assert.equal((await decide(admin, profileReport, 'hide', 'Rude profile')).status, 303)
    await admin.get(`/admin/people/${annRow.id}`)
    assert.equal((await admin.post(`/admin/people/${annRow.id}/suspend`, { reason: 'Again' })).status, 303)
    await admin.get(`/admin/people/${annRow.id}`)
    assert.equal((await admin.post(`/admin/people/${annRow.id}/unsuspend`, {})).status, 303)
    assert.equal((await app.inject('/people/annsus')).statusCode, 404)
    assert.match(await body(app, '/events/ukgc27/proposals'), /Kangaroo accounting/)

    const audit = plain((await admin.get('/admin/audit')).html)
    assert.match(audit, /Site Admin Suspended profile: Ann Suspendable Harassing other people/)
    assert.match(audit, /Site Admin Lifted the suspension of profile: Ann Suspendable/)
  })
})
