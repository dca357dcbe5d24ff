// Real-browser journeys against a listening server, each with JavaScript on and off, with
// axe-core (WCAG 2.0/2.1/2.2 A and AA) on every page they reach and screenshots at 360 and
// 1280 px in test-artifacts/.
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import { describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { newContext } from '../helpers/chromium.js'
import { assertAccessible, demoServer, signInInBrowser, signUpInBrowser } from '../helpers/demo-server.js'
import { emailedLinkPath } from '../helpers/browser.js'

const server = demoServer()
const checked = new Set<string>()

/** axe on the page as it is now (once per path and width), plus a screenshot. */
async function check(page: Page, name: string): Promise<void> {
  const key = `${new URL(page.url()).pathname}@${page.viewportSize()?.width}`
  if (checked.has(key)) return
  checked.add(key)
  await assertAccessible(page, `${name}-${page.viewportSize()?.width}`)
}

const signUp = (page: Page, name: string, email: string) => signUpInBrowser(page, server.base, name, email, server.app)

for (const javaScript of [true, false]) {
  const mode = javaScript ? 'with JavaScript' : 'without JavaScript'

  describe(`journeys ${mode}`, () => {
    test('sign up → join a community → vote for a chat topic', async () => {
      for (const width of [1280, 360]) {
        const context = await newContext(server.chromium, { javaScript, width })
        const page = await context.newPage()
        await page.goto(`${server.base}/`)
        if (javaScript) await check(page, `home`)
        await page.goto(`${server.base}/sign-up`)
        await page.getByRole('button', { name: 'Create account' }).click()
        // An empty form: the error summary and inline errors, on the same page.
        await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
        if (javaScript) {
          await check(page, 'sign-up-errors')
          assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('error-summary')), true, 'focus moves to the error summary')
        }
        await signUp(page, `Journey ${width}`, `journey-${javaScript}-${width}@example.org`)
        await page.getByRole('link', { name: 'Communities' }).first().click()
        if (javaScript) await check(page, 'communities')
        await page.getByRole('link', { name: /#lgovsm/ }).first().click()
        if (javaScript) await check(page, 'community')
        await page.getByRole('button', { name: 'Join community' }).click()
        await page.getByText('You have joined').waitFor()
        await page.getByRole('link', { name: 'All topics' }).click()
        if (javaScript) await check(page, 'topics')
        const topic = 'Election-period rules (purdah) online'
        const row = page.locator('li.topic', { hasText: topic })
        const before = await row.locator('.topic__votes').innerText()
        await row.getByRole('button', { name: /^Vote/ }).click()
        await page.getByText(`You voted for “${topic}”`).waitFor()
        const afterVote = await page.locator('li.topic', { hasText: topic }).locator('.topic__votes').innerText()
        assert.equal(Number(afterVote.match(/\d+/)?.[0] ?? 0), Number(before.match(/\d+/)?.[0] ?? 0) + 1, `${before} → ${afterVote}`)
        await expectPressed(page, topic)
        await context.close()
      }
    })

    test('RSVP to a full lunch → waitlisted → a seat frees → promoted', async () => {
      const context = await newContext(server.chromium, { javaScript })
      const page = await context.newPage()
      await signUp(page, javaScript ? 'Harriet Hungry' : 'Huw Hungry', `hungry-${javaScript}@example.org`)
      await fillLunch()
      await page.goto(`${server.base}/meetups/unconference-lunch`)
      if (javaScript) await check(page, 'meetup')
      await page.getByRole('button', { name: 'Join the waiting list' }).click() // the lunch is full: the button says so
      await page.getByText(/on the waitlist: number \d+/).waitFor()
      const position = Number((await page.getByText(/You are number \d+ on the waitlist/).innerText()).match(/number (\d+)/)![1])
      assert.ok(position >= 1)

      // Everyone ahead drops out, one after another: the seat comes without doing anything.
      const organiser = server.logins.find((l) => l.role.includes('organiser'))!
      const ahead = await server.app.db
        .selectFrom('rsvps as r')
        .innerJoin('meetups as m', 'm.id', 'r.meetup_id')
        .select('r.user_id')
        .where('m.slug', '=', 'unconference-lunch')
        .where('r.status', '=', 'going')
        .orderBy('r.seq')
        .limit(position)
        .execute()
      const { rsvpNotGoing } = await import('../../src/features/meetups/rsvps.service.js')
      const meetup = await server.app.db.selectFrom('meetups').select('id').where('slug', '=', 'unconference-lunch').executeTakeFirstOrThrow()
      for (const { user_id } of ahead) await rsvpNotGoing(server.app.db, meetup.id, user_id, new Date())
      await page.reload()
      await page.getByText('You are going.').waitFor()
      if (javaScript) await check(page, 'meetup-going')
      assert.ok(organiser)
      await context.close()
    })

  })
}

// Pages only organisers reach (the HTML is the same with JavaScript off, so axe runs once).
test('organiser pages pass the same checks', async () => {
  const context = await newContext(server.chromium, { javaScript: true })
  const page = await context.newPage()
  const organiser = server.logins.find((l) => l.role.includes('organiser'))!
  await signInInBrowser(page, server.base, organiser.email, organiser.password)
  // The lunch journeys above promoted people from the waiting list: send their emails.
  while ((await server.app.outbox.worker.runOnce()) > 0) {
    // next round
  }
  const paths = ['/events/lgovcamp', '/events/lgovcamp/proposals', '/events/lgovcamp/manage', '/communities/lgovsm/chats', '/meetups/new', '/me', '/me/email', '/meetups/unconference-lunch/message', '/dev/mail']
  for (const path of paths) {
    await page.goto(`${server.base}${path}`)
    await check(page, path.replace(/\//g, '_'))
  }
  const promotion = page.locator('details.dev-mail', { has: page.getByText(/A seat came free: you’re going to Lunch/) }).first()
  await promotion.locator('summary').click()
  await promotion.getByText('BEGIN:VCALENDAR').waitFor()
  await context.close()
})

test('email choices in a real browser, and an unsubscribe link opened signed out with JavaScript off', async () => {
  const context = await newContext(server.chromium, { javaScript: true })
  const page = await context.newPage()
  await signUp(page, 'Ffion Email', 'ffion@example.org')
  await page.goto(`${server.base}/me/email`)
  await page.getByLabel('Reminders the day before a meetup').uncheck()
  await page.getByRole('button', { name: 'Save changes' }).click()
  await page.getByText('Your email choices are saved.').waitFor()
  assert.equal(await page.getByLabel('Reminders the day before a meetup').isChecked(), false)
  assert.equal(await page.getByLabel('Your replies to meetups').isChecked(), true)
  await context.close()

  const { id } = await server.app.db.selectFrom('users').select('id').where('email', '=', 'ffion@example.org').executeTakeFirstOrThrow()
  const signedOut = await newContext(server.chromium, { javaScript: false })
  const link = await signedOut.newPage()
  await link.goto(`${server.base}/unsubscribe/${server.app.outbox.tokens.sign(id, 'hostMessages')}`)
  await link.getByRole('button', { name: 'Stop these emails' }).click()
  await link.getByText('Done: you will get no more emails about “Messages from meetup hosts”.').waitFor()
  await signedOut.close()
  const topics = await server.app.db.selectFrom('email_opt_outs').select('topic').where('user_id', '=', id).orderBy('topic').execute()
  assert.deepEqual(topics.map((r) => r.topic), ['hostMessages', 'reminders'])
})

test('sharing to Mastodon works in a real browser with our CSP on and JavaScript off', async () => {
  const context = await server.chromium.newContext({ javaScriptEnabled: false })
  const page = await context.newPage()
  let reached: string | null = null
  // No network here: answer for the Mastodon server, and note where the browser went.
  await page.route('https://social.example.org/**', async (route) => {
    reached = route.request().url()
    await route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Mastodon</title>' })
  })
  await page.goto(`${server.base}/share/mastodon?text=${encodeURIComponent('Lunch – #lgovsm')}`)
  await page.getByLabel('Your Mastodon server').fill('social.example.org')
  await page.getByRole('button', { name: 'Share' }).click()
  await page.waitForURL(/social\.example\.org/)
  assert.equal(new URL(reached!).searchParams.get('text'), 'Lunch – #lgovsm')
  await context.close()
})

async function expectPressed(page: Page, topic: string): Promise<void> {
  const pressed = await page.locator('li.topic', { hasText: topic }).getByRole('button', { name: /^Remove vote/ }).getAttribute('aria-pressed')
  assert.equal(pressed, 'true')
}

/** Makes the demo lunch full again (earlier journeys free seats), so the next person waits. */
async function fillLunch(): Promise<void> {
  const { rsvpGoing } = await import('../../src/features/meetups/rsvps.service.js')
  const meetup = await server.app.db.selectFrom('meetups').select(['id', 'capacity', 'seats_taken']).where('slug', '=', 'unconference-lunch').executeTakeFirstOrThrow()
  const free = (meetup.capacity ?? 0) - meetup.seats_taken
  const spare = await server.app.db
    .selectFrom('users')
    .select('id')
    .where('email', 'like', 'voter%')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('rsvps').select('id').whereRef('rsvps.user_id', '=', 'users.id'))))
    .limit(free)
    .execute()
  for (const { id } of spare) await rsvpGoing(server.app.db, meetup.id, id, 1, new Date())
}

