// "Follow from my Mastodon server": the community page links to a page that asks which server
// the person's account is on (once; the share page's cookie remembers it) and sends them to
// that server's own confirm-the-follow page. Only this site's handles: no open redirect.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Browser } from '../helpers/browser.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { createCommunity, person } from '../helpers/communities.js'

test('following from Mastodon: asked for the server once, then sent straight to it; bad input kept and explained', async (t) => {
  const app = await buildTestApp(t)
  await createCommunity(await person(app, 'Olu'))
  const visitor = new Browser(app, '10.70.0.1')
  const community = await visitor.get('/communities/lgovsm')
  const link = /href="(\/follow\/mastodon\?handle=[^"]+)"/.exec(community.html)
  assert.ok(link, 'the community page links to the follow page')
  assert.equal(link[1], '/follow/mastodon?handle=%40lgovsm%40localhost%3A3000')

  const page = await visitor.get(link[1]!)
  assert.equal(page.status, 200)
  assert.match(page.html, /Follow @lgovsm@localhost:3000 from Mastodon/)
  // This page's form leads on to the person's own server.
  assert.match(String(page.response.headers['content-security-policy']), /form-action 'self' https:/)

  const wrong = await visitor.post('/follow/mastodon', { handle: '@lgovsm@localhost:3000', server: 'not a server' })
  assert.equal(wrong.status, 400)
  assert.match(wrong.html, /There is a problem/)
  assert.match(wrong.html, /Enter your server, like mastodon.social/)
  assert.match(wrong.html, /value="not a server"/)

  const sent = await visitor.post('/follow/mastodon', { handle: '@lgovsm@localhost:3000', server: '@ann@Mastodon.Social' })
  assert.equal(sent.status, 303)
  assert.equal(sent.location, 'https://mastodon.social/authorize_interaction?uri=lgovsm%40localhost%3A3000')
  // Next time, no question: straight to the server; "another server" asks again.
  const again = await visitor.get(link[1]!)
  assert.equal(again.status, 303)
  assert.equal(again.location, 'https://mastodon.social/authorize_interaction?uri=lgovsm%40localhost%3A3000')
  const change = await visitor.get(`${link[1]!}&change=1`)
  assert.equal(change.status, 200)
  assert.match(change.html, /value="mastodon.social"/)
})

test('following from Mastodon: a handle of another site is not ours to send anyone to', async (t) => {
  const app = await buildTestApp(t)
  const visitor = new Browser(app)
  assert.equal((await visitor.get('/follow/mastodon?handle=%40someone%40evil.example')).status, 404)
  await visitor.get('/follow/mastodon?handle=%40lgovsm%40localhost%3A3000')
  assert.equal((await visitor.post('/follow/mastodon', { handle: '@someone@evil.example', server: 'mastodon.social' })).status, 404)
  assert.equal((await visitor.get('/follow/mastodon?handle=https%3A%2F%2Fevil.example%2F')).status, 404)
})

test('following from Mastodon: the page is in Welsh for Welsh readers', async (t) => {
  const app = await buildTestApp(t)
  const page = await new Browser(app).get('/follow/mastodon?handle=%40lgovsm%40localhost%3A3000&lang=cy')
  assert.match(page.html, /Dilyn @lgovsm@localhost:3000 o Mastodon/)
})
