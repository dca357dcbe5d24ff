// Issue 22 in a real browser, JavaScript on and off, axe at 360, 1280 and 1920 px on every
// page reached: a host asks a question, a person answers it at RSVP, the host reads the answer;
// the host cancels with a reason, the email carries it, and the host takes it back; the person
// says they can't come any more, and is asked first.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Page } from 'playwright-core'
import { newContext, screenshot } from '../helpers/chromium.js'
import { assertAccessible, demoServer, signInInBrowser, signUpInBrowser } from '../helpers/demo-server.js'

const server = demoServer()
const WIDTHS = [360, 1280, 1920]

/** axe and a screenshot at each width, then back to the width the journey runs at. */
async function checkAtWidths(page: Page, name: string, javaScript: boolean): Promise<void> {
  const size = page.viewportSize()!
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 })
    // axe is a script in the page: with JavaScript off its promise never settles. The markup is
    // the same either way, so without it the page is only shown at each width (the screenshot).
    if (javaScript) await assertAccessible(page, `replies-${name}-${width}`)
    else await screenshot(page, `replies-${name}-${width}`)
  }
  await page.setViewportSize(size)
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? 'with JavaScript' : 'without JavaScript'
  const suffix = javaScript ? 'js' : 'nojs'

  test(`meetup replies ${mode}: answer the host’s question at RSVP, the host reads it; cancel with a reason → the email says it → undo; leaving asks first`, async () => {
    const organiser = server.logins.find((l) => l.role.includes('organiser'))!
    const hostContext = await newContext(server.chromium, { javaScript, width: 1280 })
    const host = await hostContext.newPage()
    await signInInBrowser(host, server.base, organiser.email, organiser.password)
    const title = `Picnic ${suffix}`
    const path = `/meetups/picnic-${suffix}`
    const day = new Date(Date.now() + 20 * 86400000).toISOString().slice(0, 10)

    // The host asks one question on the meetup form.
    await host.goto(`${server.base}/meetups/new`)
    await host.locator('[name=title]').fill(title)
    await host.locator('[name=slug]').fill(`picnic-${suffix}`)
    await host.locator('[name=startsAt]').fill(`${day}T12:00`)
    await host.locator('[name=endsAt]').fill(`${day}T13:00`)
    await host.getByLabel('Question 1').fill('Any dietary or access needs?')
    await checkAtWidths(host, `new-${suffix}`, javaScript)
    await host.getByRole('button', { name: 'Create meetup' }).click()
    await host.waitForURL(`${server.base}${path}`)

    // Someone answers it when they say they are going, and sees their answer kept.
    const guestContext = await newContext(server.chromium, { javaScript, width: 360 })
    const guest = await guestContext.newPage()
    await signUpInBrowser(guest, server.base, `Guest ${suffix}`, `replies-guest-${suffix}@example.org`, server.app)
    await guest.goto(`${server.base}${path}`)
    await guest.getByRole('group', { name: 'The hosts ask' }).waitFor()
    await checkAtWidths(guest, `rsvp-${suffix}`, javaScript)
    await guest.getByLabel('Any dietary or access needs?').fill('Gluten-free, please')
    await guest.getByRole('button', { name: 'I’m going' }).click()
    await guest.getByText('You are going. See you there.').waitFor()
    assert.equal(await guest.getByLabel('Any dietary or access needs?').inputValue(), 'Gluten-free, please')
    assert.equal(await guest.getByRole('heading', { name: 'Answers to your questions' }).count(), 0, 'attendees never see the answers list')

    // The host reads it on the page (and only the host).
    await host.reload()
    await host.getByRole('heading', { name: 'Answers to your questions' }).waitFor()
    await host.locator('#answers').getByText('Gluten-free, please').waitFor()
    await checkAtWidths(host, `host-answers-${suffix}`, javaScript)

    // Cancel: asked first, with a reason that goes in the email.
    await host.getByRole('link', { name: 'Cancel the meetup' }).click()
    await host.getByRole('heading', { name: `Cancel ${title}?` }).waitFor()
    await checkAtWidths(host, `cancel-confirm-${suffix}`, javaScript)
    await host.getByLabel('Why is it cancelled? (optional)').fill(`Rain all day (${suffix}). Sorry!`)
    await host.getByRole('button', { name: 'Yes, cancel the meetup' }).click()
    await host.getByText('This meetup has been cancelled. It is not happening.').waitFor()
    await checkAtWidths(host, `cancelled-${suffix}`, javaScript)

    while ((await server.app.outbox.worker.runOnce()) > 0) {
      // next round
    }
    await host.goto(`${server.base}/dev/mail`)
    const email = host.locator('details.dev-mail', { has: host.getByText(`Cancelled: ${title}`) }).first()
    if (javaScript) await email.locator('summary').click()
    assert.match(await email.locator('pre').first().textContent() ?? '', new RegExp(`The hosts said:\\s+> Rain all day \\(${suffix}\\)\\. Sorry!`))

    // Taken back the same day: the page is on again, and the guest's seat stands.
    await host.goto(`${server.base}${path}`)
    await host.getByRole('button', { name: 'Undo the cancellation' }).click()
    await host.getByText('The meetup is back on. Everyone going or waiting has been told.').waitFor()
    assert.equal(await host.getByText('This meetup has been cancelled').count(), 0)

    // "I can't come any more" asks first; "No" keeps the seat, "Yes" gives it up.
    await guest.goto(`${server.base}${path}`)
    await guest.getByRole('link', { name: 'I can’t come any more' }).click()
    await guest.getByRole('heading', { name: `Give up your place at ${title}?` }).waitFor()
    await checkAtWidths(guest, `leave-confirm-${suffix}`, javaScript)
    await guest.getByRole('link', { name: 'No, keep my place' }).click()
    await guest.getByText('You are going.').first().waitFor()
    await guest.getByRole('link', { name: 'I can’t come any more' }).click()
    await guest.getByRole('button', { name: 'Yes, I can’t come' }).click()
    await guest.getByText('Your reply has been changed to not going.').waitFor()

    await guestContext.close()
    await hostContext.close()
  })
}
