import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildTestApp } from '../helpers/build-test-app.js'
import { Browser, signUp } from '../helpers/browser.js'

test('a POST without a CSRF token, or with a wrong one, is refused with a 403 page and changes nothing', async (t) => {
  const app = await buildTestApp(t)
  const browser = new Browser(app)
  await browser.get('/sign-up')
  const fields = { displayName: 'Ann', email: 'ann@example.org', password: 'a long enough passphrase' }
  const missing = await browser.post('/sign-up', fields, { csrf: null })
  assert.equal(missing.status, 403)
  assert.match(missing.html, /<h1>You cannot do that<\/h1>/)
  const wrong = await browser.post('/sign-up', fields, { csrf: 'forged-token' })
  assert.equal(wrong.status, 403)
  // A token from another person's session is wrong too.
  const other = new Browser(app, '10.3.0.1')
  const otherPage = await other.get('/sign-up')
  const otherToken = /name="_csrf" value="([^"]+)"/.exec(otherPage.html)![1]!
  assert.equal((await browser.post('/sign-up', fields, { csrf: otherToken })).status, 403)
  assert.equal(await app.db.selectFrom('users').select('id').executeTakeFirst(), undefined)
  // Signing out needs the token too, so another site cannot sign people out.
  await signUp(browser, fields)
  assert.equal((await browser.post('/sign-out', {}, { csrf: null })).status, 403)
  assert.match((await browser.get('/')).html, /Sign out/)
})

test('an unknown page is an HTML 404 page', async (t) => {
  const app = await buildTestApp(t)
  const page = await new Browser(app).get('/no/such/page')
  assert.equal(page.status, 404)
  assert.match(page.response.headers['content-type'] as string, /^text\/html/)
  assert.match(page.html, /<h1>Page not found<\/h1>/)
  assert.match(page.html, /<html lang="en">/)
})

test('a handler that throws gives an HTML 500 page with no stack, path or message in it', async (t) => {
  const app = await buildTestApp(t)
  const browser = new Browser(app)
  await signUp(browser, { displayName: 'Ann', email: 'ann@example.org', password: 'a long enough passphrase' })
  // Pull the database away under the app: the next query in a handler throws.
  await app.db.destroy()
  const page = await browser.get('/people/1')
  assert.equal(page.status, 500)
  assert.match(page.response.headers['content-type'] as string, /^text\/html/)
  assert.match(page.html, /Sorry, there is a problem with the service/)
  for (const leak of [/\bat \S+ \(/, /node_modules/, /\/work\//, /\.ts\b/, /destroyed/i, /Error:/, /kysely/i]) {
    assert.doesNotMatch(page.html, leak)
  }
  const health = await app.inject({ method: 'GET', url: '/healthz' })
  assert.equal(health.statusCode, 503)
  assert.deepEqual(health.json(), { status: 'error', database: 'unreachable', dialect: app.dialect })
})

test('GET /healthz answers 200 JSON with the database status', async (t) => {
  const app = await buildTestApp(t)
  const health = await app.inject({ method: 'GET', url: '/healthz' })
  assert.equal(health.statusCode, 200)
  assert.deepEqual(health.json(), { status: 'ok', database: 'ok', dialect: app.dialect })
})

test('pages carry security headers and a CSP that allows no inline script', async (t) => {
  const app = await buildTestApp(t)
  const page = await new Browser(app).get('/')
  const csp = page.response.headers['content-security-policy'] as string
  assert.match(csp, /script-src 'self'(;|$)/)
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/)
  assert.match(csp, /frame-ancestors 'none'/)
  assert.equal(page.response.headers['x-content-type-options'], 'nosniff')
  assert.ok(page.response.headers['referrer-policy'])
  // No page has inline script for the CSP to block.
  assert.doesNotMatch(page.html, /<script(?![^>]*\bsrc=)[^>]*>/)
})

test('the session cookie is HttpOnly and SameSite=Lax, and Secure when served over https', async (t) => {
  const http = await buildTestApp(t)
  const cookie = (await http.inject({ method: 'GET', url: '/sign-in' })).headers['set-cookie'] as string
  assert.match(cookie, /HttpOnly/)
  assert.match(cookie, /SameSite=Lax/)
  assert.doesNotMatch(cookie, /Secure/)
  const https = await buildTestApp(t, { baseUrl: 'https://hashcamp.example' })
  const secure = (await https.inject({ method: 'GET', url: '/sign-in' })).headers['set-cookie'] as string
  assert.match(secure, /; Secure/)
  assert.match((await https.inject({ method: 'GET', url: '/' })).headers['strict-transport-security'] as string, /max-age=/)
})

test('a session cookie that was tampered with counts as signed out', async (t) => {
  const app = await buildTestApp(t)
  const browser = new Browser(app)
  await signUp(browser, { displayName: 'Ann', email: 'ann@example.org', password: 'a long enough passphrase' })
  const cookie = browser.cookieHeader()
  const tampered = cookie.replace(/hashcamp_session=(.)/, (_m, c: string) => `hashcamp_session=${c === 'A' ? 'B' : 'A'}`)
  const page = await app.inject({ method: 'GET', url: '/', headers: { cookie: tampered } })
  assert.equal(page.statusCode, 200)
  assert.doesNotMatch(page.body, /Sign out/)
})

test('a malformed form body gets a 400 page, not JSON', async (t) => {
  const app = await buildTestApp(t)
  const response = await app.inject({ method: 'POST', url: '/sign-in', headers: { 'content-type': 'application/json' }, payload: '{"broken' })
  assert.equal(response.statusCode, 400)
  assert.match(response.headers['content-type'] as string, /^text\/html/)
  assert.doesNotMatch(response.body, /Unexpected|JSON|SyntaxError/)
})

test('requests that go wrong before or outside the routes still get a page, and never hang', async (t) => {
  const app = await buildTestApp(t)
  const badUrl = await app.inject({ method: 'GET', url: '/%' })
  assert.equal(badUrl.statusCode, 400)
  assert.match(badUrl.headers['content-type'] as string, /^text\/html/)
  assert.doesNotMatch(badUrl.body, /FST_|"statusCode"/)
  const traversal = await app.inject({ method: 'GET', url: '/static/..%2fpackage.json' })
  assert.ok([400, 403, 404].includes(traversal.statusCode), String(traversal.statusCode))
  assert.doesNotMatch(traversal.body, /"name": "hashcamp"/)
  const unknownPost = await app.inject({ method: 'POST', url: '/no/such/form', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=b' })
  assert.equal(unknownPost.statusCode, 404, 'a POST to nowhere is a 404, not a CSRF refusal')
})

test('ids too large for the database are a 404, not an error, on both dialects', async (t) => {
  const app = await buildTestApp(t)
  for (const url of ['/people/3000000000', '/people/99999999999999999999']) {
    const page = await app.inject({ method: 'GET', url })
    assert.equal(page.statusCode, 404, url)
  }
})
