// Sign in with Bluesky, end to end over real HTTP: the app listens on 127.0.0.1, the local
// AT Protocol world (PLC directory, handle resolver, PDS, authorisation server with PAR, PKCE
// and DPoP checks) fetches our client metadata document and sends the browser back.
import assert from 'node:assert/strict'
import net from 'node:net'
import { describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { Browser, type Page } from '../helpers/browser.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { person } from '../helpers/communities.js'
import { startAtprotoServer, type AtprotoServer } from '../helpers/atproto-server.js'

async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

interface World {
  app: FastifyInstance
  atproto: AtprotoServer
}

async function world(t: { after: (fn: () => Promise<void>) => void }, options: { allowPrivatePeers?: boolean; resolver?: string } = {}): Promise<World> {
  const atproto = await startAtprotoServer([
    { handle: 'ann.test', displayName: 'Ann Example' },
    { handle: 'bryn.test', displayName: null },
  ])
  t.after(() => atproto.close())
  const port = await freePort()
  const app = await buildTestApp(t, {
    baseUrl: `http://127.0.0.1:${port}`,
    allowPrivatePeers: options.allowPrivatePeers ?? true,
    atproto: { plcUrl: atproto.base, handleResolverUrl: options.resolver ?? atproto.base },
  })
  await app.listen({ port, host: '127.0.0.1' })
  return { app, atproto }
}

/** The whole round trip a browser makes: our form, the server's consent, our callback. */
/** Signed in, the same round trip links the Bluesky account instead. */
async function signInWithBluesky(browser: Browser, handle: string): Promise<{ started: Page; consent: Response | null; callback: Page | null }> {
  await browser.get('/sign-in/bluesky')
  const started = await browser.post('/sign-in/bluesky', { handle, next: '' })
  if (started.status !== 303 || !started.location?.startsWith('http://127.0.0.1')) return { started, consent: null, callback: null }
  const consent = await fetch(started.location, { redirect: 'manual' })
  const back = new URL(consent.headers.get('location') ?? 'http://invalid/')
  const callback = await browser.get(back.pathname + back.search)
  return { started, consent, callback }
}

async function userCount(app: FastifyInstance): Promise<number> {
  const row = await app.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

describe('sign in with Bluesky', () => {
  test('the client metadata document says what the AT Protocol asks of a public web client', async (t) => {
    const { app } = await world(t)
    const response = await app.inject({ url: '/oauth/bluesky/client-metadata.json' })
    assert.equal(response.statusCode, 200)
    const metadata = response.json()
    assert.equal(metadata.client_id, `${app.config.baseUrl}/oauth/bluesky/client-metadata.json`)
    assert.deepEqual(metadata.redirect_uris, [`${app.config.baseUrl}/sign-in/bluesky/callback`])
    assert.equal(metadata.scope, 'atproto')
    assert.equal(metadata.dpop_bound_access_tokens, true)
    assert.equal(metadata.token_endpoint_auth_method, 'none')
  })

  test('a new person signs in: an account with their Bluesky name, and the handle shown as verified', async (t) => {
    const { app, atproto } = await world(t)
    const browser = new Browser(app)
    assert.match((await browser.get('/sign-in')).html, /<a href="\/sign-in\/bluesky">Sign in with Bluesky<\/a>/)
    const page = await browser.get('/sign-in/bluesky')
    assert.match(page.html, /Your Bluesky handle/)
    // The form may lead on to the person's own server, and only this page's form may.
    assert.match(String(page.response.headers['content-security-policy']), /form-action 'self' https: http:/)

    const before = await userCount(app)
    const { started, callback } = await signInWithBluesky(browser, '@Ann.Test')
    assert.equal(started.status, 303)
    const authorize = new URL(started.location!)
    assert.deepEqual([...authorize.searchParams.keys()].sort(), ['client_id', 'request_uri'])
    assert.equal(callback!.status, 303)
    assert.equal(callback!.location, '/')
    assert.equal(await userCount(app), before + 1)
    // The server fetched our metadata, took a pushed request and gave one code.
    assert.ok(atproto.requests.includes('POST /oauth/par'))
    assert.equal(atproto.codesRedeemed, 1)
    assert.ok(atproto.requests.includes('POST /oauth/revoke'), 'the token is revoked: we keep none')

    const home = await browser.get('/')
    assert.match(home.html, /Ann Example/)
    const profile = await browser.get('/me/profile')
    assert.match(profile.html, /@ann\.test/)
    assert.match(profile.html, /Verified/)
    const identity = await app.db.selectFrom('user_identities').selectAll().executeTakeFirstOrThrow()
    assert.equal(identity.provider, 'bluesky')
    assert.equal(identity.subject, atproto.accounts[0]!.did)
    assert.equal(identity.handle, 'ann.test')

    // Again, from another browser: the same account, no second one.
    const again = await signInWithBluesky(new Browser(app), 'ann.test')
    assert.equal(again.callback!.status, 303)
    assert.equal(await userCount(app), before + 1)
  })

  test('a person with no display name on Bluesky is named by their handle', async (t) => {
    const { app, atproto } = await world(t)
    atproto.signInAs = 'bryn.test'
    const browser = new Browser(app)
    const { callback } = await signInWithBluesky(browser, 'bryn.test')
    assert.equal(callback!.status, 303)
    const user = await app.db.selectFrom('users').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
    assert.equal(user.display_name, 'bryn.test')
    assert.equal(user.email, null)
    assert.equal(user.password_hash, null)
  })

  test('an email account links its Bluesky handle, then signs in with Bluesky into the same account', async (t) => {
    const { app } = await world(t)
    const cat = await person(app, 'Cat')
    assert.match((await cat.get('/me/profile')).html, /href="\/sign-in\/bluesky">Link a Bluesky account/)
    assert.match((await cat.get('/sign-in/bluesky')).html, /<h1>Link your Bluesky account<\/h1>/)
    const catId = (await app.db.selectFrom('users').select('id').where('display_name', '=', 'Cat').executeTakeFirstOrThrow()).id
    const linked = await signInWithBluesky(cat, 'ann.test')
    assert.equal(linked.callback!.status, 303)
    assert.equal(linked.callback!.location, '/me/profile')
    const identity = await app.db.selectFrom('user_identities').selectAll().executeTakeFirstOrThrow()
    assert.equal(identity.user_id, catId)

    const elsewhere = new Browser(app, '10.9.9.9')
    const { callback } = await signInWithBluesky(elsewhere, 'ann.test')
    assert.equal(callback!.status, 303)
    const home = await elsewhere.get('/me/profile')
    assert.match(home.html, /Cat/)

    // Someone else cannot link the same Bluesky account to theirs.
    const dan = await person(app, 'Dan')
    const taken = await signInWithBluesky(dan, 'ann.test')
    assert.equal(taken.callback!.status, 409)
    assert.match(taken.callback!.html, /belongs to another Hashcamp account/)
  })

  test('saying no at Bluesky, or coming back without a code, ends on a page that says so; nobody is signed in', async (t) => {
    const { app, atproto } = await world(t)
    const before = await userCount(app)
    atproto.decision = 'deny'
    const browser = new Browser(app)
    const { callback } = await signInWithBluesky(browser, 'ann.test')
    assert.equal(callback!.status, 400)
    assert.match(callback!.html, /did not allow|chose not/i)
    assert.match(callback!.html, /Nothing has changed|nothing was changed/i)
    assert.equal(await userCount(app), before)
    assert.doesNotMatch((await browser.get('/')).html, /Sign out/)

    atproto.decision = 'allow'
    await browser.get('/sign-in/bluesky')
    const started = await browser.post('/sign-in/bluesky', { handle: 'ann.test' })
    const state = new URLSearchParams((await fetch(started.location!, { redirect: 'manual' })).headers.get('location')!.split('?')[1]).get('state')!
    const cancelled = await browser.get(`/sign-in/bluesky/callback?state=${encodeURIComponent(state)}`)
    assert.equal(cancelled.status, 400)
    assert.equal(await userCount(app), before)
  })

  test('a callback this browser did not start, or one used already, signs nobody in', async (t) => {
    const { app } = await world(t)
    const ann = new Browser(app)
    await ann.get('/sign-in/bluesky')
    const started = await ann.post('/sign-in/bluesky', { handle: 'ann.test' })
    const back = new URL((await fetch(started.location!, { redirect: 'manual' })).headers.get('location')!)

    // An attacker's callback opened in someone else's browser (login CSRF).
    const victim = new Browser(app, '10.7.7.7')
    const forced = await victim.get(back.pathname + back.search)
    assert.equal(forced.status, 400)
    assert.match(forced.html, /start again/i)

    // The refused callback did not spend the attempt (only the browser that started it can),
    // so Ann's own browser still finishes, once.
    const first = await ann.get(back.pathname + back.search)
    assert.equal(first.status, 303)
    const replay = await ann.get(back.pathname + back.search)
    assert.equal(replay.status, 400)
  })

  test('a PKCE verifier that does not match, or a server gone by the callback, ends on a clear page; nobody is signed in', async (t) => {
    const { app, atproto } = await world(t)
    const before = await userCount(app)
    const browser = new Browser(app)
    await browser.get('/sign-in/bluesky')
    const started = await browser.post('/sign-in/bluesky', { handle: 'ann.test' })
    const back = new URL((await fetch(started.location!, { redirect: 'manual' })).headers.get('location')!)
    // The verifier kept with the attempt is not the one the challenge was made from.
    await app.db.updateTable('oauth_attempts').set({ code_verifier: 'x'.repeat(43) }).execute()
    const mismatch = await browser.get(back.pathname + back.search)
    assert.equal(mismatch.status, 400)
    assert.match(mismatch.html, /did not accept the sign-in/)
    assert.ok(atproto.tokenErrors.includes('invalid_grant'), 'the server refused the code')

    await browser.get('/sign-in/bluesky')
    const again = await browser.post('/sign-in/bluesky', { handle: 'ann.test' })
    const backAgain = new URL((await fetch(again.location!, { redirect: 'manual' })).headers.get('location')!)
    await atproto.close()
    const gone = await browser.get(backAgain.pathname + backAgain.search)
    assert.equal(gone.status, 502)
    assert.match(gone.html, /We could not reach 127\.0\.0\.1/)
    assert.equal(await userCount(app), before)
    assert.doesNotMatch((await browser.get('/')).html, /Sign out/)
  })

  test('a server that vouches for another account than the one named is not believed', async (t) => {
    const { app, atproto } = await world(t)
    atproto.subOverride = atproto.accounts[1]!.did
    const { callback } = await signInWithBluesky(new Browser(app), 'ann.test')
    assert.equal(callback!.status, 400)
    assert.equal(await app.db.selectFrom('user_identities').selectAll().execute().then((rows) => rows.length), 0)
  })

  test('typing mistakes and unknown handles come back with the value kept; an unreachable server gets a 502 page', async (t) => {
    const { app } = await world(t)
    const browser = new Browser(app)
    await browser.get('/sign-in/bluesky')
    const nonsense = await browser.post('/sign-in/bluesky', { handle: 'not a handle' })
    assert.equal(nonsense.status, 400)
    assert.match(nonsense.html, /There is a problem/)
    assert.match(nonsense.html, /value="not a handle"/)
    const empty = await browser.post('/sign-in/bluesky', { handle: '' })
    assert.equal(empty.status, 400)
    assert.match(empty.html, /Enter your Bluesky handle/)
    const unknown = await browser.post('/sign-in/bluesky', { handle: 'nobody.test' })
    assert.equal(unknown.status, 400)
    assert.match(unknown.html, /could not find a Bluesky account called nobody\.test/)

    const closed = await freePort()
    const down = await world(t, { resolver: `http://127.0.0.1:${closed}` })
    const lost = new Browser(down.app)
    await lost.get('/sign-in/bluesky')
    const unreachable = await lost.post('/sign-in/bluesky', { handle: 'ann.test' })
    assert.equal(unreachable.status, 502)
    assert.match(unreachable.html, /ann\.test/)
    assert.doesNotMatch(unreachable.html, /ECONNREFUSED|at .*\.ts:/)
  })

  test('by default, servers on private addresses are refused before anything is sent to them', async (t) => {
    const { app, atproto } = await world(t, { allowPrivatePeers: false })
    const browser = new Browser(app)
    await browser.get('/sign-in/bluesky')
    const refused = await browser.post('/sign-in/bluesky', { handle: 'ann.test' })
    assert.equal(refused.status, 400)
    assert.match(refused.html, /not on the public internet/)
    assert.deepEqual(atproto.requests, [])
  })

  test('starting sign-ins is limited per address, in the same count as Mastodon sign-ins', async (t) => {
    const { app } = await world(t)
    const browser = new Browser(app, '10.0.0.44')
    await browser.get('/sign-in/mastodon')
    for (let i = 0; i < 20; i++) assert.equal((await browser.post('/sign-in/mastodon', { server: 'not a server!' })).status, 400)
    await browser.get('/sign-in/bluesky')
    for (let i = 0; i < 10; i++) assert.equal((await browser.post('/sign-in/bluesky', { handle: 'nobody.test' })).status, 400)
    const limited = await browser.post('/sign-in/bluesky', { handle: 'ann.test' })
    assert.equal(limited.status, 429)
    assert.match(limited.html, /Too many sign-in attempts from here/)
    assert.match(limited.html, /value="ann.test"/)
  })

  test('the page is in Welsh for Welsh readers', async (t) => {
    const { app } = await world(t)
    const page = await new Browser(app).get('/sign-in/bluesky?lang=cy')
    assert.match(page.html, /Mewngofnodi gyda Bluesky/)
  })
})
