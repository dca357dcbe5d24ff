// Getting back in and keeping the address true, as a person does it: from the emails they get.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { requestPasswordReset } from '../../src/features/accounts/recovery.service.js'
import { redactUrlSecrets } from '../../src/lib/redact.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { Browser, signIn, signUp, text } from '../helpers/browser.js'
import { createMeetup, rsvp } from '../helpers/meetups.js'
import { person } from '../helpers/communities.js'
import { drain, mailTo, startSmtp, type Received, type TestSmtp } from '../helpers/mail.js'

const ann = { displayName: 'Ann Example', email: 'ann@example.org', password: 'correct horse battery' }
const NEW_PASSWORD = 'a brand new passphrase'

async function appWithMail(t: Parameters<typeof buildTestApp>[0]): Promise<{ app: FastifyInstance; smtp: TestSmtp }> {
  const smtp = await startSmtp()
  const app = await buildTestApp(t, { smtpUrl: smtp.url })
  // After the app (and its mailer's open connection) has closed, or closing the server waits for it.
  t.after(() => smtp.close())
  return { app, smtp }
}

/** The path of the first link to this site in an email's text, as a person would click it. */
function linkIn(received: Received, prefix: string): string {
  const match = new RegExp(`http://localhost:3000(${prefix}[^\\s]+)`).exec(received.mail.text ?? '')
  assert.ok(match, `a ${prefix} link in “${received.mail.subject}”`)
  return match[1]!
}

async function emailsTo(app: FastifyInstance, smtp: TestSmtp, address: string): Promise<Received[]> {
  await drain(app)
  return mailTo(smtp, address)
}

async function isSignedIn(browser: Browser): Promise<boolean> {
  return (await browser.get('/me')).status === 200
}