test('"Copy link" appears only where it works: hidden without JavaScript, and copies with it', async () => {
  for (const javaScript of [false, true]) {
    const context = await server.chromium.newContext({ javaScriptEnabled: javaScript })
    if (javaScript) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base })
    const page = await context.newPage()
    for (const path of ['/meetups/unconference-lunch', '/communities/lgovsm']) {
      await page.goto(`${server.base}${path}`)
      const copy = page.getByRole('button', { name: 'Copy link' })
      if (!javaScript) {
        assert.equal(await copy.count(), 0, `${path}: no Copy link button without JavaScript`)
        assert.equal(await page.getByRole('button', { name: 'Copy handle' }).count(), 0, `${path}: no Copy handle button without JavaScript`)
        continue
      }
      assert.ok((await copy.count()) >= 1, `${path}: Copy link is offered with JavaScript`)
      await copy.first().click()
      const copied = await page.evaluate(() => navigator.clipboard.readText())
      assert.match(copied, /^http/, `${path}: a link was copied`)
      if (path.startsWith('/communities/')) {
        // The handle to follow from Mastodon has its own button, named for what it copies.
        await page.getByRole('button', { name: 'Copy handle' }).click()
        assert.match(await page.evaluate(() => navigator.clipboard.readText()), /^@lgovsm@[\w.:-]+$/)
      }
    }
    await context.close()
  }
})

