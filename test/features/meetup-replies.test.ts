// Issue 22, "meetup replies people expect" and "confirm or undo": questions answered at RSVP
// and read by the hosts alone, the page's link to what the meetup belongs to, cancelling with
// a reason that reaches the email and taking it back within the day, "I can't come any more"
// asked twice, and a phase change asked twice.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../helpers/build-test-app.js'
import { Browser, text } from '../helpers/browser.js'
import { createCommunity, person } from '../helpers/communities.js'
import { createEvent, organiser, setPhase } from '../helpers/events.js'
import { drain, feedEvents, inviteOf, mailTo, startSmtp, type TestSmtp } from '../helpers/mail.js'
import { createMeetup, lunchForm, rsvp } from '../helpers/meetups.js'

type T = Parameters<typeof buildTestApp>[0]
const SLUG = 'lunch-on-saturday'
const PAGE = `/meetups/${SLUG}`

async function mailApp(t: T): Promise<{ app: FastifyInstance; smtp: TestSmtp }> {
  const smtp = await startSmtp()
  const app = await buildTestApp(t, { smtpUrl: smtp.url })
  t.after(() => smtp.close())
  return { app, smtp }
}

async function emailOf(app: FastifyInstance, name: string): Promise<string> {
  return (await app.db.selectFrom('users').select('email').where('display_name', '=', name).$narrowType<{ email: string }>().executeTakeFirstOrThrow()).email
}

async function questionIds(app: FastifyInstance): Promise<number[]> {
  return (await app.db.selectFrom('meetup_questions').select('id').orderBy('position').execute()).map((q) => q.id)
}

const withQuestions = { question1: 'Any dietary needs?', question2: 'Any access needs?', question3: '' }

/** The meetup form with questions (fields the shared helper does not know about). */
function createWithQuestions(host: Browser, fields: Record<string, string>) {
  return host.submit('/meetups/new', '/meetups', { ...lunchForm, ...withQuestions, ...fields })
}