describe('password reset', () => {
  test('a forgotten password is reset from the emailed link; the link works once and every session ends', async (t) => {
    const { app, smtp } = await appWithMail(t)
    const laptop = new Browser(app, '10.0.0.1')
    await signUp(laptop, ann)
    const phone = new Browser(app, '10.0.0.2')
    await signIn(phone, ann.email, ann.password)

    const visitor = new Browser(app, '10.0.0.3')
    assert.match((await visitor.get('/sign-in')).html, /href="\/password-reset">Forgotten your password\?/)
    const asked = await visitor.submit('/password-reset', '/password-reset', { email: 'ANN@example.org' })
    assert.equal(asked.status, 303)
    assert.equal(asked.location, '/password-reset/sent')
    assert.match(text((await visitor.get('/password-reset/sent')).html), /If that address has a Hashcamp account, we have sent it a link/)

    const [email] = (await emailsTo(app, smtp, ann.email)).filter((r) => /Reset your Hashcamp password/.test(r.mail.subject ?? ''))
    assert.ok(email, 'the reset email came')
    assert.match(email.mail.text ?? '', /works once, for 60 minutes/)
    assert.equal(email.mail.headers.get('list-unsubscribe'), undefined, 'no unsubscribe link on mail about the account')
    const link = linkIn(email, '/password-reset/')

    const form = await visitor.get(link)
    assert.equal(form.status, 200)
    assert.equal(form.response.headers['cache-control'], 'no-store')
    assert.equal(form.response.headers['referrer-policy'], 'no-referrer', 'the token is not sent on to other sites')
    assert.match(text(form.html), /Choose a new password/)

    const tooShort = await visitor.post(link, { password: 'short' })
    assert.equal(tooShort.status, 400)
    assert.match(text(tooShort.html), /Your password must be at least 8 characters/)
    const common = await visitor.post(link, { password: 'password123' })
    assert.equal(common.status, 400)
    assert.match(text(common.html), /too common/)

    const saved = await visitor.post(link, { password: NEW_PASSWORD })
    assert.equal(saved.status, 303)
    assert.match(text((await visitor.get('/')).html), /Your password has been changed and you are signed in/)
    assert.ok(await isSignedIn(visitor), 'the browser that reset it is signed in')
    assert.equal(await isSignedIn(laptop), false, 'the laptop was signed out')
    assert.equal(await isSignedIn(phone), false, 'the phone was signed out')

    assert.equal((await signIn(new Browser(app, '10.0.0.4'), ann.email, ann.password)).status, 400, 'the old password no longer works')
    assert.equal((await signIn(new Browser(app, '10.0.0.5'), ann.email, NEW_PASSWORD)).status, 303, 'the new one does')

    const again = await new Browser(app, '10.0.0.6').get(link)
    assert.equal(again.status, 410)
    assert.match(text(again.html), /This link has already been used/)
    assert.match(again.html, /href="\/password-reset"/)
    const reused = await visitor.post(link, { password: 'yet another passphrase' })
    assert.equal(reused.status, 410, 'posting to a used link changes nothing')
    assert.equal((await signIn(new Browser(app, '10.0.0.7'), ann.email, NEW_PASSWORD)).status, 303)

    const told = (await emailsTo(app, smtp, ann.email)).filter((r) => /password has been changed/.test(r.mail.subject ?? ''))
    assert.equal(told.length, 1, 'the account is told its password changed')
  })

  test('an address without an account gets exactly the same answer, and no email', async (t) => {
    const { app, smtp } = await appWithMail(t)
    await signUp(new Browser(app), ann)
    const known = await new Browser(app, '10.0.1.1').submit('/password-reset', '/password-reset', { email: ann.email })
    const unknown = await new Browser(app, '10.0.1.2').submit('/password-reset', '/password-reset', { email: 'nobody@example.org' })
    assert.deepEqual([unknown.status, unknown.location], [known.status, known.location])
    assert.equal((await emailsTo(app, smtp, 'nobody@example.org')).length, 0)
  })

  test('an expired link, a forged one, and one for another account are refused with a page that says so', async (t) => {
    const { app, smtp } = await appWithMail(t)
    const annBrowser = new Browser(app, '10.0.2.1')
    await signUp(annBrowser, ann)
    const bryn = await person(app, 'Bryn')

    // Asked for two hours ago: the link is an hour past its life.
    await requestPasswordReset(app.db, ann.email, new Date(Date.now() - 2 * 60 * 60 * 1000), { rateLimits: false })
    const [old] = (await emailsTo(app, smtp, ann.email)).filter((r) => /Reset your/.test(r.mail.subject ?? ''))
    const expiredLink = linkIn(old!, '/password-reset/')
    const stranger = new Browser(app, '10.0.2.2')
    const expired = await stranger.get(expiredLink)
    assert.equal(expired.status, 410)
    assert.match(text(expired.html), /This link has expired/)
    assert.equal((await stranger.post(expiredLink, { password: NEW_PASSWORD })).status, 410, 'posting to it changes nothing either')

    await requestPasswordReset(app.db, ann.email, new Date(), { rateLimits: false })
    const fresh = (await emailsTo(app, smtp, ann.email)).filter((r) => /Reset your/.test(r.mail.subject ?? ''))
    const link = linkIn(fresh.at(-1)!, '/password-reset/')
    // One character of the signature changed, in the middle and at the end (whose spare bits
    // decode to the same bytes for some letters: the link must still be refused).
    const middle = link.length - 20
    for (const forged of [link.slice(0, middle) + (link[middle] === 'A' ? 'B' : 'A') + link.slice(middle + 1), link.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))]) {
      const forgedPage = await new Browser(app, '10.0.2.3').get(forged)
      assert.equal(forgedPage.status, 404, forged)
      assert.match(text(forgedPage.html), /This link does not work/)
    }
    const [id] = link.split('/').at(-1)!.split('.')
    assert.equal((await new Browser(app, '10.0.2.3').get(`/password-reset/${Number(id) + 1}.${'A'.repeat(43)}`)).status, 404, 'a guessed id')

    const asBryn = await bryn.get(link)
    assert.equal(asBryn.status, 403)
    assert.match(text(asBryn.html), /This link is for another account/)
    assert.equal((await bryn.post(link, { password: NEW_PASSWORD })).status, 403)
    assert.equal((await signIn(new Browser(app, '10.0.2.4'), ann.email, ann.password)).status, 303, 'Ann’s password is unchanged')
    // The link is still good for Ann herself.
    assert.equal((await new Browser(app, '10.0.2.5').get(link)).status, 200)
  })

  test('two tabs posting the same link at once: exactly one new password wins', async (t) => {
    const { app, smtp } = await appWithMail(t)
    await signUp(new Browser(app), ann)
    await requestPasswordReset(app.db, ann.email, new Date(), { rateLimits: false })
    const link = linkIn((await emailsTo(app, smtp, ann.email)).find((r) => /Reset your/.test(r.mail.subject ?? ''))!, '/password-reset/')
    const tabs = [new Browser(app, '10.0.3.1'), new Browser(app, '10.0.3.2')]
    await Promise.all(tabs.map((tab) => tab.get(link)))
    const results = await Promise.all(tabs.map((tab, i) => tab.post(link, { password: `${NEW_PASSWORD} ${i}` })))
    assert.deepEqual(results.map((r) => r.status).sort(), [303, 410])
    const winner = results.findIndex((r) => r.status === 303)
    assert.equal((await signIn(new Browser(app, '10.0.3.3'), ann.email, `${NEW_PASSWORD} ${winner}`)).status, 303)
  })

  test('reset requests are limited: per account silently, per network with a 429', async (t) => {
    const { app, smtp } = await appWithMail(t)
    await signUp(new Browser(app), ann)
    for (let i = 0; i < 5; i++) {
      const asked = await new Browser(app, `10.0.4.${i}`).submit('/password-reset', '/password-reset', { email: ann.email })
      assert.equal(asked.status, 303, 'the answer never changes for an account')
    }
    const resets = (await emailsTo(app, smtp, ann.email)).filter((r) => /Reset your/.test(r.mail.subject ?? ''))
    assert.equal(resets.length, 3, 'only three reset emails an hour reach one inbox')

    const office = new Browser(app, '10.0.5.1')
    for (let i = 0; i < 10; i++) assert.equal((await office.submit('/password-reset', '/password-reset', { email: `someone${i}@example.org` })).status, 303)
    const limited = await office.submit('/password-reset', '/password-reset', { email: 'one-more@example.org' })
    assert.equal(limited.status, 429)
    assert.match(text(limited.html), /Too many reset links/)
    assert.match(limited.html, /value="one-more@example.org"/, 'what was typed is kept')
  })

  test('a badly typed address gets the error at the field', async (t) => {
    const app = await buildTestApp(t)
    const page = await new Browser(app).submit('/password-reset', '/password-reset', { email: 'not an address' })
    assert.equal(page.status, 400)
    assert.match(text(page.html), /There is a problem/)
    assert.match(page.html, /id="email-error"/)
    assert.match(page.html, /value="not an address"/)
  })

  test('reset and confirmation links never reach the logs', () => {
    assert.equal(redactUrlSecrets('/password-reset/12.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ'), '/password-reset/[secret]')
    assert.equal(redactUrlSecrets('/verify-email/12.abc?x=1'), '/verify-email/[secret]?x=1')
    assert.equal(redactUrlSecrets('/password-reset/sent'), '/password-reset/sent')
  })
})