test('the meetup page’s QR code is for wider screens: a phone is not told to scan itself', async () => {
  for (const [width, shown] of [[360, false], [1280, true]] as const) {
    const context = await server.chromium.newContext({ viewport: { width, height: 800 } })
    const page = await context.newPage()
    await page.goto(`${server.base}/meetups/unconference-lunch`)
    assert.equal(await page.locator('figure.qr').isVisible(), shown, `QR code at ${width} px`)
    // The meetup links to what it belongs to.
    assert.equal(await page.getByRole('link', { name: /lgovcamp|unconference/i }).first().isVisible(), true)
    await context.close()
  }
})

// Issue 20: leaving, with JavaScript on and off; axe on the data, delete and privacy pages.
for (const javaScript of [true, false]) {
  test(`leaving ${javaScript ? 'with' : 'without'} JavaScript: download my data, a wrong password, then the account is gone`, async () => {
    const context = await newContext(server.chromium, { javaScript })
    const page = await context.newPage()
    const email = `leaving-${javaScript}@example.org`
    await signUp(page, javaScript ? 'Lowri Leaving' : 'Llew Leaving', email)
    await page.goto(`${server.base}/me`)
    await page.getByRole('link', { name: 'Your data' }).click()
    await page.getByRole('heading', { name: 'Your data' }).waitFor()
    if (javaScript) await check(page, 'my-data')
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download my data (JSON)' }).click()])
    const data = JSON.parse(await fs.readFile((await download.path())!, 'utf8')) as { profile: { email: string } }
    assert.equal(data.profile.email, email)

    await page.getByRole('link', { name: 'Delete my account' }).click()
    await page.getByRole('heading', { name: 'Delete my account' }).waitFor()
    if (javaScript) await check(page, 'delete-account')
    await page.getByLabel('Withdraw them').check()
    await page.getByLabel('Your password').fill('not my password at all')
    await page.getByRole('button', { name: 'Delete my account' }).click()
    await page.getByText('The password is not right').first().waitFor()
    assert.equal(await page.getByLabel('Withdraw them').isChecked(), true, 'the choice is kept')
    if (javaScript) await assertAccessible(page, 'delete-account-error') // same path as the form: check() would skip it
    await page.getByLabel('Your password').fill('a long enough passphrase')
    await page.getByRole('button', { name: 'Delete my account' }).click()
    await page.waitForURL(`${server.base}/`)
    await page.getByText('Your account has been deleted').waitFor()

    await page.getByRole('link', { name: 'Privacy: what we keep and why' }).click()
    await page.getByRole('heading', { name: 'When you delete your account' }).waitFor()
    if (javaScript) await check(page, 'privacy')
    await page.goto(`${server.base}/sign-in`)
    await page.getByLabel('Email address').fill(email)
    await page.getByLabel('Password').fill('a long enough passphrase')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByText('The email or password is not right').first().waitFor()
    assert.equal(await server.app.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst(), undefined)
    await context.close()
  })
}

