// The read-only JSON API and the Atom feeds of new proposals and new meetups: what they
// show, what they never show (emails, attendee names, drafts), and that feeds are well-formed.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { test } from 'node:test'
import { buildTestApp } from '../helpers/build-test-app.js'
import { createCommunity, person } from '../helpers/communities.js'
import { createEvent, organiser, propose, setPhase } from '../helpers/events.js'
import { createMeetup, rsvp } from '../helpers/meetups.js'
import { addRoom, gridIds, layOutDay, place } from '../helpers/schedule.js'

function wellFormed(xml: string): void {
  const run = spawnSync('xmllint', ['--noout', '-'], { input: xml, encoding: 'utf8' })
  if (run.error) throw new Error(`xmllint is needed (apt-get install libxml2-utils): ${run.error.message}`)
  assert.equal(run.status, 0, run.stderr)
}

test('the JSON API: communities, events, sessions and meetups, with nothing private in them', async (t) => {
  const app = await buildTestApp(t)
  const org = await organiser(app, await person(app, 'Admin'), 'Olu Organiser')
  await createCommunity(org)
  await createEvent(org, { communitySlug: 'lgovsm' })
  const draft = await app.inject({ url: '/api/events/ukgc27' })
  assert.equal(draft.statusCode, 404, 'a draft does not exist for the API')
  assert.match(String(draft.headers['content-type']), /^application\/json/)
  await setPhase(org, 'ukgc27', 'proposals')
  await addRoom(org, 'ukgc27', { name: 'Hall', capacity: '30' })
  await layOutDay(org, 'ukgc27')
  const id = await propose(org, 'ukgc27', 'Open data people can use')
  const { rooms, sessionSlots } = await gridIds(app, 'ukgc27')
  await place(org, 'ukgc27', id, sessionSlots[0]!, rooms.Hall!)
  assert.deepEqual((await app.inject({ url: '/api/events/ukgc27/sessions' })).json().sessions, [], 'no placements before publishing')
  await setPhase(org, 'ukgc27', 'pitching', 'published')

  const communities = await app.inject({ url: '/api/communities' })
  assert.equal(communities.headers['access-control-allow-origin'], '*')
  assert.deepEqual(communities.json().communities.map((c: { slug: string }) => c.slug), ['lgovsm'])
  const community = (await app.inject({ url: '/api/communities/lgovsm' })).json()
  assert.equal(community.hashtag, 'lgovsm')
  assert.equal(community.chat.upcoming.length, 10)
  assert.deepEqual(community.events.map((e: { slug: string }) => e.slug), ['ukgc27'])

  const event = (await app.inject({ url: '/api/events/ukgc27' })).json()
  assert.equal(event.schedulePublished, true)
  const sessions = (await app.inject({ url: '/api/events/ukgc27/sessions' })).json().sessions
  assert.equal(sessions.length, 1)
  assert.equal(sessions[0].title, 'Open data people can use')
  assert.equal(sessions[0].room, 'Hall')
  assert.equal(sessions[0].status, 'scheduled')
  assert.deepEqual(sessions[0].hosts, ['Olu Organiser'])

  assert.equal((await createMeetup(org, { title: 'Lunch', capacity: '1', attendeeVisibility: 'public' })).status, 303)
  const hidden = await person(app, 'Hidden Name Person')
  await hidden.get('/meetups/lunch')
  await rsvp(hidden, 'lunch')
  await hidden.post('/meetups/lunch/hide-name', { hidden: '1' })
  await rsvp(await person(app, 'Waiting Walter'), 'lunch')
  const meetup = await app.inject({ url: '/api/meetups/lunch' })
  const data = meetup.json()
  assert.equal(data.capacity, 1)
  assert.equal(data.seatsTaken, 1)
  assert.equal(data.waitlistLength, 1)
  for (const response of [communities, meetup, await app.inject({ url: '/api/communities/lgovsm' }), await app.inject({ url: '/api/events/ukgc27/sessions' })]) {
    assert.doesNotMatch(response.body, /@example\.org|Hidden Name Person|Waiting Walter/, 'no emails, no attendees')
  }
  assert.equal((await app.inject({ url: '/api/meetups/nope' })).statusCode, 404)
  const unknown = await app.inject({ url: '/api/no-such-thing', headers: { accept: 'text/html' } })
  assert.equal(unknown.statusCode, 404)
  assert.deepEqual(unknown.json(), { statusCode: 404, error: 'Page not found' }, 'the API answers in JSON whatever the client accepts')
})

test('Atom feeds of new proposals and new meetups are well-formed, escaped, and cached', async (t) => {
  const app = await buildTestApp(t)
  const org = await organiser(app, await person(app, 'Admin'), 'Olu Organiser')
  await createCommunity(org)
  await createEvent(org)
  await setPhase(org, 'ukgc27', 'proposals')
  await propose(org, 'ukgc27', 'First <b>bold</b> & co')
  await propose(org, 'ukgc27', 'Second')
  const feed = await org.get('/events/ukgc27/proposals.atom')
  assert.equal(feed.response.headers['content-type'], 'application/atom+xml; charset=utf-8')
  wellFormed(feed.html)
  assert.equal(feed.html.match(/<entry>/g)?.length, 2)
  assert.match(feed.html, /<title>First &lt;b&gt;bold&lt;\/b&gt; &amp; co<\/title>/)
  assert.match(feed.html, /<id>tag:localhost,2026:proposal-\d+<\/id>/)
  assert.match((await org.get('/events/ukgc27/proposals')).html, /<link rel="alternate" type="application\/atom\+xml"/)
  const etag = String(feed.response.headers.etag)
  assert.equal((await app.inject({ url: '/events/ukgc27/proposals.atom', headers: { 'if-none-match': etag } })).statusCode, 304)

  await createMeetup(org, { title: 'Lunch & learn', communitySlug: 'lgovsm' })
  const meetups = await org.get('/communities/lgovsm/meetups.atom')
  wellFormed(meetups.html)
  assert.match(meetups.html, /<title>Lunch &amp; learn<\/title>/)
})