describe('confirming the email address', () => {
  test('an unconfirmed address gets no notices until confirmed; opening the link alone confirms nothing', async (t) => {
    const { app, smtp } = await appWithMail(t)
    const host = await person(app, 'Hana Host')
    await createMeetup(host)
    const annBrowser = new Browser(app, '10.0.6.1')
    assert.equal((await signUp(annBrowser, ann, { confirmed: false })).status, 303)

    const me = text((await annBrowser.get('/me')).html)
    assert.match(me, /Confirm your email address ann@example.org/)
    const account = text((await annBrowser.get('/me/account')).html)
    assert.match(account, /Not confirmed/)

    await rsvp(annBrowser, 'lunch-on-saturday')
    const before = await emailsTo(app, smtp, ann.email)
    assert.deepEqual(before.map((r) => r.mail.subject), ['Confirm your email address for Hashcamp'], 'only the confirmation, no meetup email')
    assert.match(before[0]!.mail.text ?? '', /works once, for 24 hours/)
    const link = linkIn(before[0]!, '/verify-email/')

    // A mail scanner (or a preview) that opens the link changes nothing.
    const opened = await new Browser(app, '10.0.6.9').get(link)
    assert.equal(opened.status, 200)
    assert.match(text(opened.html), /Confirm that ann@example.org is your email address/)
    assert.match(text((await annBrowser.get('/me/account')).html), /Not confirmed/)

    const confirmed = await annBrowser.submit(link, link, {})
    assert.equal(confirmed.status, 303)
    assert.equal(confirmed.location, '/me/account')
    const after = text((await annBrowser.get('/me/account')).html)
    assert.match(after, /Thank you: ann@example.org is confirmed/)
    assert.match(after, /Confirmed/)
    assert.doesNotMatch(text((await annBrowser.get('/me')).html), /Confirm your email address/)

    const twice = await annBrowser.get(link)
    assert.equal(twice.status, 410)
    assert.match(text(twice.html), /already been used/)

    // From now on the meetup's emails reach her.
    await host.submit('/meetups/lunch-on-saturday/edit', '/meetups/lunch-on-saturday/cancel', {})
    const later = await emailsTo(app, smtp, ann.email)
    assert.ok(later.some((r) => /Cancelled: Lunch on Saturday/.test(r.mail.subject ?? '')), 'the cancellation reached her')
  })

  test('asking again sends a new link and the old one stops working; the asking is limited', async (t) => {
    const { app, smtp } = await appWithMail(t)
    const annBrowser = new Browser(app, '10.0.7.1')
    await signUp(annBrowser, ann, { confirmed: false })
    const first = linkIn((await emailsTo(app, smtp, ann.email))[0]!, '/verify-email/')
    const resent = await annBrowser.submit('/me/account', '/me/account/confirmation', {})
    assert.equal(resent.status, 303)
    assert.match(text((await annBrowser.get('/me/account')).html), /We have sent a new confirmation link to ann@example.org/)
    const mails = await emailsTo(app, smtp, ann.email)
    assert.equal(mails.length, 2)
    const second = linkIn(mails[1]!, '/verify-email/')
    assert.equal((await annBrowser.get(first)).status, 410, 'the older link is retired')
    assert.equal((await annBrowser.submit(second, second, {})).status, 303)

    const bryn = new Browser(app, '10.0.7.2')
    await signUp(bryn, { displayName: 'Bryn', email: 'bryn@example.org', password: 'a long enough passphrase' }, { confirmed: false })
    for (let i = 0; i < 5; i++) assert.equal((await bryn.submit('/me/account', '/me/account/confirmation', {})).status, 303)
    const limited = await bryn.submit('/me/account', '/me/account/confirmation', {})
    assert.equal(limited.status, 429)
    assert.match(text(limited.html), /too many confirmation emails/)
  })
})