// Issue 20: the code of conduct. The admin rewrites the site's code and the community's own;
// a visitor reaches the site's from the sign-up form and from the footer of any page.
for (const javaScript of [true, false]) {
  const mode = javaScript ? 'with JavaScript' : 'without JavaScript'
  test(`the admin edits the code of conduct, and a visitor finds it from sign-up and the footer ${mode}`, async () => {
    const admin = server.logins.find((l) => l.role.includes('admin'))!
    const adminContext = await newContext(server.chromium, { javaScript })
    const page = await adminContext.newPage()
    await signInInBrowser(page, server.base, admin.email, admin.password)
    await page.goto(`${server.base}/admin/people`)
    await page.getByRole('navigation', { name: 'Site admin' }).getByRole('link', { name: 'Code of conduct' }).click()
    const field = page.getByLabel('The code of conduct')
    assert.match(await field.inputValue(), /^Everyone is welcome here/)
    // Emptied: the error summary and the inline error, on the same page.
    await field.fill('')
    await page.getByRole('button', { name: 'Save the code of conduct' }).click()
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
    if (javaScript) await check(page, 'admin-conduct-errors')
    const rule = `Be excellent to each other (${mode}).`
    await page.getByLabel('The code of conduct').fill(`# House rules\n\n${rule}`)
    await page.getByRole('button', { name: 'Save the code of conduct' }).click()
    await page.getByText('The code of conduct is saved.').waitFor()
    // The community's host adds its own rules in the community's form.
    await page.goto(`${server.base}/communities/lgovsm/edit`)
    await page.getByLabel('Code of conduct (optional)').fill(`No pitching in the chat (${mode}).`)
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page.waitForURL(`${server.base}/communities/lgovsm`)

    const visitorContext = await newContext(server.chromium, { javaScript })
    const visitor = await visitorContext.newPage()
    await visitor.goto(`${server.base}/sign-up`)
    await visitor.getByRole('link', { name: 'our code of conduct' }).click()
    await visitor.waitForURL(`${server.base}/code-of-conduct`)
    await visitor.getByRole('heading', { level: 2, name: 'House rules' }).waitFor()
    await visitor.getByText(rule).waitFor()
    if (javaScript) await check(visitor, 'code-of-conduct')
    await visitor.goto(`${server.base}/communities`)
    await visitor.locator('footer').getByRole('link', { name: 'Code of conduct' }).click()
    await visitor.waitForURL(`${server.base}/code-of-conduct`)
    await visitor.getByText(rule).waitFor()
    // The community's page shows its own rules, then the site's.
    await visitor.goto(`${server.base}/communities/lgovsm/code-of-conduct`)
    await visitor.getByText(`No pitching in the chat (${mode}).`).waitFor()
    await visitor.getByText(rule).waitFor()
    if (javaScript) await check(visitor, 'community-code-of-conduct')
    await visitor.goto(`${server.base}/events/lgovcamp/code-of-conduct`)
    await visitor.getByRole('heading', { level: 2, name: 'The code for the whole site' }).waitFor()
    if (javaScript) await check(visitor, 'event-code-of-conduct')

    // The admin goes back to the default text, which everyone then sees again.
    await page.goto(`${server.base}/admin/code-of-conduct`)
    await page.getByRole('button', { name: 'Go back to the default text' }).click()
    await page.getByText('The site is using the default code of conduct again.').waitFor()
    await visitor.goto(`${server.base}/code-of-conduct`)
    await visitor.getByRole('heading', { level: 2, name: 'Be kind' }).waitFor()
    await visitorContext.close()
    await adminContext.close()
  })
}

