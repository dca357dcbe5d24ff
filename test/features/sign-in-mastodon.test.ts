// Sign in with Mastodon (issue 21) against a real OAuth 2 server on 127.0.0.1 shaped like
// Mastodon (test/helpers/mastodon-server.ts). The app talks to it over real HTTP; the person's
// browser is followed through its redirects by hand, carrying its cookies at each side.
import assert from 'node:assert/strict'
import net from 'node:net'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../helpers/build-test-app.js'
import { Browser, signIn, signUp, text, type Page } from '../helpers/browser.js'
import { startMastodonServer, type MastodonAccountFixture, type MastodonTestServer } from '../helpers/mastodon-server.js'

const annOnMastodon: MastodonAccountFixture = { id: '109001', username: 'ann', display_name: 'Ann on Mastodon' }
const brynOnMastodon: MastodonAccountFixture = { id: '109002', username: 'bryn', display_name: 'Bryn B' }
const cadiOnMastodon: MastodonAccountFixture = { id: '109003', username: 'cadi', display_name: '' }
const BASE_URL = 'http://localhost:3000'

/** The words on the page, tags taken out. */
const visible = (html: string) => text(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ')

/** The person's browser at the Mastodon server: its own cookies, redirects followed one by one. */
class ServerSideBrowser {
  private readonly cookies = new Map<string, string>()

  /** Follows redirects from `url` until one points back at the app; returns that path and query. */
  async followToApp(url: string): Promise<string> {
    let next = url
    for (let hop = 0; hop < 10; hop++) {
      if (next.startsWith(BASE_URL)) return next.slice(BASE_URL.length)
      const response = await fetch(next, { redirect: 'manual', headers: { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } })
      for (const header of response.headers.getSetCookie()) {
        const [pair] = header.split(';')
        const eq = pair!.indexOf('=')
        this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim())
      }
      const location = response.headers.get('location')
      if (!location) assert.fail(`no redirect from ${new URL(next).pathname} (status ${response.status}: ${(await response.text()).slice(0, 300)})`)
      next = new URL(location, next).toString()
    }
    throw new Error('too many redirects')
  }
}

async function startAt(browser: Browser, server: string): Promise<Page> {
  return browser.submit('/sign-in/mastodon', '/sign-in/mastodon', { server })
}

/** The whole round trip; the server does what `as` says at its sign-in step. */
async function signInWithMastodon(browser: Browser, mastodon: MastodonTestServer, as: MastodonAccountFixture | 'deny', typed = mastodon.host): Promise<Page> {
  const start = await startAt(browser, typed)
  assert.equal(start.status, 303, visible(start.html).slice(0, 500))
  assert.ok(start.location?.startsWith(`${mastodon.origin}/oauth/authorize?`), start.location)
  const asked = new URL(start.location!).searchParams
  assert.equal(asked.get('scope'), 'profile', 'the least scope that reads the profile')
  assert.equal(asked.get('code_challenge_method'), 'S256')
  mastodon.nextInteraction = as === 'deny' ? 'deny' : { account: as }
  return browser.get(await new ServerSideBrowser().followToApp(start.location!))
}

