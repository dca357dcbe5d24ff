// Edge cases of the email outbox found in review: a misconfigured server must not fail every
// notice, a slow send must not be sent twice, unusual addresses, a session put back after a
// cancellation, one SEQUENCE for a meetup in emails and feeds, a half-written /dev/mail file,
// and bad input to the new routes.
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { SMTPServer } from 'smtp-server'
import { composeNotice, type EmailView } from '../../src/features/notices/compose.js'
import { OutboxWorker } from '../../src/features/notices/outbox-worker.js'
import { createMailer } from '../../src/lib/mailer.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { Browser, signUp } from '../helpers/browser.js'
import { person } from '../helpers/communities.js'
import { propose, setPhase } from '../helpers/events.js'
import { createMeetup, lunchForm, rsvp } from '../helpers/meetups.js'
import { campWithRooms, gridIds, place } from '../helpers/schedule.js'
import { drain, feedEvents, inviteOf, mailTo, startSmtp, type Received, type TestSmtp } from '../helpers/mail.js'

type T = Parameters<typeof buildTestApp>[0]
function one(list: Received[], subject: RegExp): Received {
  const found = list.filter((r) => subject.test(r.mail.subject ?? ''))
  assert.equal(found.length, 1)
  return found[0]!
}

async function mailApp(t: T, smtp?: TestSmtp): Promise<{ app: FastifyInstance; smtp: TestSmtp }> {
  const server = smtp ?? (await startSmtp())
  const app = await buildTestApp(t, { smtpUrl: server.url })
  t.after(() => server.close())
  return { app, smtp: server }
}
const emailOf = async (app: FastifyInstance, name: string) => (await app.db.selectFrom('users').select('email').where('display_name', '=', name).$narrowType<{ email: string }>().executeTakeFirstOrThrow()).email

