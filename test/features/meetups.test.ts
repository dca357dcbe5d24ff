import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { buildTestApp } from '../helpers/build-test-app.js'
import { Browser, acceptInvitations, text } from '../helpers/browser.js'
import { person } from '../helpers/communities.js'
import { cancelRsvp, createMeetup, daysFromNow, lunchForm, rsvp } from '../helpers/meetups.js'

type App = Awaited<ReturnType<typeof buildTestApp>>

async function statuses(app: App): Promise<Record<string, string>> {
  const rows = await app.db.selectFrom('rsvps as r').innerJoin('users as u', 'u.id', 'r.user_id').select(['u.display_name', 'r.status']).execute()
  return Object.fromEntries(rows.map((r) => [r.display_name, r.status]))
}

async function seatsTaken(app: App): Promise<number> {
  return (await app.db.selectFrom('meetups').select('seats_taken').executeTakeFirstOrThrow()).seats_taken
}

describe('meetups', () => {
  test('anyone signed in arranges a meetup; bad input is a 400 that keeps what was typed', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Olu')
    const past = await createMeetup(host, { startsAt: daysFromNow(-1, '12:00'), endsAt: daysFromNow(-1, '13:00') })
    assert.equal(past.status, 400)
    assert.match(past.html, /Enter a start in the future/)
    const lateClose = await createMeetup(host, { rsvpClosesAt: daysFromNow(11, '09:00') })
    assert.equal(lateClose.status, 400, 'replies cannot close after the meetup has started')
    const bad = await createMeetup(host, { capacity: '-5', maxPartySize: '50', endsAt: lunchForm.startsAt, title: 'Lunch <b>now</b>' })
    assert.equal(bad.status, 400)
    assert.match(bad.html, /Enter the number of seats as a whole number of 1 or more/)
    assert.match(bad.html, /Enter the largest party as a number from 1 to 20/)
    assert.match(bad.html, /after the start/)
    assert.match(bad.html, /value="-5"/)
    assert.match(bad.html, /value="Lunch &lt;b&gt;now&lt;\/b&gt;"/)
    assert.equal(await app.db.selectFrom('meetups').select('id').executeTakeFirst(), undefined)

    const made = await createMeetup(host)
    assert.equal(made.status, 303)
    assert.equal(made.location, '/meetups/lunch-on-saturday')
    const page = await new Browser(app, '10.90.0.1').get('/meetups/lunch-on-saturday')
    assert.match(page.html, /<h1>Lunch on Saturday<\/h1>/)
    assert.match(page.html, /3 seats left/)
    assert.match(text(page.html), /12:30–13:30 (Greenwich Mean Time|British Summer Time)/)
  })

  test('seats go first come, first served; the waitlist says where you are; a cancellation promotes the next at once', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Host')
    await createMeetup(host, { capacity: '2' })
    const [ann, bryn, cat, dai] = await Promise.all(['Ann', 'Bryn', 'Cat', 'Dai'].map((n) => person(app, n)))
    for (const who of [ann!, bryn!]) assert.equal((await rsvp(who, 'lunch-on-saturday')).status, 303)
    await rsvp(cat!, 'lunch-on-saturday')
    assert.match((await cat!.get('/meetups/lunch-on-saturday')).html, /on the waitlist: number 1/)
    await rsvp(dai!, 'lunch-on-saturday')
    assert.match((await dai!.get('/meetups/lunch-on-saturday')).html, /You are number 2 on the waitlist/)
    assert.match((await new Browser(app, '10.90.1.1').get('/meetups/lunch-on-saturday')).html, /No seats left · 2 people waiting/)

    await cancelRsvp(ann!, 'lunch-on-saturday')
    assert.deepEqual(await statuses(app), { Ann: 'not_going', Bryn: 'going', Cat: 'going', Dai: 'waitlisted' })
    assert.match((await dai!.get('/meetups/lunch-on-saturday')).html, /You are number 1 on the waitlist/)
    assert.equal(await seatsTaken(app), 2)
  })

  test('the same answer again (a double tap) changes nothing: the seat, the place in line, the version, no second email; still refused once cancelled', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Host')
    await createMeetup(host, { capacity: '1' })
    const [ann, bryn] = await Promise.all(['Ann', 'Bryn'].map((n) => person(app, n)))
    await rsvp(ann!, 'lunch-on-saturday')
    await rsvp(bryn!, 'lunch-on-saturday')
    const state = async () => ({
      meetup: await app.db.selectFrom('meetups').select(['seats_taken', 'rsvp_version']).executeTakeFirstOrThrow(),
      rsvps: await app.db.selectFrom('rsvps').selectAll().orderBy('id').execute(),
      emails: (await app.db.selectFrom('outbox').select('id').execute()).length,
    })
    const before = await state()
    for (let i = 0; i < 2; i++) {
      assert.equal((await rsvp(ann!, 'lunch-on-saturday')).status, 303)
      assert.match((await ann!.get('/meetups/lunch-on-saturday')).html, /You are going\. See you there\./)
      assert.equal((await rsvp(bryn!, 'lunch-on-saturday')).status, 303)
      assert.match((await bryn!.get('/meetups/lunch-on-saturday')).html, /on the waitlist: number 1/)
    }
    assert.deepEqual(await state(), before)
    // A changed answer still goes the long way: a party of one giving up frees the seat for Bryn.
    await cancelRsvp(ann!, 'lunch-on-saturday')
    assert.deepEqual(await statuses(app), { Ann: 'not_going', Bryn: 'going' })
    await host.submit('/meetups/lunch-on-saturday', '/meetups/lunch-on-saturday/cancel', {})
    const refused = await rsvp(bryn!, 'lunch-on-saturday')
    assert.equal(refused.status, 409)
    assert.match(text(refused.html), /has been cancelled, so it takes no replies/)
  })

  test('a smaller party and a raised capacity free seats and promote at once; parties that do not fit are skipped, not dropped', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Host')
    await createMeetup(host, { capacity: '4', maxPartySize: '3' })
    const [ann, bryn, cat, dai] = await Promise.all(['Ann', 'Bryn', 'Cat', 'Dai'].map((n) => person(app, n)))
    await rsvp(ann!, 'lunch-on-saturday', 3) // 3 of 4 seats
    await rsvp(bryn!, 'lunch-on-saturday', 2) // does not fit: waitlist 1
    await rsvp(cat!, 'lunch-on-saturday', 1) // fits the last seat
    await rsvp(dai!, 'lunch-on-saturday', 1) // full: waitlist 2
    assert.deepEqual(await statuses(app), { Ann: 'going', Bryn: 'waitlisted', Cat: 'going', Dai: 'waitlisted' })

    // Ann comes with one fewer: one seat frees; Bryn (2) does not fit, Dai (1) does.
    await rsvp(ann!, 'lunch-on-saturday', 2)
    assert.deepEqual(await statuses(app), { Ann: 'going', Bryn: 'waitlisted', Cat: 'going', Dai: 'going' })
    assert.equal(await seatsTaken(app), 4)

    // The host adds two seats: Bryn's party of two moves up.
    const form = await host.get('/meetups/lunch-on-saturday/edit')
    assert.match(form.html, /name="capacity" type="text" value="4"/)
    const lowered = await host.post('/meetups/lunch-on-saturday/edit', { ...lunchForm, capacity: '2' })
    assert.equal(lowered.status, 400, 'fewer seats than are taken is refused')
    assert.match(lowered.html, /4 seats are already taken/)
    await host.get('/meetups/lunch-on-saturday/edit')
    assert.equal((await host.post('/meetups/lunch-on-saturday/edit', { ...lunchForm, capacity: '6' })).status, 303)
    assert.deepEqual(await statuses(app), { Ann: 'going', Bryn: 'going', Cat: 'going', Dai: 'going' })
    assert.equal(await seatsTaken(app), 6)

    // Growing a party past the seats left is refused; the seat already held is kept.
    const grown = await rsvp(cat!, 'lunch-on-saturday', 3)
    assert.equal(grown.status, 409)
    assert.match(text(grown.html), /Your party can have at most 1 seat now: it stays as it was/)
    assert.equal(await seatsTaken(app), 6)
  })

  test('a full meetup offers its waiting list, and a party too big for the seats left is offered them', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Hana Host')
    await createMeetup(host, { capacity: '3', maxPartySize: '3' })
    const slug = 'lunch-on-saturday'
    const ann = await person(app, 'Ann')
    assert.match(text((await ann.get(`/meetups/${slug}`)).html), /I’m going/)
    await rsvp(ann, slug, 2)
    // One seat left, Bryn asks for three: waiting, told why, and offered the one seat.
    const bryn = await person(app, 'Bryn')
    await rsvp(bryn, slug, 3)
    const waiting = await bryn.get(`/meetups/${slug}`)
    assert.match(text(waiting.html), /Only 1 seat is left, fewer than your party, so you are on the waitlist: number 1\. You can come as 1 instead/)
    assert.match(text(waiting.html), /1 seat is free, but your party is 3\. Come as 1\?/)
    // Cai, behind Bryn in the queue, is not offered Bryn's seat.
    const cai = await person(app, 'Cai')
    await rsvp(cai, slug, 3)
    const behind = text((await cai.get(`/meetups/${slug}`)).html)
    assert.match(behind, /There are not enough seats left, so you are on the waitlist: number 2\./, 'told plainly where they stand')
    assert.doesNotMatch(behind, /Come as 1|You can come as/)
    // Bryn takes it: going, as one.
    await bryn.get(`/meetups/${slug}`)
    const took = await bryn.post(`/meetups/${slug}/rsvp`, { going: 'yes', partySize: '1' })
    assert.equal(took.status, 303)
    const row = await app.db.selectFrom('rsvps').innerJoin('users', 'users.id', 'rsvps.user_id').select(['status', 'party_size']).where('users.display_name', '=', 'Bryn').executeTakeFirstOrThrow()
    assert.deepEqual(row, { status: 'going', party_size: 1 })
    // Now full: the button says what it does.
    const dee = await person(app, 'Dee')
    const full = text((await dee.get(`/meetups/${slug}`)).html)
    assert.match(full, /Join the waiting list/)
    assert.doesNotMatch(full, /I’m going/)
    assert.match(text((await dee.get(`/meetups/${slug}?lang=cy`)).html), /Ymuno â’r rhestr aros/)
  })

  test('a time the clocks skip is refused, naming the jump; a time they show twice says which it took', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Hana Host')
    const gap = await createMeetup(host, { title: 'Night owls', startsAt: '2027-03-28T01:30', endsAt: '2027-03-28T03:00' })
    assert.equal(gap.status, 400)
    assert.match(text(gap.html), /On 2027-03-28 the clocks in Europe\/London go forward from 01:00 to 02:00, so 01:30 does not happen that day\. Choose a time before 01:00, or from 02:00/)
    assert.match(gap.html, /value="2027-03-28T01:30"/, 'what was typed comes back')
    assert.equal(await app.db.selectFrom('meetups').select('id').executeTakeFirst(), undefined)
    const twice = await createMeetup(host, { title: 'Night owls', startsAt: '2027-10-31T01:30', endsAt: '2027-10-31T03:00' })
    assert.equal(twice.status, 303)
    const page = text((await host.get(twice.location!)).html)
    assert.match(page, /The clocks go back that night, so that time happens twice: the meetup is at the first, Sunday, 31 October 2027 at 01:30 British Summer Time/)
    const row = await app.db.selectFrom('meetups').select(['starts_at', 'ends_at']).executeTakeFirstOrThrow()
    assert.deepEqual(row, { starts_at: '2027-10-31T00:30:00.000Z', ends_at: '2027-10-31T03:00:00.000Z' })
  })

  test('the meetup page links to its community, and each form has its own hints', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Hana Host')
    const { createCommunity } = await import('../helpers/communities.js')
    await createCommunity(host)
    await createMeetup(host, { communitySlug: 'lgovsm' })
    const page = await host.get('/meetups/lunch-on-saturday')
    assert.match(page.html, /Part of <a href="\/communities\/lgovsm">Local gov social media<\/a>/)
    assert.match((await host.get('/meetups/lunch-on-saturday?lang=cy')).html, /Yn rhan o <a href="\/communities\/lgovsm">/)
    for (const form of ['/meetups/new', '/events/new', '/communities/new']) {
      const html = (await host.get(form)).html
      if (form === '/communities/new') assert.match(text(html), /how the chat works/)
      else assert.doesNotMatch(text(html), /how the chat works|The chat’s times/, `${form} has its own hints`)
    }
  })

  test('refusals say why and change nothing: window, cancelled, past, party size', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Host')
    const ann = await person(app, 'Ann')
    await createMeetup(host, { slug: 'later', rsvpOpensAt: daysFromNow(3, '09:00') })
    await createMeetup(host, { slug: 'closed', rsvpClosesAt: daysFromNow(-1, '09:00'), rsvpOpensAt: daysFromNow(-2, '09:00') })
    // A meetup cannot be created in the past; this one was made earlier and time moved on.
    await createMeetup(host, { slug: 'gone' })
    await app.db.updateTable('meetups').set({ starts_at: new Date(Date.now() - 3 * 86400000).toISOString(), ends_at: new Date(Date.now() - 3 * 86400000 + 3600000).toISOString() }).where('slug', '=', 'gone').execute()
    await createMeetup(host, { slug: 'solo', maxPartySize: '1' })
    await createMeetup(host, { slug: 'off' })
    await host.submit('/meetups/off', '/meetups/off/cancel', {})

    const expectations: [string, number, RegExp][] = [
      ['later', 1, /Replies for this meetup have not opened yet/],
      ['closed', 1, /Replies for this meetup have closed/],
      ['gone', 1, /already started/],
      ['solo', 2, /takes parties of 1 only/],
      ['off', 1, /has been cancelled, so it takes no replies/],
    ]
    for (const [slug, party, message] of expectations) {
      const page = await rsvp(ann, slug, party)
      assert.equal(page.status, 409, slug)
      assert.match(text(page.html), message)
    }
    assert.equal((await app.db.selectFrom('rsvps').select('id').execute()).length, 0)
    // The page says so up front, without a form that would only be refused.
    const later = await ann.get('/meetups/later')
    assert.match(later.html, /Replies for this meetup have not opened yet/)
    assert.doesNotMatch(later.html, /name="going" value="yes"/)
    const off = await ann.get('/meetups/off')
    assert.match(off.html, /This meetup has been cancelled\. It is not happening\./)
  })

  test('cancelling a meetup keeps the RSVPs; only hosts can cancel, edit or export', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Host')
    const ann = await person(app, 'Ann')
    await createMeetup(host)
    await rsvp(ann, 'lunch-on-saturday', 2)
    await ann.get('/meetups/lunch-on-saturday')
    assert.equal((await ann.post('/meetups/lunch-on-saturday/cancel', {})).status, 403)
    assert.equal((await ann.get('/meetups/lunch-on-saturday/edit')).status, 403)
    assert.equal((await ann.get('/meetups/lunch-on-saturday/attendees.csv')).status, 403)
    await host.submit('/meetups/lunch-on-saturday', '/meetups/lunch-on-saturday/cancel', {})
    assert.deepEqual(await statuses(app), { Ann: 'going' })
    assert.equal((await app.db.selectFrom('meetups').select('state').executeTakeFirstOrThrow()).state, 'cancelled')
  })

  test('who can see who is going: public, attendees only, hosts only, and hidden names; never emails', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Host')
    const [ann, bryn] = await Promise.all(['Ann Visible', 'Bryn Hidden'].map((n) => person(app, n)))
    const outsider = await person(app, 'Outsider')
    const anonymous = new Browser(app, '10.91.0.1')
    for (const [slug, visibility] of [['pub', 'public'], ['att', 'attendees'], ['hst', 'hosts']] as const) {
      await createMeetup(host, { slug, attendeeVisibility: visibility })
      await rsvp(ann!, slug)
      await rsvp(bryn!, slug, 2)
      await bryn!.submit(`/meetups/${slug}`, `/meetups/${slug}/hide-name`, { hide: '1' })
    }
    const sees = async (who: Browser, slug: string) => {
      // The page's own content, not the header (where a signed-in person sees their own name).
      const html = /<main[\s\S]*<\/main>/.exec((await who.get(`/meetups/${slug}`)).html)![0]
      return { ann: html.includes('Ann Visible'), bryn: html.includes('Bryn Hidden'), email: /@example\.org/.test(html) }
    }
    assert.deepEqual(await sees(anonymous, 'pub'), { ann: true, bryn: false, email: false })
    assert.match((await anonymous.get('/meetups/pub')).html, /and 1 person who chose not to be named/)
    assert.deepEqual(await sees(outsider, 'att'), { ann: false, bryn: false, email: false })
    assert.deepEqual(await sees(ann!, 'att'), { ann: true, bryn: false, email: false })
    assert.deepEqual(await sees(bryn!, 'att'), { ann: true, bryn: true, email: false }, 'you always see yourself')
    assert.deepEqual(await sees(ann!, 'hst'), { ann: false, bryn: false, email: false })
    assert.deepEqual(await sees(host, 'hst'), { ann: true, bryn: true, email: false })
  })

  test('the hosts’ CSV matches the database, and is safe to open in a spreadsheet', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Host')
    await createMeetup(host, { capacity: '2' })
    const [ann, bryn, cat] = await Promise.all(['Ann', '=HYPERLINK("x")', 'Cat "the cat"'].map((n) => person(app, n)))
    await rsvp(ann!, 'lunch-on-saturday', 2)
    await rsvp(bryn!, 'lunch-on-saturday', 1)
    await rsvp(cat!, 'lunch-on-saturday', 1)
    await cancelRsvp(cat!, 'lunch-on-saturday')
    const csv = await host.get('/meetups/lunch-on-saturday/attendees.csv')
    assert.equal(csv.status, 200)
    assert.match(csv.response.headers['content-type'] as string, /^text\/csv/)
    assert.match(csv.response.headers['content-disposition'] as string, /attachment; filename="lunch-on-saturday-attendees\.csv"/)
    const lines = csv.html.trim().split('\r\n')
    assert.equal(lines[0], '"Name","Handle","Party size","Status","Replied at (UTC)"')
    const rows = await app.db
      .selectFrom('rsvps as r')
      .innerJoin('users as u', 'u.id', 'r.user_id')
      .select(['u.display_name', 'r.party_size', 'r.status', 'r.updated_at'])
      .where('r.status', '!=', 'not_going')
      .orderBy('r.status')
      .orderBy('r.seq')
      .execute()
    assert.equal(lines.length - 1, rows.length)
    assert.equal(lines[1], `"Ann","","2","Going","${rows[0]!.updated_at}"`)
    assert.equal(lines[2], `"'=HYPERLINK(""x"")","","1","Waitlisted","${rows[1]!.updated_at}"`)
    assert.ok(!csv.html.includes('Cat'), 'people not going are not in it')
    assert.ok(!csv.html.includes('@example.org'), 'no emails')
  })

  test('a meetup can be listed only on a community its creator belongs to', async (t) => {
    const app = await buildTestApp(t)
    const { createCommunity } = await import('../helpers/communities.js')
    await createCommunity(await person(app, 'Community Host'))
    const stranger = await person(app, 'Stranger')
    const page = await createMeetup(stranger, { communitySlug: 'lgovsm' })
    assert.equal(page.status, 400)
    assert.match(page.html, /Choose a community from the list/)
    await stranger.submit('/communities/lgovsm', '/communities/lgovsm/join', {})
    assert.equal((await createMeetup(stranger, { communitySlug: 'lgovsm' })).status, 303)
  })

  test('a co-host outside the community can still edit; a cancelled meetup cannot be edited; a seat freed after the start promotes nobody', async (t) => {
    const app = await buildTestApp(t)
    const { createCommunity } = await import('../helpers/communities.js')
    const host = await person(app, 'Host')
    await createCommunity(host)
    await createMeetup(host, { communitySlug: 'lgovsm', capacity: '1' })
    const cohost = await person(app, 'Cohost')
    await app.db.updateTable('users').set({ handle: 'cohost' }).where('display_name', '=', 'Cohost').execute()
    await host.submit('/meetups/lunch-on-saturday', '/meetups/lunch-on-saturday/hosts', { who: '@cohost' })
    await acceptInvitations(cohost)
    const edited = await cohost.submit('/meetups/lunch-on-saturday/edit', '/meetups/lunch-on-saturday/edit', { ...lunchForm, communitySlug: 'lgovsm', capacity: '1', title: 'Lunch, renamed' })
    assert.equal(edited.status, 303, 'the link the meetup already has stays allowed')

    const [ann, bryn] = await Promise.all(['Ann', 'Bryn'].map((n) => person(app, n)))
    await rsvp(ann!, 'lunch-on-saturday')
    await rsvp(bryn!, 'lunch-on-saturday')
    assert.deepEqual(await statuses(app), { Ann: 'going', Bryn: 'waitlisted' })
    // The lunch has started: Ann leaving does not hand her seat to Bryn after the fact.
    await app.db.updateTable('meetups').set({ starts_at: new Date(Date.now() - 3600000).toISOString() }).execute()
    await cancelRsvp(ann!, 'lunch-on-saturday')
    assert.deepEqual(await statuses(app), { Ann: 'not_going', Bryn: 'waitlisted' })

    await app.db.updateTable('meetups').set({ starts_at: new Date(Date.now() + 86400000).toISOString(), ends_at: new Date(Date.now() + 90000000).toISOString() }).execute()
    await host.submit('/meetups/lunch-on-saturday', '/meetups/lunch-on-saturday/cancel', {})
    await host.get('/meetups/lunch-on-saturday/edit')
    const refused = await host.post('/meetups/lunch-on-saturday/edit', { ...lunchForm, communitySlug: 'lgovsm', capacity: '10' })
    assert.equal(refused.status, 409)
    assert.match(text(refused.html), /cancelled, so it cannot be changed/)
    assert.deepEqual(await statuses(app), { Ann: 'not_going', Bryn: 'waitlisted' }, 'nobody moved into a cancelled meetup')
  })

  test('my meetups on /me', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Host')
    const ann = await person(app, 'Ann')
    await createMeetup(host, { capacity: '1' })
    await createMeetup(host, { slug: 'second', title: 'Second lunch' })
    await rsvp(host, 'lunch-on-saturday')
    await rsvp(ann, 'lunch-on-saturday')
    const mine = await ann.get('/me')
    assert.match(mine.html, /Lunch on Saturday<\/a>[^<]*<span class="tag">On the waitlist/)
    assert.doesNotMatch(mine.html, /Second lunch/)
    const hosts = await host.get('/me')
    assert.match(hosts.html, /Lunch on Saturday<\/a>[^<]*<span class="tag">Going/)
    assert.match(hosts.html, /Second lunch<\/a>[^<]*<span class="tag">Hosting/)
  })
})
