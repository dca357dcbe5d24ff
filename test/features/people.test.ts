import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildTestApp } from '../helpers/build-test-app.js'
import { Browser, signUp } from '../helpers/browser.js'

async function signedInPerson(app: Awaited<ReturnType<typeof buildTestApp>>, email: string, ip: string) {
  const browser = new Browser(app, ip)
  await signUp(browser, { displayName: email.split('@')[0]!, email, password: 'a long enough passphrase' })
  return browser
}

const validProfile = { displayName: 'Ann', handle: '', bio: '', xHandle: '', mastodonHandle: '', blueskyHandle: '' }

test('invalid handles get their own inline errors and keep what was typed', async (t) => {
  const app = await buildTestApp(t)
  const browser = await signedInPerson(app, 'ann@example.org', '10.1.0.1')
  const page = await browser.submit('/me/profile', '/me/profile', {
    ...validProfile,
    handle: '1abc',
    xHandle: '@this_handle_is_far_too_long',
    mastodonHandle: '@ann',
    blueskyHandle: 'not a domain',
  })
  assert.equal(page.status, 400)
  const links = [...page.html.matchAll(/<li><a href="#(\w+)">/g)].map((m) => m[1])
  assert.deepEqual(links, ['handle', 'xHandle', 'mastodonHandle', 'blueskyHandle'])
  assert.match(page.html, /Enter your full Mastodon address, like @name@mastodon\.social/)
  assert.match(page.html, /value="@this_handle_is_far_too_long"/)
  assert.match(page.html, /value="not a domain"/)
})

test('a handle someone else has is refused; an empty one is fine', async (t) => {
  const app = await buildTestApp(t)
  const ann = await signedInPerson(app, 'ann@example.org', '10.1.0.2')
  assert.equal((await ann.submit('/me/profile', '/me/profile', { ...validProfile, handle: 'ann' })).status, 303)
  const bryn = await signedInPerson(app, 'bryn@example.org', '10.1.0.3')
  const taken = await bryn.submit('/me/profile', '/me/profile', { ...validProfile, displayName: 'Bryn', handle: 'ANN' })
  assert.equal(taken.status, 400)
  assert.match(taken.html, /That profile address is taken/)
  const fine = await bryn.submit('/me/profile', '/me/profile', { ...validProfile, displayName: 'Bryn' })
  assert.equal(fine.status, 303)
  assert.equal(fine.location, '/people/2')
})

test('what people type is shown as text, never run as HTML', async (t) => {
  const app = await buildTestApp(t)
  const browser = await signedInPerson(app, 'ann@example.org', '10.1.0.4')
  await browser.submit('/me/profile', '/me/profile', {
    ...validProfile,
    displayName: '<script>alert(1)</script>',
    bio: '"><img src=x onerror=alert(1)>',
  })
  const page = await browser.get('/people/1')
  assert.doesNotMatch(page.html, /<script>alert/)
  assert.doesNotMatch(page.html, /<img src=x/)
  assert.match(page.html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/)
})

test('an unknown person is a 404 page', async (t) => {
  const app = await buildTestApp(t)
  const page = await new Browser(app).get('/people/nobody')
  assert.equal(page.status, 404)
  assert.match(page.html, /<h1>Page not found<\/h1>/)
})