describe('email outbox edge cases', () => {
  test('a server-wide refusal (530 authentication required) is retried, not failed for good', async (t) => {
    // A mail server that wants AUTH: every MAIL FROM without it gets "530 Authentication Required".
    const server = new SMTPServer({ authOptional: false, disabledCommands: ['STARTTLS'], allowInsecureAuth: true, logger: false, onAuth: (_a, _s, cb) => cb(new Error('no')) })
    server.on('error', () => {})
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.server.address() as AddressInfo).port
    const app = await buildTestApp(t, { smtpUrl: `smtp://127.0.0.1:${port}` }) // SMTP_URL without the password: a config slip
    t.after(() => new Promise<void>((resolve) => server.close(() => resolve())))
    const host = await person(app, 'Hana Host')
    const ann = await person(app, 'Ann')
    await createMeetup(host)
    await rsvp(ann, 'lunch-on-saturday')
    await drain(app)
    const row = await app.db.selectFrom('outbox').select(['status', 'last_error']).executeTakeFirstOrThrow()
    assert.equal(row.status, 'pending', `a misconfigured server must not fail every notice at once (got ${row.status}: ${row.last_error})`)
  })

  test('a slow send is not sent again by a second worker while the first is alive', async (t) => {
    const smtp = await startSmtp({ delayMs: 1200 })
    const { app } = await mailApp(t, smtp)
    const host = await person(app, 'Hana Host')
    const ann = await person(app, 'Ann')
    await createMeetup(host)
    await rsvp(ann, 'lunch-on-saturday')
    const mailers: { close(): void }[] = []
    const make = () => {
      const mailer = createMailer({ smtpUrl: smtp.url, dataDir: app.config?.dataDir ?? '/tmp' })
      mailers.push(mailer)
      const renderHtml = (view: EmailView) => app.view('emails/notice', view) as Promise<string>
      return new OutboxWorker(app.db, app.dialect, mailer, (row, r) => composeNotice({ baseUrl: 'http://localhost:3000', from: 'Hashcamp <hashcamp@localhost>', tokens: app.outbox.tokens, links: app.outbox.links, renderHtml }, row, r), app.log)
    }
    const a = make()
    const b = make()
    const first = a.runOnce() // claims, and waits on the slow server
    await new Promise((resolve) => setTimeout(resolve, 700)) // A is still sending
    assert.equal(await b.runOnce(), 0, 'B finds nothing free: A is alive and holds it')
    await first
    await Promise.all([a.stop(), b.stop()])
    await new Promise((resolve) => setTimeout(resolve, 200))
    for (const m of mailers) m.close()
    assert.equal(smtp.received.length, 1, `sent ${smtp.received.length} times`)
  })

  test('a cancelled session put back on the grid after publishing tells whoever was sent the cancellation', async (t) => {
    const { app, smtp } = await mailApp(t)
    const { org, slug } = await campWithRooms(app)
    const mo = await person(app, 'Mo Member')
    const fan = await person(app, 'Fay Fan')
    const id = await propose(mo, slug, 'Alt text that helps')
    await org.get(`/events/${slug}/manage`)
    await org.post(`/events/${slug}/proposals/decide`, { action: 'accepted', ids: [String(id)] })
    const { rooms, sessionSlots } = await gridIds(app, slug)
    assert.equal((await place(org, slug, id, sessionSlots[0]!, rooms.Hall!)).status, 303)
    await setPhase(org, slug, 'pitching', 'published')
    await fan.get(`/events/${slug}/schedule`)
    await fan.post(`/events/${slug}/proposals/${id}/star`, { starred: '1', next: '' })
    await org.get(`/events/${slug}/schedule/edit`)
    assert.equal((await org.post(`/events/${slug}/schedule/unassign`, { proposal: String(id) })).status, 303)
    await drain(app)
    const fanAddress = await emailOf(app, 'Fay Fan')
    assert.equal(mailTo(smtp, fanAddress).filter((r) => /Cancelled/.test(r.mail.subject ?? '')).length, 1)
    // Back on, in another slot: the starrer's calendar still has it as cancelled.
    assert.equal((await place(org, slug, id, sessionSlots[1]!, rooms.Hall!)).status, 303)
    await drain(app)
    assert.equal(mailTo(smtp, fanAddress).length, 2, `after the restore: ${mailTo(smtp, fanAddress).map((r) => r.mail.subject).join(' | ')}`)
  })

  test('a person whose address has a non-ASCII local part (accepted at sign-up) still gets the cancellation', async (t) => {
    const { app } = await mailApp(t)
    const host = await person(app, 'Hana Host')
    const jose = new Browser(app, '10.77.0.1')
    assert.equal((await signUp(jose, { displayName: 'José', email: 'josé@example.org', password: 'a long enough passphrase' })).status, 303, 'sign-up accepts the address')
    await createMeetup(host)
    await rsvp(jose, 'lunch-on-saturday')
    await host.get('/meetups/lunch-on-saturday')
    await host.post('/meetups/lunch-on-saturday/cancel', {})
    await drain(app)
    const rows = await app.db.selectFrom('outbox').select(['kind', 'status', 'last_error']).orderBy('id').execute()
    const cancel = rows.find((r) => r.kind === 'meetupCancelled')!
    assert.equal(cancel.last_error, null, `cancellation not sent: ${cancel.status} ${cancel.last_error}`)
  })

  test('the emailed invite’s SEQUENCE is not ahead of the public feeds for the same UID', async (t) => {
    const { app, smtp } = await mailApp(t)
    const host = await person(app, 'Hana Host')
    const others = await Promise.all(['B', 'C', 'D'].map((n) => person(app, n)))
    const ann = await person(app, 'Ann')
    await createMeetup(host, { capacity: '10' })
    for (const o of others) await rsvp(o, 'lunch-on-saturday')
    await rsvp(ann, 'lunch-on-saturday')
    await drain(app)
    const invite = inviteOf(one(mailTo(smtp, await emailOf(app, 'Ann')), /going/))!
    // The host moves the meetup; Ann (meetupChanges off, or simply re-adding from the page) fetches the page's .ics.
    await host.submit('/meetups/lunch-on-saturday/edit', '/meetups/lunch-on-saturday/edit', { ...lunchForm, slug: 'lunch-on-saturday', capacity: '10', startsAt: lunchForm.startsAt.replace('12:30', '15:00'), endsAt: lunchForm.endsAt.replace('13:30', '16:00') })
    const feed = feedEvents((await app.inject('/meetups/lunch-on-saturday/calendar.ics')).body).get(invite.uid)!
    assert.ok(feed.sequence > invite.sequence, `the moved meetup in the public feed has SEQUENCE ${feed.sequence}, the invite already in Ann's calendar ${invite.sequence}: the update is ignored as stale`)
  })


  test('/dev/mail survives a half-written summary file', async (t) => {
    const app = await buildTestApp(t)
    const admin = await person(app, 'Site Admin')
    await app.db.updateTable('users').set({ role: 'admin' }).where('display_name', '=', 'Site Admin').execute()
    const dir = path.join(app.config.dataDir, 'mail')
    await fs.mkdir(dir, { recursive: true })
    await fs.writeFile(path.join(dir, '2099-x.json'), '{"file":"x.eml","to":')
    assert.notEqual((await admin.get('/dev/mail')).status, 500)
  })

  test('bad input to the new routes is never a 500', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Hana Host')
    await createMeetup(host)
    const statuses: Record<string, number> = {}
    const go = async (name: string, p: Promise<{ status: number }>) => (statuses[name] = (await p).status)
    await go('unsub long', app.inject(`/unsubscribe/${'a'.repeat(300)}`).then((r) => ({ status: r.statusCode })))
    await go('unsub bad %', app.inject('/unsubscribe/%E0%A4%A').then((r) => ({ status: r.statusCode })))
    await go('unsub junk', app.inject('/unsubscribe/1.rsvps.!!!!').then((r) => ({ status: r.statusCode })))
    await go('unsub big id', app.inject('/unsubscribe/9999999999999999.rsvps.AAAAAAAAAAAAAAAAAAAAAA').then((r) => ({ status: r.statusCode })))
    await go('unsub json', app.inject({ method: 'POST', url: '/unsubscribe/1.rsvps.x', headers: { 'content-type': 'application/json' }, payload: '{' }).then((r) => ({ status: r.statusCode })))
    await go('msg array', host.submit('/meetups/lunch-on-saturday/message', '/meetups/lunch-on-saturday/message', { body: ['a', 'b'] }))
    await go('msg missing', host.submit('/meetups/lunch-on-saturday/message', '/meetups/lunch-on-saturday/message', {}))
    await go('msg 404', host.submit('/meetups/lunch-on-saturday/message', '/meetups/nope/message', { body: 'x' }))
    await go('prefs bad', host.submit('/me/email', '/me/email', { topics: Array.from({ length: 30 }, () => 'rsvps') }))
    await go('prefs junk', host.submit('/me/email', '/me/email', { 'topics[a]': 'b' }))
    await go('devmail anon', app.inject('/dev/mail').then((r) => ({ status: r.statusCode })))
    for (const [name, status] of Object.entries(statuses)) assert.ok(status < 500, `${name}: ${status}`)
  })
})