// Issue 20: report → the admin's queue → hide (gone from the list, in the audit log) → show
// again; then the admin finds the reporter by email, suspends and lifts it. With JavaScript
// on and off; axe on every new page (the HTML is the same either way, so once).
for (const javaScript of [true, false]) {
  test(`report, moderate and suspend ${javaScript ? 'with' : 'without'} JavaScript`, async () => {
    const proposals = await server.app.db
      .selectFrom('proposals as p')
      .innerJoin('events as e', 'e.id', 'p.event_id')
      .select(['p.id', 'p.title', 'e.slug'])
      .where('p.state', 'in', ['proposed', 'accepted', 'scheduled'])
      .where('p.hidden_at', 'is', null)
      .where('e.phase', '!=', 'draft')
      .orderBy('p.id')
      .execute()
    const target = proposals[javaScript ? 0 : 1]!
    const reporterEmail = `reporter-${javaScript}@example.org`

    const context = await newContext(server.chromium, { javaScript })
    const page = await context.newPage()
    await signUp(page, javaScript ? 'Rhys Reporter' : 'Rhian Reporter', reporterEmail)
    await page.goto(`${server.base}/events/${target.slug}/proposals/${target.id}`)
    await page.locator(`a[href="/report/proposal/${target.id}"]`).click()
    await page.getByRole('heading', { name: 'Report a proposal' }).waitFor()
    if (javaScript) await check(page, 'report')
    await page.getByRole('button', { name: 'Send report' }).click()
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
    if (javaScript) await check(page, 'report-errors')
    await page.getByLabel('What is wrong with it?').fill('This is an advert, not a session.')
    await page.getByRole('button', { name: 'Send report' }).click()
    await page.getByText('Thank you, the hosts will look at it.').waitFor()
    await context.close()

    const admin = server.logins.find((l) => l.role.includes('admin'))!
    const adminContext = await newContext(server.chromium, { javaScript })
    const adminPage = await adminContext.newPage()
    await signInInBrowser(adminPage, server.base, admin.email, admin.password)
    const inList = () => adminPage.locator(`a[href="/events/${target.slug}/proposals/${target.id}"]`).count()
    await adminPage.goto(`${server.base}/events/${target.slug}/proposals`)
    assert.equal(await inList(), 1, 'listed before it is hidden')
    await adminPage.goto(`${server.base}/moderation`)
    if (javaScript) await check(adminPage, 'moderation')
    const reportId = (await server.app.db.selectFrom('reports').select('id').where('item_kind', '=', 'proposal').where('item_id', '=', target.id).orderBy('id', 'desc').executeTakeFirstOrThrow()).id
    await adminPage.locator(`a[href="/moderation/reports/${reportId}"]`).click()
    if (javaScript) await check(adminPage, 'moderation-decide')
    await adminPage.getByRole('button', { name: 'Hide it' }).click()
    await adminPage.getByRole('heading', { name: 'There is a problem' }).waitFor()
    await adminPage.getByLabel('Why are you hiding it?').fill('Adverts are not sessions.')
    await adminPage.getByRole('button', { name: 'Hide it' }).click()
    await adminPage.getByText(`“${target.title}” is hidden.`).waitFor()
    await adminPage.goto(`${server.base}/events/${target.slug}/proposals`)
    assert.equal(await inList(), 0, 'gone from the list')
    await adminPage.goto(`${server.base}/admin/audit`)
    if (javaScript) await check(adminPage, 'audit')
    await adminPage.getByRole('cell', { name: 'Adverts are not sessions.' }).first().waitFor()
    await adminPage.goto(`${server.base}/moderation`)
    await adminPage.locator(`a[href="/moderation/reports/${reportId}"]`).click()
    await adminPage.getByRole('button', { name: 'Show it again' }).click()
    await adminPage.getByText(`“${target.title}” is shown again.`).waitFor()

    // The admin people page: search by email, suspend with a reason, lift it.
    await adminPage.goto(`${server.base}/admin/people`)
    if (javaScript) await check(adminPage, 'admin-people')
    await adminPage.getByLabel('Find someone by name, handle or email').fill(reporterEmail)
    await adminPage.locator('#main-content').getByRole('button', { name: 'Search' }).click()
    await adminPage.getByText(`1 person matches “${reporterEmail}”.`).waitFor()
    await adminPage.getByRole('link', { name: javaScript ? 'Rhys Reporter' : 'Rhian Reporter' }).click()
    if (javaScript) await check(adminPage, 'admin-person')
    await adminPage.getByLabel('Why are you suspending them?').fill('Testing the suspension.')
    await adminPage.getByRole('button', { name: 'Suspend' }).click()
    await adminPage.getByText('is suspended.').waitFor()
    await adminPage.getByRole('button', { name: 'Lift the suspension' }).click()
    await adminPage.getByText('is no longer suspended.').waitFor()
    await adminContext.close()
  })
}

