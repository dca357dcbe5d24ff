import assert from 'node:assert/strict'
import { test } from 'node:test'
import { seedDemoIfEmpty } from '../../src/features/demo/demo.seed.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { Browser, signIn, text } from '../helpers/browser.js'

test('the demo seeds labelled people with random passwords that sign in, once', async (t) => {
  const app = await buildTestApp(t)
  const logins = await seedDemoIfEmpty(app.db, new Date())
  assert.ok(logins.length >= 3)
  const organiser = logins.find((l) => l.role.includes('organiser'))!
  assert.ok(organiser, 'there is a demo organiser')
  assert.equal(new Set(logins.map((l) => l.password)).size, logins.length, 'every password differs')
  for (const login of logins) assert.ok(login.password.length >= 16)

  const browser = new Browser(app)
  assert.equal((await signIn(browser, organiser.email, organiser.password)).status, 303)
  assert.equal((await browser.get('/admin/people')).status, 200, 'the demo organiser is the site admin')
  assert.match((await browser.get('/people/olu')).html, /\(demo\)/)
  // The demo's first emails, sent into data/mail as the running app's worker would.
  while ((await app.outbox.worker.runOnce()) > 0) {
    // next round
  }
  const mail = text((await browser.get('/dev/mail')).html)
  assert.match(mail, /You’re going to Lunch on Saturday at the unconference \(demo\)/)
  assert.match(mail, /You’re on the waiting list for Lunch on Saturday/)

  const community = await browser.get('/communities/lgovsm')
  assert.equal(community.status, 200)
  assert.match(community.html, /\(demo\)/)
  assert.match(community.html, /Every Wednesday at 20:00/)
  assert.match(community.html, /Crisis comms when the floods come/, 'the next chat has its topic')
  const topics = await browser.get('/communities/lgovsm/topics')
  assert.ok([...topics.html.matchAll(/class="topic__title"/g)].length >= 8, 'a dozen topics, most still open')
  assert.match(topics.html, /\d votes/)
  const chats = await browser.get('/communities/lgovsm/chats')
  assert.equal([...chats.html.matchAll(/chat chat--past/g)].length, 3, 'three chats in the archive')

  const event = await browser.get('/events/lgovcamp')
  assert.equal(event.status, 200)
  assert.match(event.html, /LocalGovCamp London \(demo\)/)
  assert.match(event.html, /Saturday, \d{1,2} January \d{4}/)
  assert.match((await browser.get('/communities/lgovsm')).html, /href="\/events\/lgovcamp"/, 'the community lists its event')
  const proposals = await browser.get('/events/lgovcamp/proposals')
  assert.equal([...proposals.html.matchAll(/class="topic__title"/g)].length, 43, '40 proposals and 3 walk-up pitches')
  const voters = await app.db.selectFrom('proposal_votes').select('user_id').distinct().execute()
  assert.ok(voters.length >= 140, 'about 150 people voted')
  assert.match((await browser.get('/events/lgovcamp/manage')).html, /Lightning round: one tool I love/)
  // The published grid: twelve rooms, a welcome, five sessions with breaks and lunch, every proposal placed.
  const schedule = await browser.get('/events/lgovcamp/schedule')
  assert.equal(schedule.status, 200)
  const wide = schedule.html.slice(schedule.html.indexOf('class="grid-wide'), schedule.html.indexOf('class="grid-narrow'))
  assert.equal([...wide.matchAll(/<th scope="col">/g)].length, 13, 'a time column and 12 rooms')
  assert.match(wide, /Great Hall[\s\S]*The Snug/)
  assert.match(wide, /09:30–10:00[\s\S]*Welcome and pitches/)
  assert.equal([...wide.matchAll(/grid__row--session/g)].length, 5)
  assert.equal([...wide.matchAll(/grid__row--break/g)].length, 3)
  assert.equal([...wide.matchAll(/grid__row--lunch/g)].length, 1)
  assert.equal([...wide.matchAll(/class="session__title"/g)].length, 40, 'all 40 proposals are on the grid')
  const editor = await browser.get('/events/lgovcamp/schedule/edit')
  assert.match(editor.html, /The schedule is published/)
  assert.match(editor.html, /Not on the grid yet: 3 sessions/, 'the walk-up pitches wait to be placed')
  // The voters exist to vote: nobody can sign in as one.
  assert.equal((await signIn(new Browser(app, '10.80.0.1'), 'voter1@demo.example.org', 'demo-voter-cannot-sign-in')).status, 400)

  const lunch = await browser.get('/meetups/unconference-lunch')
  assert.equal(lunch.status, 200)
  assert.match(lunch.html, /No seats left · 3 people waiting/)
  assert.match(lunch.html, /and 1 guest/, 'one party of two')
  assert.match((await browser.get('/events/lgovcamp')).html, /href="\/meetups\/unconference-lunch"/, 'the event lists its lunch')
  assert.match((await browser.get('/communities/lgovsm')).html, /href="\/meetups\/unconference-lunch"/)
  // The hosts ask about dietary and access needs: their answers are on the host's page, and
  // the questions on the reply form of someone going who has not answered yet (Ann).
  assert.match(text(lunch.html), /Answers to your questions[\s\S]*Vegetarian, and my guest is vegan[\s\S]*No nuts, please \(allergy\)[\s\S]*I use a wheelchair: a table near the door, please/)
  const ann = new Browser(app, '10.80.0.2')
  assert.equal((await signIn(ann, 'ann@example.org', logins.find((l) => l.email === 'ann@example.org')!.password)).status, 303)
  const annLunch = text((await ann.get('/meetups/unconference-lunch')).html)
  assert.match(annLunch, /The hosts ask[\s\S]*Any dietary needs\? We will pass them on to the café\.[\s\S]*Any access needs we should know about\?/)
  assert.doesNotMatch(annLunch, /Vegetarian|wheelchair/, 'only the hosts read the answers')

  assert.deepEqual(await seedDemoIfEmpty(app.db, new Date()), [], 'a site with people is never seeded again')
  assert.equal((await app.db.selectFrom('meetup_questions').select('id').execute()).length, 2, 'and its questions are not asked twice')

  // A second seed run makes different passwords: none is fixed in code.
  const other = await buildTestApp(t)
  const again = await seedDemoIfEmpty(other.db, new Date())
  assert.notEqual(again.find((l) => l.email === organiser.email)!.password, organiser.password)
})
