import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { buildTestApp } from '../helpers/build-test-app.js'
import { Browser, signIn, signUp, text } from '../helpers/browser.js'

const ann = { displayName: 'Ann Example', email: 'ann@example.org', password: 'correct horse battery' }

/** The inline error shown at one field, as text. */
function inlineError(html: string, field: string): string | null {
  const match = new RegExp(`<p class="field__error" id="${field}-error">(.*?)</p>`, 's').exec(html)
  return match ? text(match[1]!.replace(/<[^>]+>/g, '')).replace(/\s+/g, ' ').trim() : null
}

function inputValue(html: string, field: string): string | null {
  const match = new RegExp(`<input[^>]* id="${field}"[^>]*value="([^"]*)"`).exec(html)
  return match ? text(match[1]!) : null
}

describe('accounts', () => {
  test('sign up → sign in → edit profile → see profile → sign out', async (t) => {
    const app = await buildTestApp(t)
    const browser = new Browser(app)

    const signedUp = await signUp(browser, ann)
    assert.equal(signedUp.status, 303)
    assert.equal(signedUp.location, '/')
    const home = await browser.get('/')
    assert.match(home.html, /Welcome to Hashcamp, Ann Example/)
    assert.match(home.html, /Sign out/)

    await browser.submit('/', '/sign-out', {})
    const signedOut = await browser.get('/')
    assert.match(signedOut.html, /You have signed out/)
    assert.doesNotMatch(signedOut.html, /Sign out/)

    const signedIn = await signIn(browser, 'ANN@example.org', ann.password)
    assert.equal(signedIn.status, 303, 'email is matched whatever its letter case')
    assert.match((await browser.get('/')).html, /Welcome back, Ann Example/)

    const edited = await browser.submit('/me/profile', '/me/profile', {
      displayName: 'Ann E.',
      handle: 'Ann-E',
      bio: 'Social media at a district council.\r\n\r\nLikes #lgovsm.',
      xHandle: '@ann_e',
      mastodonHandle: '@ann@social.example.org',
      blueskyHandle: 'Ann.bsky.social',
    })
    assert.equal(edited.status, 303)
    assert.equal(edited.location, '/people/ann-e')

    const profile = await browser.get('/people/ann-e')
    assert.equal(profile.status, 200)
    assert.match(profile.html, /<h1>Ann E\.<\/h1>/)
    assert.match(profile.html, /Your profile has been saved/)
    assert.match(profile.html, /<p>Social media at a district council\.<\/p>\s*<p>Likes #lgovsm\.<\/p>/)
    assert.match(profile.html, /<a href="https:\/\/x\.com\/ann_e" rel="me noopener">@ann_e<\/a>/)
    assert.match(profile.html, /<a href="https:\/\/social\.example\.org\/@ann" rel="me noopener">@ann@social\.example\.org<\/a>/)
    assert.match(profile.html, /<a href="https:\/\/bsky\.app\/profile\/ann\.bsky\.social" rel="me noopener">/)

    // The profile is public: a stranger sees it too, by handle or by id.
    const stranger = new Browser(app, '10.0.0.9')
    assert.equal((await stranger.get('/people/ann-e')).status, 200)
    assert.equal((await stranger.get('/people/1')).status, 200)
    assert.doesNotMatch((await stranger.get('/people/ann-e')).html, /Edit your profile/)

    await browser.submit('/', '/sign-out', {})
    const after = await browser.get('/me/profile')
    assert.equal(after.status, 303, 'signed out people are sent to sign in')
    assert.equal(after.location, '/sign-in?next=%2Fme%2Fprofile')
  })

  test('the first account on an empty site is the admin; later ones are members', async (t) => {
    const app = await buildTestApp(t)
    const first = new Browser(app)
    await signUp(first, ann)
    const second = new Browser(app, '10.0.0.2')
    await signUp(second, { displayName: 'Bryn', email: 'bryn@example.org', password: 'another long passphrase' })
    assert.match((await first.get('/admin/people')).html, /<h1>People<\/h1>/)
    assert.equal((await second.get('/admin/people')).status, 403)
  })

  test('two sign-ups on an empty site at the same moment make exactly one admin', async (t) => {
    const app = await buildTestApp(t)
    const people = Array.from({ length: 4 }, (_, i) => new Browser(app, `10.0.1.${i}`))
    await Promise.all(people.map((b) => b.get('/sign-up')))
    await Promise.all(
      people.map((b, i) => b.post('/sign-up', { displayName: `P${i}`, email: `p${i}@example.org`, password: 'a long enough passphrase' })),
    )
    const roles = await app.db.selectFrom('users').select('role').execute()
    assert.equal(roles.length, 4)
    assert.equal(roles.filter((r) => r.role === 'admin').length, 1)
  })

  describe('bad sign-up input gives 400 with the error, inline and in the summary, and keeps what was typed', () => {
    const cases: { name: string; fields: typeof ann; field: string; message: RegExp }[] = [
      { name: 'empty name', fields: { ...ann, displayName: '   ' }, field: 'displayName', message: /^Error: Enter your name$/ },
      { name: 'empty email', fields: { ...ann, email: '' }, field: 'email', message: /^Error: Enter your email address$/ },
      { name: 'empty password', fields: { ...ann, password: '' }, field: 'password', message: /^Error: Enter a password$/ },
      {
        name: 'a 10,000-character name',
        fields: { ...ann, displayName: 'n'.repeat(10_000) },
        field: 'displayName',
        message: /^Error: Your name must be 100 characters or fewer$/,
      },
      { name: 'an invalid email', fields: { ...ann, email: 'ann at example' }, field: 'email', message: /right format/ },
      { name: 'a short password', fields: { ...ann, password: 'short' }, field: 'password', message: /at least 8 characters/ },
      { name: 'a common password', fields: { ...ann, password: 'Password1' }, field: 'password', message: /too common/ },
    ]
    for (const c of cases) {
      test(c.name, async (t) => {
        const app = await buildTestApp(t)
        const page = await signUp(new Browser(app), c.fields)
        assert.equal(page.status, 400)
        assert.match(page.html, /<title>Error: Create an account – Hashcamp<\/title>/)
        assert.match(page.html, /There is a problem/)
        assert.match(page.html, new RegExp(`<li><a href="#${c.field}">`), 'the summary links to the field')
        assert.match(inlineError(page.html, c.field) ?? '', c.message)
        assert.match(page.html, new RegExp(`id="${c.field}"[^>]*aria-invalid="true"`))
        for (const kept of ['displayName', 'email'] as const) {
          assert.equal(inputValue(page.html, kept), c.fields[kept]!.trim(), `${kept} is kept`)
        }
        if (c.fields.password) assert.ok(!page.html.includes(c.fields.password), 'the password is never echoed')
        assert.doesNotMatch(page.html, /name="password"[^>]*value=/)
        assert.equal(await app.db.selectFrom('users').select('id').executeTakeFirst(), undefined, 'no account was made')
      })
    }

    test('several problems are all listed, in page order', async (t) => {
      const app = await buildTestApp(t)
      const page = await signUp(new Browser(app), { displayName: '', email: 'nope', password: 'x' })
      assert.equal(page.status, 400)
      const links = [...page.html.matchAll(/<li><a href="#(\w+)">/g)].map((m) => m[1])
      assert.deepEqual(links, ['displayName', 'email', 'password'])
    })

    test('an existing email in other letter case', async (t) => {
      const app = await buildTestApp(t)
      await signUp(new Browser(app), ann)
      const page = await signUp(new Browser(app, '10.0.0.3'), { ...ann, email: 'ANN@Example.ORG' })
      assert.equal(page.status, 400)
      assert.match(inlineError(page.html, 'email') ?? '', /already an account with this email/)
      assert.equal(inputValue(page.html, 'email'), 'ANN@Example.ORG')
      assert.equal(inputValue(page.html, 'displayName'), ann.displayName)
      assert.doesNotMatch(page.html, new RegExp(ann.password))
    })
  })

  test('a wrong password and an unknown email get the same answer', async (t) => {
    const app = await buildTestApp(t)
    await signUp(new Browser(app), ann)
    const wrongPassword = await signIn(new Browser(app), ann.email, 'not the password')
    const unknownEmail = await signIn(new Browser(app), 'nobody@example.org', 'not the password')
    assert.equal(wrongPassword.status, 400)
    assert.equal(unknownEmail.status, 400)
    assert.equal(inlineError(wrongPassword.html, 'email'), 'Error: The email or password is not right')
    assert.equal(inlineError(unknownEmail.html, 'email'), inlineError(wrongPassword.html, 'email'))
    assert.equal(inputValue(unknownEmail.html, 'email'), 'nobody@example.org')
    assert.doesNotMatch(wrongPassword.html, /not the password/)
  })

  test('sign-in sends people back to the page they came for, and only within the site', async (t) => {
    const app = await buildTestApp(t)
    await signUp(new Browser(app), ann)
    const browser = new Browser(app)
    const form = await browser.get('/sign-in?next=%2Fme%2Fprofile')
    assert.match(form.html, /name="next" value="\/me\/profile"/)
    assert.equal((await browser.post('/sign-in', { email: ann.email, password: ann.password, next: '/me/profile' })).location, '/me/profile')
    const other = new Browser(app)
    await other.get('/sign-in')
    const offsite = await other.post('/sign-in', { email: ann.email, password: ann.password, next: '//evil.example/' })
    assert.equal(offsite.location, '/')
    // Signed in, the sign-in page redirects to ?next= at once: the same rule holds there.
    for (const next of ['/\t/evil.example', '/\\evil.example', '/\r\nSet-Cookie:x=1', 'https://evil.example/', '/\n/evil.example']) {
      const page = await other.get(`/sign-in?next=${encodeURIComponent(next)}`)
      assert.equal(page.status, 303, next)
      assert.equal(page.location, '/', next)
    }
    assert.equal((await other.get('/sign-in?next=%2Fcommunities%3Fq%3Dx')).location, '/communities?q=x')
  })

  test('five wrong passwords from one address stop guesses from there, and never lock the owner out of their own account', async (t) => {
    const app = await buildTestApp(t)
    const owner = new Browser(app, '10.0.2.1')
    await signUp(owner, ann)
    await owner.post('/sign-out', {})
    // Someone else guesses from their own address: after five, that address is refused...
    const guesser = new Browser(app, '10.0.2.66')
    for (let i = 0; i < 5; i++) assert.equal((await signIn(guesser, ann.email, `guess number ${i}`)).status, 400)
    const limited = await signIn(guesser, ann.email, ann.password)
    assert.equal(limited.status, 429, 'even the right password is refused from the guessing address')
    assert.match(text(limited.html), /Too many failed attempts to sign in to this account\. Wait 15 minutes and try again/)
    assert.equal(inputValue(limited.html, 'email'), ann.email)
    // ...but the owner, from their own address, gets in at once.
    assert.equal((await signIn(new Browser(app, '10.0.2.1'), ann.email, ann.password)).status, 303)
    // Another account is not affected from the guessing address.
    await signUp(new Browser(app, '10.0.3.1'), { displayName: 'Bryn', email: 'bryn@example.org', password: 'another long passphrase' })
    assert.equal((await signIn(new Browser(app, '10.0.2.66'), 'bryn@example.org', 'another long passphrase')).status, 303)
  })

  test('guesses spread over many addresses meet an account-wide ceiling that the owner’s own browser does not', async (t) => {
    const app = await buildTestApp(t)
    const owner = new Browser(app, '10.0.8.1')
    await signUp(owner, ann)
    // The owner has signed in on this browser before: it carries the known-device cookie.
    await owner.post('/sign-out', {})
    assert.equal((await signIn(owner, ann.email, ann.password)).status, 303)
    assert.ok(owner.hasCookie('hashcamp_device'))
    await owner.post('/sign-out', {})
    // 50 guesses from 50 addresses (one each, under every per-address limit).
    for (let i = 0; i < 50; i++) assert.equal((await signIn(new Browser(app, `10.0.9.${i}`), ann.email, `guess ${i}`)).status, 400)
    // A 51st guess from a fresh address is refused, however good it is.
    const fresh = await signIn(new Browser(app, '10.0.10.1'), ann.email, ann.password)
    assert.equal(fresh.status, 429)
    assert.match(text(fresh.html), /Too many failed attempts to sign in to this account/)
    // The owner's browser still signs in, from a new address too (a train's wifi, say).
    const ownerElsewhere = new Browser(app, '10.0.11.1')
    for (const [name, value] of owner.cookieHeader().split('; ').map((c) => c.split('='))) if (name === 'hashcamp_device') ownerElsewhere.setCookie(name, decodeURIComponent(value!))
    assert.equal((await signIn(ownerElsewhere, ann.email, ann.password)).status, 303)
    // A known-device cookie is for its own account only: it does not lift Bryn's ceiling.
    await signUp(new Browser(app, '10.0.12.1'), { displayName: 'Bryn', email: 'bryn@example.org', password: 'another long passphrase' })
    for (let i = 0; i < 50; i++) await signIn(new Browser(app, `10.0.13.${i}`), 'bryn@example.org', `guess ${i}`)
    const borrowed = new Browser(app, '10.0.14.1')
    for (const [name, value] of owner.cookieHeader().split('; ').map((c) => c.split('='))) if (name === 'hashcamp_device') borrowed.setCookie(name, decodeURIComponent(value!))
    assert.equal((await signIn(borrowed, 'bryn@example.org', 'another long passphrase')).status, 429)
  })

  test('too many failed sign-ins from one address are refused', async (t) => {
    const app = await buildTestApp(t)
    const browser = new Browser(app, '10.0.4.4')
    for (let i = 0; i < 30; i++) await signIn(browser, `nobody${i}@example.org`, 'wrong password')
    const limited = await signIn(browser, 'someone-else@example.org', 'wrong password')
    assert.equal(limited.status, 429)
    assert.match(text(limited.html), /Too many failed attempts to sign in from your network/)
  })

  test('too many sign-ups from one address are refused', async (t) => {
    const app = await buildTestApp(t)
    const browser = new Browser(app, '10.0.5.5')
    for (let i = 0; i < 20; i++) {
      const made = await signUp(new Browser(app, '10.0.5.5'), { displayName: `P${i}`, email: `p${i}@example.org`, password: 'a long enough passphrase' })
      assert.equal(made.status, 303)
    }
    const limited = await signUp(browser, { displayName: 'One more', email: 'more@example.org', password: 'a long enough passphrase' })
    assert.equal(limited.status, 429)
    assert.match(text(limited.html), /Too many accounts have been created from your network/)
  })

  test('guesses sent all at once cannot get past the per-account limits', async (t) => {
    const app = await buildTestApp(t)
    await signUp(new Browser(app), ann)
    // From one address: at most five are checked.
    const sameAddress = Array.from({ length: 20 }, () => new Browser(app, '10.0.6.1'))
    await Promise.all(sameAddress.map((b) => b.get('/sign-in')))
    const fromOne = await Promise.all(sameAddress.map((b, i) => b.post('/sign-in', { email: ann.email, password: `guess ${i}` })))
    const checkedFromOne = fromOne.filter((a) => a.status === 400).length
    assert.ok(checkedFromOne <= 5, `${checkedFromOne} guesses from one address were checked; at most 5 may be`)
    assert.equal(fromOne.filter((a) => a.status === 429).length, 20 - checkedFromOne)
    // From many addresses at once: at most 50 in all are checked.
    const many = Array.from({ length: 70 }, (_, i) => new Browser(app, `10.0.7.${i}`))
    await Promise.all(many.map((b) => b.get('/sign-in')))
    const fromMany = await Promise.all(many.map((b, i) => b.post('/sign-in', { email: ann.email, password: `guess ${i}` })))
    const checked = fromMany.filter((a) => a.status === 400).length + checkedFromOne
    assert.ok(checked <= 50, `${checked} guesses were checked in all; at most 50 may be`)
  })

  test('probing for taken emails at sign-up counts against the limit too', async (t) => {
    const app = await buildTestApp(t)
    await signUp(new Browser(app), ann)
    const prober = new Browser(app, '10.0.7.7')
    for (let i = 0; i < 20; i++) {
      assert.equal((await signUp(prober, { displayName: 'Probe', email: ann.email, password: 'a long enough passphrase' })).status, 400)
    }
    assert.equal((await signUp(prober, { displayName: 'Probe', email: ann.email, password: 'a long enough passphrase' })).status, 429)
  })

  test('signing out ends the session: a copy of the cookie no longer signs anyone in', async (t) => {
    const app = await buildTestApp(t)
    const browser = new Browser(app)
    await signUp(browser, ann)
    const copied = browser.cookieHeader()
    assert.match((await app.inject({ url: '/', headers: { cookie: copied } })).body, /Sign out/)
    await browser.submit('/', '/sign-out', {})
    const replayed = await app.inject({ url: '/me/profile', headers: { cookie: copied } })
    assert.equal(replayed.statusCode, 303)
    assert.match(replayed.headers.location as string, /^\/sign-in/)
  })

  test('HASHCAMP_RATE_LIMITS=off turns the limits off', async (t) => {
    const app = await buildTestApp(t, { rateLimits: false })
    await signUp(new Browser(app), ann)
    for (let i = 0; i < 6; i++) await signIn(new Browser(app), ann.email, `guess ${i}`)
    assert.equal((await signIn(new Browser(app), ann.email, ann.password)).status, 303)
  })

  test('passwords are stored only as scrypt hashes', async (t) => {
    const app = await buildTestApp(t)
    await signUp(new Browser(app), ann)
    const row = await app.db.selectFrom('users').select(['password_hash', 'email']).$narrowType<{ password_hash: string }>().executeTakeFirstOrThrow()
    assert.match(row.password_hash, /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/)
    assert.ok(!row.password_hash.includes(ann.password))
    assert.equal(row.email, 'ann@example.org')
  })
})
