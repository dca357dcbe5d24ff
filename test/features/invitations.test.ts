// Nobody is named without saying yes: a co-host of a proposal or meetup, or a co-organiser of
// an event, is invited and shown only once they accept; a meetup listed on someone else's
// event waits for that event's organisers.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { buildTestApp } from '../helpers/build-test-app.js'
import { Browser, acceptInvitations, text } from '../helpers/browser.js'
import { person } from '../helpers/communities.js'
import { createEvent, organiser, propose, setPhase } from '../helpers/events.js'
import { createMeetup } from '../helpers/meetups.js'

/** The page's text without its tags, spaces folded. */
const plain = (html: string) => text(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ')

async function withHandle(app: Awaited<ReturnType<typeof buildTestApp>>, name: string, handle: string): Promise<Browser> {
  const browser = await person(app, name)
  await app.db.updateTable('users').set({ handle }).where('display_name', '=', name).execute()
  return browser
}

describe('invitations to host', () => {
  test('a co-host of a proposal is invited, shown only after accepting, and may decline without anyone being told why', async (t) => {
    const app = await buildTestApp(t)
    const org = await organiser(app, await person(app, 'Site Admin'), 'Olu Organiser')
    await createEvent(org)
    await setPhase(org, 'ukgc27', 'proposals')
    const ann = await person(app, 'Ann')
    const id = await propose(ann, 'ukgc27', 'Plain English')
    const bryn = await withHandle(app, 'Bryn Named', 'bryn')
    const cat = await withHandle(app, 'Cat Named', 'cat')
    for (const who of ['@bryn', '@cat']) {
      await ann.get(`/events/ukgc27/proposals/${id}`)
      const invited = await ann.post(`/events/ukgc27/proposals/${id}/hosts`, { who })
      assert.equal(invited.status, 303)
    }
    const proposer = text((await ann.get(`/events/ukgc27/proposals/${id}`)).html)
    assert.match(proposer, /has been invited\. They are shown once they accept/)
    assert.match(proposer, /Invited, waiting for them to accept: Bryn Named, Cat Named/)
    const publicPage = await app.inject(`/events/ukgc27/proposals/${id}`)
    assert.doesNotMatch(publicPage.body, /Bryn Named|Cat Named/, 'not named anywhere public before saying yes')
    assert.equal((await app.db.selectFrom('proposal_hosts').select('user_id').execute()).length, 0)

    // Bryn sees it on his own page, and says yes; Cat says no.
    const mine = await bryn.get('/me')
    assert.match(plain(mine.html), /Ann invited you to co-host the session Plain English/)
    assert.equal(await acceptInvitations(bryn), 1)
    assert.match(text((await bryn.get('/me')).html), /Thank you: you are now shown as a host\./)
    await cat.get('/me')
    const catInvite = /action="\/me\/invitations\/(\d+)"/.exec((await cat.get('/me')).html)![1]!
    // Nobody else can answer Cat's invitation.
    await bryn.get('/me')
    assert.equal((await bryn.post(`/me/invitations/${catInvite}`, { answer: 'accept' })).status, 404)
    await cat.get('/me')
    assert.equal((await cat.post(`/me/invitations/${catInvite}`, { answer: 'decline' })).status, 303)

    const after = (await app.inject(`/events/ukgc27/proposals/${id}`)).body
    assert.match(after, /Bryn Named/)
    assert.doesNotMatch(after, /Cat Named/)
    assert.doesNotMatch(text((await ann.get(`/events/ukgc27/proposals/${id}`)).html), /waiting for them to accept/)
    assert.doesNotMatch((await cat.get('/me')).html, /invitations\//, 'nothing left to answer')
    // In Welsh too.
    const dai = await withHandle(app, 'Dai', 'dai')
    await ann.get(`/events/ukgc27/proposals/${id}`)
    await ann.post(`/events/ukgc27/proposals/${id}/hosts`, { who: '@dai' })
    assert.match(plain((await dai.get('/me?lang=cy')).html), /Mae Ann wedi’ch gwahodd i gyd-gynnal y sesiwn Plain English/)
  })

  test('a meetup co-host and an event co-organiser are invited too, and get no rights before accepting', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Hana Host')
    await createMeetup(host)
    const cohost = await withHandle(app, 'Cohost', 'cohost')
    await host.submit('/meetups/lunch-on-saturday', '/meetups/lunch-on-saturday/hosts', { who: '@cohost' })
    assert.doesNotMatch((await app.inject('/meetups/lunch-on-saturday')).body, />Cohost</)
    assert.equal((await cohost.get('/meetups/lunch-on-saturday/edit')).status, 403, 'no rights yet')
    assert.equal(await acceptInvitations(cohost), 1)
    assert.match((await app.inject('/meetups/lunch-on-saturday')).body, />Cohost</)
    assert.equal((await cohost.get('/meetups/lunch-on-saturday/edit')).status, 200)
  })
})

describe('meetups listed on an event', () => {
  test('a meetup on someone else’s event waits for its organisers; approved it is listed, declined it is untied', async (t) => {
    const app = await buildTestApp(t)
    const org = await organiser(app, await person(app, 'Site Admin'), 'Olu Organiser')
    await createEvent(org)
    await setPhase(org, 'ukgc27', 'proposals')
    const ann = await person(app, 'Ann')
    assert.equal((await createMeetup(ann, { title: 'Ann’s lunch', eventSlug: 'ukgc27' })).status, 303)
    assert.equal((await createMeetup(ann, { title: 'Ann’s dinner', eventSlug: 'ukgc27' })).status, 303)
    assert.doesNotMatch((await app.inject('/events/ukgc27')).body, /Ann’s lunch|Ann’s dinner/, 'not on the event before approval')
    assert.match(text((await ann.get('/meetups/ann-s-lunch')).html), /Waiting for the organisers of UKGovCamp 2027 to approve listing this meetup/)
    assert.doesNotMatch((await app.inject('/meetups/ann-s-lunch')).body, /Part of <a href="\/events/, 'not claimed as part of it either')

    const manage = await org.get('/events/ukgc27/manage')
    assert.match(text(manage.html), /Meetups asking to be listed/)
    const ids = Object.fromEntries((await app.db.selectFrom('meetups').select(['id', 'slug']).execute()).map((m) => [m.slug, m.id]))
    // Only the event's organisers may answer.
    await ann.get('/meetups')
    assert.equal((await ann.post(`/events/ukgc27/meetups/${ids['ann-s-lunch']}/listing`, { answer: 'approve' })).status, 403)
    await org.get('/events/ukgc27/manage')
    assert.equal((await org.post(`/events/ukgc27/meetups/${ids['ann-s-lunch']}/listing`, { answer: 'approve' })).status, 303)
    await org.get('/events/ukgc27/manage')
    assert.equal((await org.post(`/events/ukgc27/meetups/${ids['ann-s-dinner']}/listing`, { answer: 'decline' })).status, 303)
    const event = (await app.inject('/events/ukgc27')).body
    assert.match(event, /Ann’s lunch/)
    assert.doesNotMatch(event, /Ann’s dinner/)
    assert.match((await app.inject('/meetups/ann-s-lunch')).body, /Part of <a href="\/events\/ukgc27">UKGovCamp 2027<\/a>/)
    assert.equal((await app.db.selectFrom('meetups').select('event_id').where('slug', '=', 'ann-s-dinner').executeTakeFirstOrThrow()).event_id, null)
    // An organiser's own meetup is listed at once.
    await createMeetup(org, { title: 'Organisers’ drinks', eventSlug: 'ukgc27' })
    assert.match((await app.inject('/events/ukgc27')).body, /Organisers’ drinks/)
  })
})