// Issue 20: delete what you made — a meetup nobody replied to, an empty community and a draft
// event, each through its Delete button and confirmation page; a meetup with replies is refused
// with a way to cancel it instead. axe runs on the confirmation, refusal and "deleted" pages.
for (const javaScript of [true, false]) {
  const mode = javaScript ? 'with JavaScript' : 'without JavaScript'
  test(`delete what you made ${mode}: a meetup, an empty community, a draft event; a meetup with replies is refused`, async () => {
    const context = await newContext(server.chromium, { javaScript })
    const page = await context.newPage()
    const organiser = server.logins.find((l) => l.role.includes('organiser'))!
    await signInInBrowser(page, server.base, organiser.email, organiser.password)
    const suffix = javaScript ? 'js' : 'nojs'
    const day = new Date(Date.now() + 20 * 86400000).toISOString().slice(0, 10)

    // A meetup made by mistake.
    await page.goto(`${server.base}/meetups/new`)
    await page.locator('[name=title]').fill(`Mistaken picnic ${suffix}`)
    await page.locator('[name=slug]').fill(`mistaken-${suffix}`)
    await page.locator('[name=startsAt]').fill(`${day}T12:00`)
    await page.locator('[name=endsAt]').fill(`${day}T13:00`)
    await page.getByRole('button', { name: 'Create meetup' }).click()
    await page.waitForURL(`${server.base}/meetups/mistaken-${suffix}`)
    await page.getByRole('link', { name: 'Delete this meetup' }).click()
    await page.getByRole('heading', { name: `Delete “Mistaken picnic ${suffix}”?` }).waitFor()
    if (javaScript) await check(page, 'delete-meetup-confirm')
    await page.getByRole('button', { name: 'Delete the meetup' }).click()
    await page.waitForURL(`${server.base}/me`)
    await page.getByText(`The meetup “Mistaken picnic ${suffix}” has been deleted.`).waitFor()
    const gone = await page.goto(`${server.base}/meetups/mistaken-${suffix}`)
    assert.equal(gone?.status(), 410)
    await page.getByRole('heading', { name: 'This page has been deleted' }).waitFor()
    if (javaScript) await check(page, 'deleted-410')

    // The demo lunch has replies: no deleting, but a link to cancel it.
    await page.goto(`${server.base}/meetups/unconference-lunch`)
    assert.equal(await page.getByRole('link', { name: 'Delete this meetup' }).count(), 0)
    const refused = await page.goto(`${server.base}/meetups/unconference-lunch/delete`)
    assert.equal(refused?.status(), 409)
    await page.getByText('This meetup has replies, so it can only be cancelled.').waitFor()
    if (javaScript) await check(page, 'delete-meetup-refused')
    await page.getByRole('link', { name: 'Cancel the meetup instead' }).click()
    await page.waitForURL(/\/meetups\/unconference-lunch#cancel-meetup$/)
    assert.equal(await page.getByRole('link', { name: 'Cancel the meetup' }).isVisible(), true)

    // An empty community (no chats, nobody else): from its edit page.
    await page.goto(`${server.base}/communities/new`)
    await page.locator('[name=name]').fill(`Empty ${suffix}`)
    await page.locator('[name=hashtag]').fill(`#empty${suffix}`)
    await page.locator('[name=slug]').fill(`empty-${suffix}`)
    await page.locator('[name=scheduleKind]').selectOption('none')
    await page.getByRole('button', { name: 'Create community' }).click()
    await page.waitForURL(`${server.base}/communities/empty-${suffix}`)
    await page.goto(`${server.base}/communities/empty-${suffix}/edit`)
    await page.getByRole('link', { name: 'Delete this community' }).click()
    await page.getByRole('heading', { name: `Delete “Empty ${suffix}”?` }).waitFor()
    if (javaScript) await check(page, 'delete-community-confirm')
    await page.getByRole('button', { name: 'Delete the community' }).click()
    await page.waitForURL(`${server.base}/communities`)
    await page.getByText(`The community “Empty ${suffix}” has been deleted.`).waitFor()

    // A draft event: from its manage page.
    await page.goto(`${server.base}/events/new`)
    await page.locator('[name=name]').fill(`Draft camp ${suffix}`)
    await page.locator('[name=slug]').fill(`draft-${suffix}`)
    await page.locator('[name=firstDay]').fill(day)
    await page.locator('[name=lastDay]').fill(day)
    await page.getByRole('button', { name: 'Create event' }).click()
    await page.waitForURL(new RegExp(`/events/draft-${suffix}`))
    await page.goto(`${server.base}/events/draft-${suffix}/manage`)
    await page.getByRole('link', { name: 'Delete this draft event' }).click()
    await page.getByRole('heading', { name: `Delete “Draft camp ${suffix}”?` }).waitFor()
    if (javaScript) await check(page, 'delete-event-confirm')
    await page.getByRole('button', { name: 'Delete the event' }).click()
    await page.waitForURL(`${server.base}/events`)
    await page.getByText(`The event “Draft camp ${suffix}” has been deleted.`).waitFor()
    assert.equal((await page.goto(`${server.base}/events/draft-${suffix}`))?.status(), 410)
    await context.close()
  })
}

// Issue 20: a forgotten password, from the sign-in page to a new one, with the emailed link;
// the link refused the second time; then the account page: a wrong current password, and
// signing out everywhere. axe on every page of it.
for (const javaScript of [true, false]) {
  const mode = javaScript ? 'with JavaScript' : 'without JavaScript'
  test(`a forgotten password is reset from the emailed link, and the account page signs out everywhere, ${mode}`, async () => {
    const email = `forgetful-${javaScript}@example.org`
    const context = await newContext(server.chromium, { javaScript })
    const page = await context.newPage()
    await signUp(page, javaScript ? 'Ffion Forgetful' : 'Fred Forgetful', email)
    // Another browser signed in as them, which the reset must sign out.
    const otherContext = await newContext(server.chromium, { javaScript })
    const other = await otherContext.newPage()
    await signInInBrowser(other, server.base, email)
    await page.getByRole('button', { name: 'Sign out' }).click()

    await page.goto(`${server.base}/sign-in`)
    await page.getByRole('link', { name: 'Forgotten your password?' }).click()
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor()
    if (javaScript) await check(page, 'password-reset')
    await page.getByRole('button', { name: 'Send the link' }).click()
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
    if (javaScript) await check(page, 'password-reset-error')
    await page.getByLabel('Email address').fill(email.toUpperCase())
    await page.getByRole('button', { name: 'Send the link' }).click()
    await page.getByRole('heading', { name: 'Check your email' }).waitFor()
    if (javaScript) await check(page, 'password-reset-sent')

    const link = `${server.base}${await emailedLinkPath(server.app, email, 'passwordReset')}`
    await page.goto(link)
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor()
    if (javaScript) await check(page, 'choose-password')
    await page.getByLabel('New password').fill('short')
    await page.getByRole('button', { name: 'Save password' }).click()
    await page.getByText('Your password must be at least 8 characters').first().waitFor()
    await page.getByLabel('New password').fill('a completely new passphrase')
    await page.getByRole('button', { name: 'Save password' }).click()
    await page.waitForURL(`${server.base}/`)
    await page.getByText('Your password has been changed and you are signed in.').waitFor()

    await other.goto(`${server.base}/me`)
    await other.waitForURL(/\/sign-in\?next=/)
    await otherContext.close()

    await page.goto(link)
    await page.getByRole('heading', { name: 'This link has already been used' }).waitFor()
    if (javaScript) await check(page, 'link-used')

    await page.goto(`${server.base}/me`)
    await page.getByRole('link', { name: 'Account and sign-in' }).click()
    await page.getByText(`Your email address is ${email}.`).waitFor()
    if (javaScript) await check(page, 'account')
    await page.getByLabel('Current password').last().fill('not the password')
    await page.getByLabel('New password').fill('another new passphrase')
    await page.getByRole('button', { name: 'Change password' }).click()
    await page.getByText('Your current password is not right').first().waitFor()
    if (javaScript) await check(page, 'account-error')

    // A new address: asked for with the password, confirmed from the link sent to it.
    const newEmail = `moved-${javaScript}@example.org`
    await page.getByLabel('New email address').fill(newEmail)
    await page.getByLabel('Current password').first().fill('a completely new passphrase')
    await page.getByRole('button', { name: 'Change email address' }).click()
    await page.getByText(`We have sent a link to ${newEmail}. Open it to finish changing your address.`).waitFor()
    const confirm = await server.app.db.selectFrom('outbox').select('payload').where('kind', '=', 'verifyEmail').orderBy('id', 'desc').executeTakeFirstOrThrow()
    const facts = (JSON.parse(confirm.payload) as { link: Parameters<typeof server.app.outbox.links.sign>[0]; to: string })
    assert.equal(facts.to, newEmail)
    await page.goto(`${server.base}/verify-email/${server.app.outbox.links.sign(facts.link)}`)
    if (javaScript) await check(page, 'confirm-email')
    await page.getByRole('button', { name: 'Confirm my email address' }).click()
    await page.getByText(`Your email address is now ${newEmail}.`).first().waitFor()

    await page.getByRole('button', { name: 'Sign out everywhere' }).click()
    await page.waitForURL(`${server.base}/sign-in`)
    await page.getByText('You have been signed out on every browser, this one included.').waitFor()
    await signInInBrowser(page, server.base, newEmail, 'a completely new passphrase')
    await context.close()
  })
}