describe('meetup questions', () => {
  test('the host asks; people answer at RSVP and may change it; only the hosts see the answers, on the page and in the CSV', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Hana Host')
    const [ann, bryn] = await Promise.all([person(app, 'Ann'), person(app, 'Bryn')])
    const tooLong = await createWithQuestions(host, { question3: 'x'.repeat(201) })
    assert.equal(tooLong.status, 400)
    assert.match(tooLong.html, /Write a question of 200 characters or fewer/)
    assert.match(tooLong.html, /value="Any dietary needs\?"/, 'what was typed is kept')
    assert.equal((await createWithQuestions(host, { capacity: '1' })).status, 303)
    const [diet, access] = await questionIds(app)

    const form = await ann.get(PAGE)
    assert.match(form.html, /The hosts ask/)
    assert.match(form.html, /<label class="field__label" for="answer-\d+">Any dietary needs\?<\/label>/)
    assert.doesNotMatch((await new Browser(app, '10.91.0.1').get(PAGE)).html, /The hosts ask/, 'signed out: the sign-in button, no form')

    assert.equal((await ann.post(`${PAGE}/rsvp`, { going: 'yes', [`answer-${diet}`]: '=HYPERLINK("http://x") vegan', [`answer-${access}`]: '' })).status, 303)
    // Bryn joins the waitlist (one seat) and answers too.
    await bryn.get(PAGE)
    assert.equal((await bryn.post(`${PAGE}/rsvp`, { going: 'yes', [`answer-${access}`]: 'Step-free <b>access</b>' })).status, 303)

    // The person sees their own answer in the form, and may change it.
    const mine = await ann.get(PAGE)
    assert.match(mine.html, /&#34;http:\/\/x&#34;\) vegan<\/textarea>|&quot;http:\/\/x&quot;\) vegan<\/textarea>/)
    assert.doesNotMatch(mine.html, /Step-free/, 'another attendee never sees someone else’s answer')
    assert.doesNotMatch(mine.html, /Answers to your questions/)
    assert.equal((await ann.post(`${PAGE}/rsvp`, { going: 'yes', [`answer-${diet}`]: '=HYPERLINK("http://x") vegan', [`answer-${access}`]: 'A chair near the door' })).status, 303)
    assert.doesNotMatch((await new Browser(app, '10.91.0.2').get(PAGE)).html, /vegan|Step-free|chair near/)

    const hostPage = await host.get(PAGE)
    assert.match(hostPage.html, /Answers to your questions/)
    // What a person reads: the tags gone, the text as the browser shows it.
    const section = hostPage.html.slice(hostPage.html.indexOf('id="answers-title"'), hostPage.html.indexOf('</section>', hostPage.html.indexOf('id="answers-title"')))
    const answers = text(section.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ')
    assert.match(answers, /Ann Any dietary needs\? =HYPERLINK\("http:\/\/x"\) vegan Any access needs\? A chair near the door/)
    assert.match(answers, /Bryn \(waiting\) Any access needs\? Step-free <b>access<\/b>/)
    assert.match(hostPage.html, /Step-free &lt;b&gt;access&lt;\/b&gt;/, 'escaped')

    const csv = await host.get(`${PAGE}/attendees.csv`)
    assert.equal(csv.status, 200)
    const lines = csv.html.trim().split('\r\n')
    assert.match(lines[0]!, /"Any dietary needs\?","Any access needs\?"$/)
    assert.match(csv.html, /"'=HYPERLINK\(""http:\/\/x""\) vegan","A chair near the door"/, 'CSV-injection safe')
    assert.match(csv.html, /"Bryn".*"","Step-free <b>access<\/b>"/)
    assert.equal((await ann.get(`${PAGE}/attendees.csv`)).status, 403)

    // A reply that carries no answer fields (the smaller-party offer's button) leaves them be.
    await ann.get(PAGE)
    assert.equal((await ann.post(`${PAGE}/rsvp`, { going: 'yes', partySize: '1' })).status, 303)
    assert.equal((await app.db.selectFrom('meetup_answers').select('id').execute()).length, 3)

    // An answer longer than the field allows is refused, and nothing changes.
    const long = await ann.post(`${PAGE}/rsvp`, { going: 'yes', [`answer-${diet}`]: 'y'.repeat(501) })
    assert.equal(long.status, 400)
    assert.match(long.html, /500 characters or fewer/)

    // Their own answers are in their data export.
    const data = JSON.parse((await ann.get('/me/data.json')).html) as { meetupAnswers: { question: string; answer: string }[] }
    assert.deepEqual(
      data.meetupAnswers.map((a) => [a.question, a.answer]),
      [
        ['Any dietary needs?', '=HYPERLINK("http://x") vegan'],
        ['Any access needs?', 'A chair near the door'],
      ],
    )
  })

  test('editing keeps the questions; a cleared question takes its answers; leaving and leaving the site delete a person’s answers', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Hana Host')
    const [ann, bryn] = await Promise.all([person(app, 'Ann'), person(app, 'Bryn')])
    await createWithQuestions(host, {})
    const [diet, access] = await questionIds(app)
    for (const who of [ann, bryn]) {
      await who.get(PAGE)
      await who.post(`${PAGE}/rsvp`, { going: 'yes', [`answer-${diet}`]: 'Vegetarian', [`answer-${access}`]: 'Lift' })
    }
    const edit = await host.get(`${PAGE}/edit`)
    assert.match(edit.html, /name="question1" type="text" value="Any dietary needs\?"/)
    const fields = Object.fromEntries([...edit.html.matchAll(/<input class="field__input" id="[^"]+" name="([^"]+)" type="[^"]+" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!.replace(/&#39;/g, "'")]))
    const saved = await host.post(`${PAGE}/edit`, { ...fields, timeZone: 'Europe/London', description: '', venueAddress: '', attendeeVisibility: 'public', communitySlug: '', eventSlug: '', question1: 'Any dietary needs (allergies too)?', question2: '' })
    assert.equal(saved.status, 303)
    assert.deepEqual(await app.db.selectFrom('meetup_questions').select(['id', 'question']).execute(), [{ id: diet, question: 'Any dietary needs (allergies too)?' }])
    assert.equal((await app.db.selectFrom('meetup_answers').select('id').execute()).length, 2, 'the reworded question keeps its answers; the cleared one’s went')
    assert.equal((await app.db.selectFrom('meetups').select('question_count').executeTakeFirstOrThrow()).question_count, 1, 'the count an RSVP reads follows the questions')

    // "I can't come any more": asked first, then the answers go with the seat.
    const leave = await ann.get(`${PAGE}/leave`)
    assert.equal(leave.status, 200)
    assert.match(leave.html, /Give up your place at Lunch on Saturday\?/)
    assert.match(leave.html, /Your answers to the hosts’ questions are deleted/)
    assert.equal((await ann.post(`${PAGE}/rsvp`, { going: 'no' })).status, 303)
    const annId = (await app.db.selectFrom('users').select('id').where('display_name', '=', 'Ann').executeTakeFirstOrThrow()).id
    assert.equal((await app.db.selectFrom('meetup_answers').select('id').where('user_id', '=', annId).execute()).length, 0)

    // Bryn leaves the site: their answers go too.
    await bryn.get('/me/delete')
    const erased = await bryn.post('/me/delete', { password: 'a long enough passphrase', content: 'keep' })
    assert.equal(erased.status, 303)
    assert.equal((await app.db.selectFrom('meetup_answers').select('id').execute()).length, 0)
  })
})

describe('a reply and its answers', () => {
  test('are saved together: a refused reply saves no answers and keeps the ones before; the same reply with new answers saves them', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Hana Host')
    const [ann, bryn] = await Promise.all([person(app, 'Ann'), person(app, 'Bryn')])
    await createWithQuestions(host, { capacity: '2' })
    const [diet] = await questionIds(app)
    const answersOf = async (name: string) =>
      (await app.db.selectFrom('meetup_answers as a').innerJoin('users as u', 'u.id', 'a.user_id').select('a.answer').where('u.display_name', '=', name).execute()).map((r) => r.answer)
    const statusOf = async (name: string) =>
      (await app.db.selectFrom('rsvps as r').innerJoin('users as u', 'u.id', 'r.user_id').select(['r.status', 'r.party_size']).where('u.display_name', '=', name).executeTakeFirst()) ?? null

    await ann.get(PAGE)
    assert.equal((await ann.post(`${PAGE}/rsvp`, { going: 'yes', partySize: '1', [`answer-${diet}`]: 'Vegetarian' })).status, 303)
    assert.deepEqual(await answersOf('Ann'), ['Vegetarian'])

    // Three seats when two are left would give up the one she holds: refused, and so is the new answer.
    const tooBig = await ann.post(`${PAGE}/rsvp`, { going: 'yes', partySize: '3', [`answer-${diet}`]: 'Vegan' })
    assert.equal(tooBig.status, 409)
    assert.deepEqual(await answersOf('Ann'), ['Vegetarian'])
    assert.deepEqual(await statusOf('Ann'), { status: 'going', party_size: 1 })

    // More people than the meetup allows: no reply, and no answers either.
    await bryn.get(PAGE)
    assert.equal((await bryn.post(`${PAGE}/rsvp`, { going: 'yes', partySize: '5', [`answer-${diet}`]: 'Nuts' })).status, 409)
    assert.deepEqual(await answersOf('Bryn'), [])
    assert.equal(await statusOf('Bryn'), null)

    // The same reply again, with a new answer: nothing else changes, the answer does.
    assert.equal((await ann.post(`${PAGE}/rsvp`, { going: 'yes', partySize: '1', [`answer-${diet}`]: 'Vegan' })).status, 303)
    assert.deepEqual(await answersOf('Ann'), ['Vegan'])
    assert.deepEqual(await statusOf('Ann'), { status: 'going', party_size: 1 })
    const meetup = await app.db.selectFrom('meetups').select(['seats_taken', 'question_count']).where('slug', '=', SLUG).executeTakeFirstOrThrow()
    assert.deepEqual(meetup, { seats_taken: 1, question_count: 2 })

    // "No": the seat and the answers go in one step.
    assert.equal((await ann.post(`${PAGE}/rsvp`, { going: 'no' })).status, 303)
    assert.deepEqual(await answersOf('Ann'), [])
    assert.deepEqual(await statusOf('Ann'), { status: 'not_going', party_size: 1 })
  })
})

describe('what a meetup belongs to', () => {
  test('the page links to its community, or to its event once the organisers list it', async (t) => {
    const app = await buildTestApp(t)
    const admin = await person(app, 'Site Admin')
    const org = await organiser(app, admin, 'Olu Organiser')
    await createCommunity(org)
    await createEvent(org)
    await setPhase(org, 'ukgc27', 'proposals')
    assert.equal((await createMeetup(org, { communitySlug: 'lgovsm', title: 'Community lunch' })).status, 303)
    assert.equal((await createMeetup(org, { eventSlug: 'ukgc27', title: 'Camp lunch' })).status, 303)
    const visitor = new Browser(app, '10.91.1.1')
    assert.match((await visitor.get('/meetups/community-lunch')).html, /Part of <a href="\/communities\/lgovsm">Local gov social media<\/a>/)
    assert.match((await visitor.get('/meetups/camp-lunch')).html, /Part of <a href="\/events\/ukgc27">UKGovCamp 2027<\/a>/)
  })
})

describe('cancel with a reason, and undo within the day', () => {
  test('the host is asked first; the reason is in the email; un-cancelling restores it, tells everyone and puts it back in calendars', async (t) => {
    const { app, smtp } = await mailApp(t)
    const host = await person(app, 'Hana Host')
    const [ann, bryn, cat] = await Promise.all([person(app, 'Ann'), person(app, 'Bryn'), person(app, 'Cat')])
    await createMeetup(host, { capacity: '1' })
    await rsvp(ann, SLUG)
    await rsvp(bryn, SLUG)
    await drain(app)
    const sent = smtp.received.length

    // The page's button leads to a question, not to the cancellation.
    const page = await host.get(PAGE)
    assert.match(page.html, /<a href="\/meetups\/lunch-on-saturday\/cancel" class="button button--secondary">Cancel the meetup<\/a>/)
    assert.equal((await cat.get(`${PAGE}/cancel`)).status, 403)
    const confirm = await host.get(`${PAGE}/cancel`)
    assert.equal(confirm.status, 200)
    assert.match(confirm.html, /Cancel Lunch on Saturday\?/)
    assert.match(confirm.html, /Why is it cancelled\? \(optional\)/)
    assert.equal((await app.db.selectFrom('meetups').select('state').executeTakeFirstOrThrow()).state, 'scheduled', 'asking changes nothing')
    const tooLong = await host.post(`${PAGE}/cancel`, { reason: 'z'.repeat(1001) })
    assert.equal(tooLong.status, 400)
    assert.match(tooLong.html, /Write a reason of 1000 characters or fewer/)
    assert.equal((await app.db.selectFrom('meetups').select('state').executeTakeFirstOrThrow()).state, 'scheduled')

    assert.equal((await host.post(`${PAGE}/cancel`, { reason: 'The café flooded <sorry>.\r\nWe will find another date.' })).status, 303)
    await drain(app)
    const cancellations = smtp.received.slice(sent)
    assert.equal(cancellations.length, 2, 'the one going and the one waiting')
    const toAnn = mailTo(smtp, await emailOf(app, 'Ann')).at(-1)!
    assert.match(toAnn.mail.subject ?? '', /Cancelled: Lunch on Saturday/)
    assert.match(toAnn.mail.text ?? '', /The hosts said:\n\n> The café flooded <sorry>\.\n> We will find another date\./)
    assert.match(String(toAnn.mail.html), /The café flooded &lt;sorry&gt;\./)
    const cancelInvite = inviteOf(toAnn)!
    assert.equal(cancelInvite.method, 'CANCEL')

    const cancelled = await host.get(PAGE)
    assert.match(cancelled.html, /This meetup has been cancelled/)
    assert.doesNotMatch(cancelled.html, /The café flooded/, 'the reason is for the email, not the page')
    assert.match(cancelled.html, /You can put it back on until/)
    assert.doesNotMatch((await ann.get(PAGE)).html, /Undo the cancellation/, 'only hosts may')
    assert.equal((await ann.post(`${PAGE}/uncancel`, {})).status, 403)

    assert.equal((await host.post(`${PAGE}/uncancel`, {})).status, 303)
    await drain(app)
    const restored = smtp.received.slice(sent + 2)
    assert.equal(restored.length, 2)
    const backToAnn = restored.find((r) => r.envelopeTo.includes(toAnn.envelopeTo[0]!))!
    assert.match(backToAnn.mail.subject ?? '', /Back on: Lunch on Saturday/)
    const invite = inviteOf(backToAnn)!
    assert.equal(invite.method, 'REQUEST')
    assert.equal(invite.status, 'CONFIRMED')
    assert.equal(invite.uid, cancelInvite.uid)
    assert.ok(invite.sequence > cancelInvite.sequence, 'newer than the cancellation it replaces')
    const toBryn = restored.find((r) => r !== backToAnn)!
    assert.equal(inviteOf(toBryn)!.status, 'TENTATIVE', 'still waiting')
    assert.match(toBryn.mail.text ?? '', /You are still on the waiting list/)

    const back = await ann.get(PAGE)
    assert.doesNotMatch(back.html, /This meetup has been cancelled/)
    assert.match(back.html, /You’re going|You are going/)
    const feed = feedEvents((await ann.get(`${PAGE}/calendar.ics`)).html)
    assert.deepEqual([...feed.values()], [{ sequence: invite.sequence, status: 'CONFIRMED' }])
  })

  test('after 24 hours, or once it has started, a cancellation stands', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Hana Host')
    await createMeetup(host)
    await host.get(`${PAGE}/cancel`)
    assert.equal((await host.post(`${PAGE}/cancel`, { reason: '' })).status, 303)
    await app.db.updateTable('meetups').set({ cancelled_at: new Date(Date.now() - 25 * 3600 * 1000).toISOString() }).execute()
    const page = await host.get(PAGE)
    assert.doesNotMatch(page.html, /Undo the cancellation/)
    const refused = await host.post(`${PAGE}/uncancel`, {})
    assert.equal(refused.status, 409)
    assert.match(refused.html, /only be undone within 24 hours/)
    assert.equal((await app.db.selectFrom('meetups').select('state').executeTakeFirstOrThrow()).state, 'cancelled')
  })
})

describe('phase changes ask first', () => {
  test('the manage page’s buttons lead to a page that says what people will notice; only its button changes the phase', async (t) => {
    const app = await buildTestApp(t)
    const admin = await person(app, 'Site Admin')
    const org = await organiser(app, admin, 'Olu Organiser')
    await createEvent(org)
    const manage = await org.get('/events/ukgc27/manage')
    assert.match(manage.html, /<form method="get" action="\/events\/ukgc27\/phase"/)
    const confirm = await org.get('/events/ukgc27/phase?phase=proposals')
    assert.equal(confirm.status, 200)
    assert.match(confirm.html, /Move UKGovCamp 2027 to “Proposals open”\?/)
    assert.match(confirm.html, /Anyone can see the event, propose sessions/)
    assert.equal((await app.db.selectFrom('events').select('phase').executeTakeFirstOrThrow()).phase, 'draft', 'asking changes nothing')
    assert.equal((await org.get('/events/ukgc27/phase?phase=finished')).status, 303, 'no jumping phases')
    assert.equal((await org.post('/events/ukgc27/phase', { phase: 'proposals' })).status, 303)
    assert.equal((await app.db.selectFrom('events').select('phase').executeTakeFirstOrThrow()).phase, 'proposals')
    const publish = await org.get('/events/ukgc27/phase?phase=pitching')
    assert.match(publish.html, /Walk-up pitches and the pitch queue open/)
  })
})