describe('changing the address and the password, signing out everywhere', () => {
  test('a new address is confirmed there before it counts, and the old one is told', async (t) => {
    const { app, smtp } = await appWithMail(t)
    const annBrowser = new Browser(app, '10.0.8.1')
    await signUp(annBrowser, ann)
    await person(app, 'Bryn')
    const brynEmail = (await app.db.selectFrom('users').select('email').where('display_name', '=', 'Bryn').$narrowType<{ email: string }>().executeTakeFirstOrThrow()).email

    const wrong = await annBrowser.submit('/me/account', '/me/account/email', { email: 'ann@new.example.org', currentPasswordForEmail: 'not my password' })
    assert.equal(wrong.status, 400)
    assert.match(text(wrong.html), /Your current password is not right/)
    assert.match(wrong.html, /value="ann@new.example.org"/, 'the new address is kept')
    assert.doesNotMatch(wrong.html, /not my password/, 'the password is not sent back')

    const taken = await annBrowser.submit('/me/account', '/me/account/email', { email: brynEmail, currentPasswordForEmail: ann.password })
    assert.equal(taken.status, 400)
    assert.match(text(taken.html), /Another account uses this email address/)
    const same = await annBrowser.submit('/me/account', '/me/account/email', { email: 'Ann@Example.org', currentPasswordForEmail: ann.password })
    assert.match(text(same.html), /This is already your email address/)
    const bad = await annBrowser.submit('/me/account', '/me/account/email', { email: 'nope', currentPasswordForEmail: '' })
    assert.equal(bad.status, 400)
    assert.match(text(bad.html), /Enter an email address in the right format/)
    assert.match(text(bad.html), /Enter your current password/)

    const asked = await annBrowser.submit('/me/account', '/me/account/email', { email: 'ann@new.example.org', currentPasswordForEmail: ann.password })
    assert.equal(asked.status, 303)
    const page = text((await annBrowser.get('/me/account')).html)
    assert.match(page, /We have sent a link to ann@new.example.org/)
    assert.match(page, /Your email address is ann@example.org/, 'nothing changes until it is confirmed')

    const [confirmation] = await emailsTo(app, smtp, 'ann@new.example.org')
    assert.match(confirmation!.mail.text ?? '', /change the email address of your Hashcamp account to ann@new.example.org/)
    const link = linkIn(confirmation!, '/verify-email/')
    assert.equal((await annBrowser.submit(link, link, {})).status, 303)
    assert.match(text((await annBrowser.get('/me/account')).html), /Your email address is now ann@new.example.org/)

    const toOld = (await emailsTo(app, smtp, ann.email)).filter((r) => /email address has been changed/.test(r.mail.subject ?? ''))
    assert.equal(toOld.length, 1, 'the old address is told')
    assert.match(toOld[0]!.mail.text ?? '', /changed to ann@new.example.org/)

    assert.equal((await signIn(new Browser(app, '10.0.8.2'), 'ann@new.example.org', ann.password)).status, 303)
    assert.equal((await signIn(new Browser(app, '10.0.8.3'), ann.email, ann.password)).status, 400)
  })

  test('a new address taken by someone else before it is confirmed is refused at the link', async (t) => {
    const { app, smtp } = await appWithMail(t)
    const annBrowser = new Browser(app, '10.0.9.1')
    await signUp(annBrowser, ann)
    await annBrowser.submit('/me/account', '/me/account/email', { email: 'shared@example.org', currentPasswordForEmail: ann.password })
    await signUp(new Browser(app, '10.0.9.2'), { displayName: 'Quick', email: 'shared@example.org', password: 'a long enough passphrase' }, { confirmed: false })
    const link = linkIn((await emailsTo(app, smtp, 'shared@example.org')).find((r) => /change the email address/.test(r.mail.text ?? ''))!, '/verify-email/')
    const refused = await annBrowser.submit(link, link, {})
    assert.equal(refused.status, 409)
    assert.match(text(refused.html), /That email address is already in use/)
    assert.match(text((await annBrowser.get('/me/account')).html), /Your email address is ann@example.org/)
  })

  test('changing the password needs the current one and signs out every other browser', async (t) => {
    const { app, smtp } = await appWithMail(t)
    const laptop = new Browser(app, '10.0.10.1')
    await signUp(laptop, ann)
    const phone = new Browser(app, '10.0.10.2')
    await signIn(phone, ann.email, ann.password)
    assert.match(text((await laptop.get('/me/account')).html), /signed in on 2 browsers/)

    const wrong = await laptop.submit('/me/account', '/me/account/password', { currentPassword: 'wrong one', newPassword: NEW_PASSWORD })
    assert.equal(wrong.status, 400)
    assert.match(text(wrong.html), /Your current password is not right/)
    const short = await laptop.submit('/me/account', '/me/account/password', { currentPassword: ann.password, newPassword: 'short' })
    assert.equal(short.status, 400)
    assert.match(text(short.html), /at least 8 characters/)

    const changed = await laptop.submit('/me/account', '/me/account/password', { currentPassword: ann.password, newPassword: NEW_PASSWORD })
    assert.equal(changed.status, 303)
    assert.match(text((await laptop.get('/me/account')).html), /Your password has been changed/)
    assert.ok(await isSignedIn(laptop), 'this browser stays signed in')
    assert.equal(await isSignedIn(phone), false, 'the phone is signed out')
    assert.equal((await signIn(new Browser(app, '10.0.10.3'), ann.email, NEW_PASSWORD)).status, 303)
    assert.equal((await emailsTo(app, smtp, ann.email)).filter((r) => /password has been changed/.test(r.mail.subject ?? '')).length, 1)
  })

  test('sign out everywhere ends every session, copies of the cookie included', async (t) => {
    const app = await buildTestApp(t)
    const laptop = new Browser(app, '10.0.11.1')
    await signUp(laptop, ann)
    const phone = new Browser(app, '10.0.11.2')
    await signIn(phone, ann.email, ann.password)
    const copy = new Browser(app, '10.0.11.3')
    copy.setCookie('hashcamp_session', decodeURIComponent(/hashcamp_session=([^;]+)/.exec(phone.cookieHeader())![1]!))
    assert.ok(await isSignedIn(copy), 'a copied cookie works until then')

    const out = await phone.submit('/me/account', '/me/account/sign-out-everywhere', {})
    assert.equal(out.status, 303)
    assert.equal(out.location, '/sign-in')
    assert.match(text((await phone.get('/sign-in')).html), /signed out on every browser/)
    for (const browser of [laptop, phone, copy]) assert.equal(await isSignedIn(browser), false)
    assert.equal((await laptop.get('/me/account')).status, 303, 'the account page asks to sign in again')
  })

  test('the account page and its forms need a signed-in person and a CSRF token', async (t) => {
    const app = await buildTestApp(t)
    const visitor = new Browser(app)
    const page = await visitor.get('/me/account')
    assert.equal(page.status, 303)
    assert.match(page.location ?? '', /^\/sign-in\?next=%2Fme%2Faccount/)
    const annBrowser = new Browser(app)
    await signUp(annBrowser, ann)
    await annBrowser.get('/me/account')
    assert.equal((await annBrowser.post('/me/account/sign-out-everywhere', {}, { csrf: null })).status, 403)
    assert.ok(await isSignedIn(annBrowser))
  })
})