async function countUsers(app: FastifyInstance): Promise<number> {
  return Number((await app.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
}

async function isSignedIn(browser: Browser): Promise<boolean> {
  return (await browser.get('/me')).status === 200
}

describe('Sign in with Mastodon', () => {
  let mastodon: MastodonTestServer
  before(async () => {
    mastodon = await startMastodonServer({ accounts: [annOnMastodon, brynOnMastodon, cadiOnMastodon] })
  })
  after(() => mastodon.close())

  test('a new person signs in: an account with their name and a verified handle; again: the same account, no second registration', async (t) => {
    const app = await buildTestApp(t, { allowPrivatePeers: true, baseUrl: BASE_URL })
    const before = mastodon.appRegistrations
    const browser = new Browser(app)
    const page = await signInWithMastodon(browser, mastodon, annOnMastodon, `@ann@${mastodon.host}`)
    assert.equal(page.status, 303)
    const home = await browser.get(page.location!)
    assert.match(visible(home.html), /Welcome to Hashcamp, Ann on Mastodon/)

    const user = await app.db.selectFrom('users').selectAll().executeTakeFirstOrThrow()
    assert.equal(user.display_name, 'Ann on Mastodon')
    assert.equal(user.email, null)
    assert.equal(user.password_hash, null)
    assert.equal(user.handle, 'ann')
    const identity = await app.db.selectFrom('user_identities').selectAll().executeTakeFirstOrThrow()
    assert.equal(identity.subject, `${mastodon.host}/109001`)
    assert.equal(identity.handle, `ann@${mastodon.host}`)
    assert.equal(mastodon.appRegistrations, before + 1, 'registered with the server once')
    assert.ok(mastodon.revocations >= 1, 'the token was revoked')

    const profile = await browser.get('/people/ann')
    assert.match(visible(profile.html), /Verified accounts/)
    assert.match(visible(profile.html), new RegExp(`@ann@${mastodon.host.replace(/\./g, '\\.')}\\s+Verified`))
    const mine = await browser.get('/me/profile')
    assert.match(visible(mine.html), /Unlink ann@/)

    // Signed out, and in again: the same account, and the kept registration.
    await browser.submit('/', '/sign-out', {})
    assert.equal(await isSignedIn(browser), false)
    const again = await signInWithMastodon(browser, mastodon, annOnMastodon, `https://${mastodon.host}`.replace('https:', 'http:'))
    assert.equal(again.status, 303)
    assert.match(visible((await browser.get(again.location!)).html), /Welcome back, Ann on Mastodon/)
    assert.equal(await countUsers(app), 1)
    assert.equal(mastodon.appRegistrations, before + 1, 'no second registration')

    // A name the provider left empty: the username stands in.
    const cadi = new Browser(app, '10.0.0.3')
    assert.equal((await signInWithMastodon(cadi, mastodon, cadiOnMastodon)).status, 303)
    assert.equal((await app.db.selectFrom('users').select('display_name').where('handle', '=', 'cadi').executeTakeFirstOrThrow()).display_name, 'cadi')
  })

  test('a signed-in email user links Mastodon, then signs in with it; unlink is refused only when it is the only way in', async (t) => {
    const app = await buildTestApp(t, { allowPrivatePeers: true, baseUrl: BASE_URL })
    const browser = new Browser(app)
    await signUp(browser, { displayName: 'Bryn Email', email: 'bryn@example.org', password: 'a long enough passphrase' })
    const start = await browser.get('/sign-in/mastodon')
    assert.match(visible(start.html), /Link a Mastodon account/)
    const linked = await signInWithMastodon(browser, mastodon, brynOnMastodon)
    assert.equal(linked.status, 303)
    assert.equal(linked.location, '/me/profile')
    const profile = await browser.get('/me/profile')
    assert.match(visible(profile.html), /is linked to your account and shown as verified/)
    assert.match(visible(profile.html), new RegExp(`@bryn@${mastodon.host.replace(/\./g, '\\.')}\\s+Verified`))
    assert.equal(await countUsers(app), 1)

    const other = new Browser(app, '10.0.0.2')
    const signedIn = await signInWithMastodon(other, mastodon, brynOnMastodon)
    assert.equal(signedIn.status, 303)
    assert.match(visible((await other.get(signedIn.location!)).html), /Welcome back, Bryn Email/)
    assert.equal(await countUsers(app), 1)

    // Bryn has a password: unlinking leaves a way in.
    const identity = await app.db.selectFrom('user_identities').select('id').executeTakeFirstOrThrow()
    await browser.get('/me/profile')
    const unlinked = await browser.post(`/me/identities/${identity.id}/unlink`, {})
    assert.equal(unlinked.status, 303)
    assert.match(visible((await browser.get('/me/profile')).html), /The account is unlinked/)
    assert.equal((await app.db.selectFrom('user_identities').selectAll().execute()).length, 0)

    // Ann has only her Mastodon account: unlinking it is refused, with a page that says why.
    const ann = new Browser(app, '10.0.0.4')
    await signInWithMastodon(ann, mastodon, annOnMastodon)
    const annIdentity = await app.db.selectFrom('user_identities').select('id').executeTakeFirstOrThrow()
    await ann.get('/me/profile')
    const refused = await ann.post(`/me/identities/${annIdentity.id}/unlink`, {})
    assert.equal(refused.status, 409)
    assert.match(visible(refused.html), /This is the only way you can sign in/)
    assert.equal((await app.db.selectFrom('user_identities').selectAll().execute()).length, 1)
    // And nobody unlinks another person's identity.
    await browser.get('/me/profile')
    assert.equal((await browser.post(`/me/identities/${annIdentity.id}/unlink`, {})).status, 404)
  })

  test('linking an identity that belongs to another account is refused', async (t) => {
    const app = await buildTestApp(t, { allowPrivatePeers: true, baseUrl: BASE_URL })
    const ann = new Browser(app, '10.0.0.5')
    await signInWithMastodon(ann, mastodon, annOnMastodon)
    const bryn = new Browser(app)
    await signUp(bryn, { displayName: 'Bryn Email', email: 'bryn@example.org', password: 'a long enough passphrase' })
    const page = await signInWithMastodon(bryn, mastodon, annOnMastodon)
    assert.equal(page.status, 409)
    assert.match(visible(page.html), /That Mastodon account belongs to another Hashcamp account/)
    assert.match(visible(page.html), /Nothing was changed/)
    const owners = await app.db.selectFrom('user_identities').select('user_id').execute()
    assert.equal(owners.length, 1)
  })

  test('refused consent ends on a clear page; nobody is signed in and no account is made', async (t) => {
    const app = await buildTestApp(t, { allowPrivatePeers: true, baseUrl: BASE_URL })
    const browser = new Browser(app)
    const page = await signInWithMastodon(browser, mastodon, 'deny')
    assert.equal(page.status, 200)
    assert.match(visible(page.html), /You did not allow Hashcamp to read your Mastodon profile/)
    assert.match(visible(page.html), /Nothing was changed/)
    assert.match(page.html, /href="\/sign-in\/mastodon"/)
    assert.equal(await countUsers(app), 0)
    assert.equal(await isSignedIn(browser), false)
  })

  test('cancelled: back without a code, or after the attempt expired, ends on a clear page', async (t) => {
    const app = await buildTestApp(t, { allowPrivatePeers: true, baseUrl: BASE_URL })
    const browser = new Browser(app)
    const start = await startAt(browser, mastodon.host)
    const state = new URL(start.location!).searchParams.get('state')!
    const back = await browser.get(`/sign-in/mastodon/callback?state=${encodeURIComponent(state)}`)
    assert.equal(back.status, 400)
    assert.match(visible(back.html), /The sign-in was not finished/)

    const late = await startAt(browser, mastodon.host)
    await app.db.updateTable('oauth_attempts').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('used_at', 'is', null).execute()
    mastodon.nextInteraction = { account: annOnMastodon }
    const page = await browser.get(await new ServerSideBrowser().followToApp(late.location!))
    assert.equal(page.status, 400)
    assert.match(visible(page.html), /This sign-in cannot be finished/)
    assert.equal(await countUsers(app), 0)
    assert.equal(await isSignedIn(browser), false)
  })

  test('a server that is down ends on a 502 page naming it', async (t) => {
    const app = await buildTestApp(t, { allowPrivatePeers: true, baseUrl: BASE_URL })
    const closed = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo
        probe.close(() => resolve(port))
      })
    })
    const page = await startAt(new Browser(app), `127.0.0.1:${closed}`)
    assert.equal(page.status, 502)
    assert.match(visible(page.html), new RegExp(`We could not reach 127\\.0\\.0\\.1:${closed}`))
  })

  test('a callback carrying another browser’s state is refused (login CSRF)', async (t) => {
    const app = await buildTestApp(t, { allowPrivatePeers: true, baseUrl: BASE_URL })
    const attacker = new Browser(app, '10.0.0.6')
    const start = await startAt(attacker, mastodon.host)
    mastodon.nextInteraction = { account: brynOnMastodon }
    const callback = await new ServerSideBrowser().followToApp(start.location!)
    const victim = new Browser(app)
    const page = await victim.get(callback)
    assert.equal(page.status, 400)
    assert.match(visible(page.html), /started in another browser/)
    assert.equal(await countUsers(app), 0)
    assert.equal(await isSignedIn(victim), false)
  })

  test('a PKCE mismatch and a replayed code end on clear pages; nobody is signed in', async (t) => {
    const app = await buildTestApp(t, { allowPrivatePeers: true, baseUrl: BASE_URL })
    const browser = new Browser(app)
    const start = await startAt(browser, mastodon.host)
    // The verifier no longer matches the challenge the server was given.
    await app.db.updateTable('oauth_attempts').set({ code_verifier: 'tampered-tampered-tampered-tampered-tampered' }).execute()
    mastodon.nextInteraction = { account: annOnMastodon }
    const page = await browser.get(await new ServerSideBrowser().followToApp(start.location!))
    assert.equal(page.status, 400)
    assert.match(visible(page.html), new RegExp(`${mastodon.host.replace(/\./g, '\\.')} did not accept the sign-in`))
    assert.equal(await countUsers(app), 0)
    assert.equal(await isSignedIn(browser), false)

    // A good sign-in, then the same callback again: refused, and still one account.
    const good = await startAt(browser, mastodon.host)
    const callback = await new ServerSideBrowser().followToApp(good.location!)
    assert.equal((await browser.get(callback)).status, 303)
    const replay = await new Browser(app, '10.0.0.7').get(callback)
    assert.equal(replay.status, 400)
    assert.match(visible(replay.html), /This sign-in cannot be finished/)
    // The same code sent to the server a second time, with the right verifier: the server refuses it.
    const attempt = await app.db.selectFrom('oauth_attempts').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
    const client = await app.db.selectFrom('oauth_clients').selectAll().executeTakeFirstOrThrow()
    const code = new URL(callback, BASE_URL).searchParams.get('code')!
    const again = await fetch(`${mastodon.origin}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: client.redirect_uri, client_id: client.client_id, client_secret: client.client_secret ?? '', code_verifier: attempt.code_verifier }),
    })
    assert.equal(again.status, 400)
    assert.equal(((await again.json()) as { error: string }).error, 'invalid_grant')
    assert.equal(await countUsers(app), 1)
  })

  test('nonsense is a 400 with the value kept; the default config refuses 127.0.0.1', async (t) => {
    const app = await buildTestApp(t, { allowPrivatePeers: true, baseUrl: BASE_URL })
    const nonsense = await startAt(new Browser(app), 'not a server!')
    assert.equal(nonsense.status, 400)
    assert.match(visible(nonsense.html), /There is a problem/)
    assert.match(nonsense.html, /value="not a server!"/)
    const empty = await startAt(new Browser(app), '')
    assert.equal(empty.status, 400)
    assert.match(visible(empty.html), /Enter your Mastodon server or handle/)
  })

  test('by default a private address is refused with a clear 400, before any request is made', async (t) => {
    const app = await buildTestApp(t, { baseUrl: BASE_URL })
    const before = mastodon.appRegistrations
    const page = await startAt(new Browser(app), mastodon.host)
    assert.equal(page.status, 400)
    assert.match(visible(page.html), /That server is on a private network address/)
    assert.equal(mastodon.appRegistrations, before)
    const plainHttp = await startAt(new Browser(app), 'http://mastodon.example')
    assert.equal(plainHttp.status, 400)
  })

  test('the pages render in Welsh', async (t) => {
    const app = await buildTestApp(t, { allowPrivatePeers: true, baseUrl: BASE_URL })
    const browser = new Browser(app)
    browser.setCookie('hashcamp_lang', 'cy')
    const form = await browser.get('/sign-in/mastodon')
    assert.equal(form.status, 200)
    assert.match(visible(form.html), /Mewngofnodi gyda Mastodon/)
    const denied = await signInWithMastodon(browser, mastodon, 'deny')
    assert.match(visible(denied.html), /Ni wnaethoch ganiatáu i Hashcamp ddarllen eich proffil Mastodon/)
  })

  test('an account without a password keeps working: password sign-in says wrong, /me/account offers to add an address', async (t) => {
    const app = await buildTestApp(t, { allowPrivatePeers: true, baseUrl: BASE_URL })
    const browser = new Browser(app)
    await signInWithMastodon(browser, mastodon, annOnMastodon)
    const home = await browser.get('/me')
    assert.match(visible(home.html), /Your account has no email address, so we cannot send you notices/)
    assert.doesNotMatch(visible(home.html), /null/)
    const account = await browser.get('/me/account')
    assert.equal(account.status, 200)
    assert.match(visible(account.html), /Your account has no email address/)
    assert.match(visible(account.html), /Add an email address/)
    assert.doesNotMatch(account.html, /name="currentPasswordForEmail"/)
    const added = await browser.submit('/me/account', '/me/account/email', { email: 'ann@example.org' })
    assert.equal(added.status, 303)
    const row = await app.db.selectFrom('outbox').select('kind').executeTakeFirstOrThrow()
    assert.equal(row.kind, 'verifyEmail')

    const deletePage = await browser.get('/me/delete')
    assert.doesNotMatch(deletePage.html, /name="password"/)
    const data = await browser.get('/me/data')
    assert.equal(data.status, 200)
    const exported = JSON.parse((await browser.get('/me/data.json')).html) as { profile: { email: string | null }; verifiedAccounts: { handle: string }[] }
    assert.equal(exported.profile.email, null)
    assert.deepEqual(exported.verifiedAccounts.map((a) => a.handle), [`ann@${mastodon.host}`])
    // Nobody signs in to a passwordless account with an empty or any password.
    const attempt = await signIn(new Browser(app, '10.0.0.9'), 'ann@example.org', 'whatever it may be')
    assert.equal(attempt.status, 400)
  })

  test('a suspended account does not sign in with Mastodon either', async (t) => {
    const app = await buildTestApp(t, { allowPrivatePeers: true, baseUrl: BASE_URL })
    await signInWithMastodon(new Browser(app, '10.0.0.11'), mastodon, annOnMastodon)
    await app.db.updateTable('users').set({ suspended_at: new Date().toISOString(), suspended_reason: 'test' }).execute()
    const browser = new Browser(app)
    const page = await signInWithMastodon(browser, mastodon, annOnMastodon)
    assert.equal(page.status, 403)
    assert.match(visible(page.html), /This account is suspended/)
    assert.equal(await isSignedIn(browser), false)
  })

  test('starting sign-ins is limited per address, apart from failed passwords', async (t) => {
    const app = await buildTestApp(t, { allowPrivatePeers: true, baseUrl: BASE_URL })
    const browser = new Browser(app, '10.0.0.12')
    await browser.get('/sign-in/mastodon')
    for (let i = 0; i < 30; i++) assert.equal((await browser.post('/sign-in/mastodon', { server: 'not a server!' })).status, 400)
    const limited = await browser.post('/sign-in/mastodon', { server: mastodon.host })
    assert.equal(limited.status, 429)
    assert.match(visible(limited.html), /Too many sign-in attempts from here/)
    // Password sign-in from the same address is not held up by it.
    assert.equal((await signIn(browser, 'nobody@example.org', 'not the password')).status, 400)
  })
})
