// "Leave and take my data" (issue 20): a person downloads everything held about them, and
// deleting their account leaves no trace of their address or name in any table or in the
// mail folder, while the people around them see nothing broken: seats go to the waitlist,
// proposals and topics stay by "a former member" (or are withdrawn, if they chose that).
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import path from 'node:path'
import { describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { buildTestApp } from '../helpers/build-test-app.js'
import { Browser, signIn, signUp, text } from '../helpers/browser.js'
import { createCommunity, person } from '../helpers/communities.js'
import { currentDialect } from '../helpers/dialects.js'
import { createEvent, organiser, propose, setPhase } from '../helpers/events.js'
import { createMeetup, rsvp } from '../helpers/meetups.js'
import { drain } from '../helpers/mail.js'
import { addressDigest } from '../../src/features/accounts/sign-in-throttle.js'

const PASSWORD = 'a long enough passphrase'
/** The page's text without its tags, spaces folded. */
const plain = (html: string) => text(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ')

async function named(app: FastifyInstance, displayName: string, email: string, ip: string): Promise<Browser> {
  const browser = new Browser(app, ip)
  const page = await signUp(browser, { displayName, email, password: PASSWORD })
  assert.equal(page.status, 303, `sign-up of ${displayName}`)
  return browser
}

async function userId(app: FastifyInstance, email: string): Promise<number> {
  return (await app.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id
}

/** Every row of every table, read through the schema itself, as JSON text: nothing can hide in a column the test forgot. */
async function everyTable(app: FastifyInstance): Promise<Map<string, string>> {
  const names =
    currentDialect() === 'postgres'
      ? (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(app.db)).rows
      : (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(app.db)).rows
  const dump = new Map<string, string>()
  for (const { name } of names) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(app.db)).rows
    dump.set(name, JSON.stringify(rows))
  }
  return dump
}

async function mailFiles(app: FastifyInstance): Promise<Map<string, string>> {
  const dir = path.join(app.config.dataDir, 'mail')
  const files = new Map<string, string>()
  for (const name of await fs.readdir(dir).catch(() => [] as string[])) files.set(name, await fs.readFile(path.join(dir, name), 'utf8'))
  return files
}

function holding(where: Map<string, string>, needle: string): string[] {
  return [...where].filter(([, content]) => content.toLowerCase().includes(needle.toLowerCase())).map(([name]) => name)
}

/** Subjects of the folder emails to `address` (from the .json summaries). */
async function subjectsTo(app: FastifyInstance, address: string): Promise<string[]> {
  const subjects: string[] = []
  for (const [name, content] of await mailFiles(app)) {
    if (!name.endsWith('.json')) continue
    const summary = JSON.parse(content) as { to: string; subject: string }
    if (summary.to.toLowerCase().includes(address.toLowerCase())) subjects.push(summary.subject)
  }
  return subjects
}

describe('download my data', () => {
  test('the file holds my things, as an attachment, and nobody’s secrets', async (t) => {
    const app = await buildTestApp(t)
    const admin = await person(app, 'Site Admin')
    const org = await organiser(app, admin, 'Olu Organiser')
    await createEvent(org)
    await setPhase(org, 'ukgc27', 'proposals')
    const ann = await named(app, 'Ann Exporter', 'ann.export@example.org', '10.9.0.1')
    await named(app, 'Bryn Other', 'bryn.other@example.org', '10.9.0.2')
    const mine = await propose(ann, 'ukgc27', 'Plain English for forms')
    const theirs = await propose(org, 'ukgc27', 'Open data at scale')
    await ann.submit(`/events/ukgc27/proposals/${theirs}`, `/events/ukgc27/proposals/${theirs}/vote`, { want: '1' })
    await createMeetup(org, { slug: 'export-lunch', title: 'Export lunch' })
    await rsvp(ann, 'export-lunch')

    assert.match(plain((await ann.get('/me')).html), /Your data/, '/me links to the data page')
    const page = await ann.get('/me/data')
    assert.equal(page.status, 200)
    assert.match(plain(page.html), /Download my data \(JSON\)/)
    assert.match(page.html, /href="\/me\/delete"/)

    const download = await ann.get('/me/data.json')
    assert.equal(download.status, 200)
    assert.match(String(download.response.headers['content-disposition']), /^attachment; filename="hashcamp-my-data-\d{4}-\d{2}-\d{2}\.json"$/)
    const data = JSON.parse(download.html) as {
      profile: { email: string; display_name: string }
      proposals: { id: number; title: string }[]
      proposalVotes: { proposal_id: number }[]
      rsvps: { meetup: string; status: string }[]
      emails: { kind: string }[]
    }
    assert.equal(data.profile.email, 'ann.export@example.org')
    assert.equal(data.profile.display_name, 'Ann Exporter')
    assert.deepEqual(data.proposals.map((p) => [p.id, p.title]), [[mine, 'Plain English for forms']])
    assert.deepEqual(data.proposalVotes.map((v) => v.proposal_id), [theirs])
    assert.deepEqual(data.rsvps.map((r) => [r.meetup, r.status]), [['export-lunch', 'going']])
    assert.ok(data.emails.some((e) => e.kind === 'rsvpGoing'), 'the email about my RSVP is in the file')
    assert.doesNotMatch(download.html, /password|scrypt\$/i, 'no password hash')
    assert.doesNotMatch(download.html, /bryn|olu organiser|site admin/i, 'nobody else’s details')

    const anonymous = await app.inject('/me/data.json')
    assert.equal(anonymous.statusCode, 303, 'signed out: sent to sign in')
    assert.match(String(anonymous.headers.location), /^\/sign-in/)
  })
})

describe('delete my account', () => {
  test('seats go to the waitlist, what I suggested stays by "a former member", and no table or email keeps my address or name', async (t) => {
    const app = await buildTestApp(t)
    const admin = await person(app, 'Site Admin')
    const org = await organiser(app, admin, 'Olu Organiser')
    await createEvent(org)
    await setPhase(org, 'ukgc27', 'proposals')
    const EMAIL = 'annwen.leaving@example.org'
    const NAME = 'Annwen Leaving'
    const ann = await named(app, NAME, EMAIL, '10.9.1.1')
    const cy = await named(app, 'Cy Waiting', 'cy.waiting@example.org', '10.9.1.2')
    const dee = await named(app, 'Dee Going', 'dee.going@example.org', '10.9.1.3')
    const annId = await userId(app, EMAIL)

    // Ann proposes, votes and stars; joins a community and suggests a topic.
    const hers = await propose(ann, 'ukgc27', 'Plain English for forms')
    const olus = await propose(org, 'ukgc27', 'Open data at scale')
    await ann.submit(`/events/ukgc27/proposals/${olus}`, `/events/ukgc27/proposals/${olus}/vote`, { want: '1' })
    await ann.submit(`/events/ukgc27/proposals/${olus}`, `/events/ukgc27/proposals/${olus}/star`, { starred: '1' })
    assert.equal((await app.db.selectFrom('proposals').select('vote_count').where('id', '=', olus).executeTakeFirstOrThrow()).vote_count, 1)
    assert.equal((await app.db.selectFrom('stars').select('user_id').where('user_id', '=', annId).execute()).length, 1, 'the star was given')
    await createCommunity(org)
    await ann.submit('/communities/lgovsm', '/communities/lgovsm/join', { listed: '1' })
    const topic = await ann.submit('/communities/lgovsm/topics/new', '/communities/lgovsm/topics', { title: 'Accessible PDFs', description: '' })
    assert.equal(topic.status, 303)

    // Olu's lunch has one seat: Ann has it, Cy waits. Ann's own picnic has Dee going.
    await createMeetup(org, { slug: 'one-seat-lunch', title: 'One seat lunch', capacity: '1' })
    await rsvp(ann, 'one-seat-lunch')
    await rsvp(cy, 'one-seat-lunch')
    assert.equal((await createMeetup(ann, { slug: 'ann-picnic', title: 'Picnic in the park' })).status, 303)
    assert.equal((await rsvp(dee, 'ann-picnic')).status, 303)
    // Someone guessed at her password from elsewhere: the throttle holds her address.
    const guesser = new Browser(app, '10.9.1.99')
    assert.equal((await signIn(guesser, EMAIL, 'not her password')).status, 400)
    await drain(app)

    // A message to those going, still in the outbox when she leaves: it goes, without her name.
    assert.equal((await ann.submit('/meetups/ann-picnic/message', '/meetups/ann-picnic/message', { body: 'Bring a blanket.' })).status, 303)

    // The test can fail: before deletion, her address and name are there to find.
    // The account, and the confirmation link she used (it names the address it confirmed, until swept).
    assert.deepEqual(holding(await everyTable(app), EMAIL).sort(), ['account_links', 'users'], 'only these hold her address (the throttle counts a digest of it)')
    const digest = addressDigest(EMAIL)
    assert.ok(holding(await everyTable(app), digest).includes('rate_limit_hits'), 'the failed sign-in was counted against her account')
    assert.ok(holding(await mailFiles(app), EMAIL).length >= 2, 'emails to her are in the mail folder')
    assert.deepEqual(holding(await everyTable(app), NAME).sort(), ['outbox', 'users'], 'her name is on her account and in the queued host message')

    // The page asks for her password; a wrong one is a 400 that echoes nothing back.
    const form = await ann.get('/me/delete')
    assert.equal(form.status, 200)
    assert.match(plain(form.html), /Keep them, shown as by “a former member”/)
    assert.match(plain(form.html), /Withdraw them/)
    const wrong = await ann.post('/me/delete', { content: 'keep', password: 'Sup3r-secret-guess' })
    assert.equal(wrong.status, 400)
    assert.match(plain(wrong.html), /There is a problem.*The password is not right/)
    assert.doesNotMatch(wrong.html, /Sup3r-secret-guess/)
    const noChoice = await ann.post('/me/delete', { password: PASSWORD })
    assert.equal(noChoice.status, 400)
    assert.match(plain(noChoice.html), /Choose what should happen to your proposals and chat topics/)
    assert.ok(await app.db.selectFrom('users').select('id').where('id', '=', annId).executeTakeFirst(), 'still there after refusals')

    await ann.get('/me/delete')
    const gone = await ann.post('/me/delete', { content: 'keep', password: PASSWORD })
    assert.equal(gone.status, 303)
    assert.equal(gone.location, '/')
    assert.match(plain((await ann.get('/')).html), /Your account has been deleted/)
    assert.equal((await ann.get('/me')).status, 303, 'signed out')
    assert.deepEqual(holding(await everyTable(app), digest), [], 'the throttle forgot her account’s failed sign-ins')
    // A later try at her address is counted like a try at any address: as a digest, never the address.
    assert.equal((await signIn(new Browser(app, '10.9.1.50'), EMAIL, PASSWORD)).status, 400, 'cannot sign in again')
    await drain(app)

    // Cy got the seat and was told; Dee was told the picnic is off.
    const cyRsvp = await app.db.selectFrom('rsvps as r').innerJoin('meetups as m', 'm.id', 'r.meetup_id').select(['r.status', 'm.seats_taken']).where('m.slug', '=', 'one-seat-lunch').executeTakeFirstOrThrow()
    assert.deepEqual(cyRsvp, { status: 'going', seats_taken: 1 })
    assert.ok((await subjectsTo(app, 'cy.waiting@example.org')).includes('A seat came free: you’re going to One seat lunch'))
    assert.deepEqual((await subjectsTo(app, 'dee.going@example.org')).sort(), ['A message from a former member about Picnic in the park', 'Cancelled: Picnic in the park', 'You’re going to Picnic in the park'])
    assert.match(plain((await app.inject('/meetups/ann-picnic')).body), /Hosts A former member/)

    // What she suggested stays, by a former member; her vote and star are gone.
    const proposal = plain((await org.get(`/events/ukgc27/proposals/${hers}`)).html)
    assert.match(proposal, /Plain English for forms/)
    assert.match(proposal, /A former member/)
    assert.match(plain((await org.get('/events/ukgc27/proposals')).html), /Discussion · A former member/)
    assert.match(plain((await org.get('/communities/lgovsm/topics')).html), /Accessible PDFs.*Suggested by a former member/)
    assert.equal((await app.db.selectFrom('proposals').select('vote_count').where('id', '=', olus).executeTakeFirstOrThrow()).vote_count, 0)
    assert.equal((await app.inject('/people/' + annId)).statusCode, 404)

    // Nowhere to be found: every column of every table, every file in the mail folder.
    const tables = await everyTable(app)
    assert.ok(tables.size >= 25, `the whole schema was read (${tables.size} tables)`)
    assert.deepEqual(holding(tables, EMAIL), [], 'no table holds her address')
    assert.deepEqual(holding(tables, NAME), [], 'no table holds her name')
    assert.deepEqual(holding(tables, 'annwen.leaving'), [], 'nor the address in part')
    const files = await mailFiles(app)
    assert.ok(files.size >= 4, 'the mail folder still has other people’s emails')
    assert.deepEqual(holding(files, EMAIL), [], 'no email in the folder names her address')
    assert.deepEqual(holding(files, NAME), [], 'no email in the folder names her')
  })

  test('withdrawing takes back open proposals and undiscussed topics', async (t) => {
    const app = await buildTestApp(t)
    const admin = await person(app, 'Site Admin')
    const org = await organiser(app, admin, 'Olu Organiser')
    await createEvent(org)
    await setPhase(org, 'ukgc27', 'proposals')
    await createCommunity(org)
    const bea = await named(app, 'Bea Withdrawing', 'bea.withdrawing@example.org', '10.9.2.1')
    const id = await propose(bea, 'ukgc27', 'Service design basics')
    await bea.submit('/communities/lgovsm', '/communities/lgovsm/join', { listed: '1' })
    await bea.submit('/communities/lgovsm/topics/new', '/communities/lgovsm/topics', { title: 'Gov.uk Notify tips', description: '' })

    assert.match(plain((await org.get('/events/ukgc27/proposals')).html), /Service design basics/)
    assert.match(plain((await org.get('/communities/lgovsm/topics')).html), /Gov\.uk Notify tips/)

    await bea.get('/me/delete')
    assert.equal((await bea.post('/me/delete', { content: 'withdraw', password: PASSWORD })).status, 303)
    const proposal = await app.db.selectFrom('proposals').select(['state', 'proposer_id']).where('id', '=', id).executeTakeFirstOrThrow()
    assert.deepEqual(proposal, { state: 'withdrawn', proposer_id: null })
    assert.doesNotMatch(plain((await org.get('/events/ukgc27/proposals')).html), /Service design basics/, 'not among the live proposals')
    assert.doesNotMatch(plain((await org.get('/communities/lgovsm/topics')).html), /Gov\.uk Notify tips/)
  })

  test('the only admin is asked to hand over first', async (t) => {
    const app = await buildTestApp(t)
    const admin = await named(app, 'Only Admin', 'only.admin@example.org', '10.9.3.1')
    await admin.get('/me/delete')
    const refused = await admin.post('/me/delete', { content: 'keep', password: PASSWORD })
    assert.equal(refused.status, 409)
    assert.match(plain(refused.html), /You are the only admin/)
    assert.ok(await app.db.selectFrom('users').select('id').where('email', '=', 'only.admin@example.org').executeTakeFirst())
  })

  test('the admin can delete someone’s account from their people page: the same erasure, and the audit log says who did it', async (t) => {
    const app = await buildTestApp(t)
    const admin = await named(app, 'Site Admin', 'site.admin@example.org', '10.9.4.1')
    const gone = await named(app, 'Gwen Gone', 'gwen.gone@example.org', '10.9.4.2')
    await gone.submit('/me/account', '/me/account/email', { email: 'gwen.new@example.org', currentPasswordForEmail: PASSWORD })
    const id = await userId(app, 'gwen.gone@example.org')
    const other = await named(app, 'Olwen Other', 'olwen@example.org', '10.9.4.3')
    const refused = await other.get(`/admin/people/${id}`)
    assert.equal(refused.status, 403, 'only the admin')

    const page = await admin.get(`/admin/people/${id}`)
    assert.match(plain(page.html), /Delete this account/)
    const deleted = await admin.post(`/admin/people/${id}/delete`, { content: 'keep' })
    assert.equal(deleted.status, 303)
    assert.match(plain((await admin.get('/admin/people')).html), /The account has been deleted/)
    assert.equal(await app.db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst(), undefined)
    assert.equal((await gone.get('/me')).status, 303, 'their browser is signed out')
    const tables = await everyTable(app)
    for (const needle of ['gwen.gone@example.org', 'gwen.new@example.org', 'Gwen Gone']) assert.deepEqual(holding(tables, needle), [], `no table holds ${needle}`)
    assert.match(plain((await admin.get('/admin/audit')).html), /Site Admin deleted the account/)
    assert.equal((await admin.post(`/admin/people/${id}/delete`, { content: 'keep' })).status, 404, 'twice is a 404')
  })
})

test('logged addresses are cut out of URLs', async () => {
  const { redactUrlSecrets } = await import('../../src/lib/redact.js')
  assert.equal(redactUrlSecrets('/people?who=ann.x%40example.org&x=1'), '/people?who=[address]&x=1')
  assert.equal(redactUrlSecrets('/search?q=Ann@Example.org'), '/search?q=[address]')
})

describe('the privacy page', () => {
  test('says what is kept and why, in English and Welsh, and every page links to it', async (t) => {
    const app = await buildTestApp(t)
    const english = await app.inject('/privacy')
    assert.equal(english.statusCode, 200)
    assert.match(plain(english.body), /What we keep while you have an account/)
    assert.match(plain(english.body), /When you delete your account/)
    assert.match(plain(english.body), /shown as by “a former member”/)
    const welsh = await app.inject({ url: '/privacy', headers: { 'accept-language': 'cy' } })
    assert.match(plain(welsh.body), /Preifatrwydd: beth rydym yn ei gadw a pham/)
    assert.match((await app.inject('/')).body, /<a href="\/privacy">Privacy: what we keep and why<\/a>/)
  })
})
