import assert from 'node:assert/strict'
import { test } from 'node:test'
import { seedDemoIfEmpty } from '../../src/features/demo/demo.seed.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { Browser, signIn } from '../helpers/browser.js'

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

  assert.deepEqual(await seedDemoIfEmpty(app.db, new Date()), [], 'a site with people is never seeded again')

  // A second seed run makes different passwords: none is fixed in code.
  const other = await buildTestApp(t)
  const again = await seedDemoIfEmpty(other.db, new Date())
  assert.notEqual(again.find((l) => l.email === organiser.email)!.password, organiser.password)
})
