// The schedule in a real browser, on the demo's published grid: the organisers' editor by
// mouse (drag and drop), by keyboard (pick up, arrow keys, put down) and without JavaScript
// (Move, then Put here); the public grid updating itself while open (Server-Sent Events);
// the phone list, the projector and the printed grid. axe-core runs on every page.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { BrowserContext, Page } from 'playwright-core'
import { newContext } from '../helpers/chromium.js'
import { assertAccessible, demoServer, signInInBrowser, signUpInBrowser } from '../helpers/demo-server.js'

const server = demoServer()
const accessible = assertAccessible

async function organiserPage(javaScript: boolean, width = 1280): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(server.chromium, { javaScript, width })
  const page = await context.newPage()
  const organiser = server.logins.find((l) => l.role.includes('organiser'))!
  await signInInBrowser(page, server.base, organiser.email, organiser.password)
  return { context, page }
}

/** Where a proposal is on the grid now: [slot id, room id], or null. */
async function cellOf(title: string): Promise<[number, number] | null> {
  const row = await server.app.db
    .selectFrom('schedule_entries as e')
    .innerJoin('proposals as p', 'p.id', 'e.proposal_id')
    .select(['e.slot_id', 'e.room_id'])
    .where('p.title', '=', title)
    .where('e.cancelled_at', 'is', null)
    .executeTakeFirst()
  return row ? [row.slot_id, row.room_id] : null
}

test('grid editor with a mouse: drag a waiting session onto an empty cell', async () => {
  const { context, page } = await organiserPage(true)
  await page.goto(`${server.base}/events/lgovcamp/schedule/edit`)
  await accessible(page, 'schedule-editor-1280')
  // Source and target both on screen: the browser scrolls during a real drag, Playwright's mouse does not.
  await page.setViewportSize({ width: 1280, height: 1600 })
  const target = page.locator('td.grid__cell--empty[data-cell]').nth(3)
  const [slot, room] = [Number(await target.getAttribute('data-slot')), Number(await target.getAttribute('data-room'))]
  await page.locator('li[data-session]', { hasText: 'Lightning round: one tool I love' }).dragTo(target)
  await page.getByText('“Lightning round: one tool I love” is on the grid.').waitFor()
  assert.deepEqual(await cellOf('Lightning round: one tool I love'), [slot, room])
  await context.close()
})

test('grid editor with a keyboard: Move picks a session up, arrows choose a cell, Enter puts it down, Escape changes nothing', async () => {
  const { context, page } = await organiserPage(true)
  await page.goto(`${server.base}/events/lgovcamp/schedule/edit`)
  const title = 'Comms for the cost of living crisis'
  const choose = page.getByRole('link', { name: new RegExp(`^Choose a place\\W+${title}$`) })

  // Escape: back where we started, nothing moved.
  await choose.focus()
  await page.keyboard.press('Enter')
  assert.match(await page.locator('[data-editor-status]').textContent() ?? '', /Picked up “Comms for the cost of living crisis”/)
  assert.equal(await page.evaluate(() => document.activeElement?.hasAttribute('data-cell')), true, 'focus is on a cell')
  await page.keyboard.press('Escape')
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim().startsWith('Choose a place')), true, 'focus returns to the link')
  assert.equal(await cellOf(title), null)

  // Pick up, one cell right, put down.
  await choose.focus()
  await page.keyboard.press('Enter')
  // The opening plenary holds no sessions, so the first cells are the first session slot's;
  // the arrows walk right (then down a row) to the first empty one.
  await page.keyboard.press('ArrowRight')
  const cell = page.locator(':focus')
  for (let step = 0; step < 24 && !/: Empty$/.test((await cell.getAttribute('aria-label')) ?? ''); step++) await page.keyboard.press(step % 12 === 11 ? 'ArrowDown' : 'ArrowRight')
  const [slot, room] = [Number(await cell.getAttribute('data-slot')), Number(await cell.getAttribute('data-room'))]
  assert.match((await cell.getAttribute('aria-label')) ?? '', /^[^,]+, (1\d|0\d):\d\d–\d\d:\d\d: Empty$/, 'the cell says where it is and what is in it')
  assert.doesNotMatch((await cell.getAttribute('aria-label')) ?? '', /09:30–10:00/, 'never the opening plenary')
  await page.keyboard.press('Enter')
  await page.getByText(`“${title}” is on the grid.`).waitFor()
  assert.deepEqual(await cellOf(title), [slot, room])
  // The two-step move page that works without JavaScript (axe needs JavaScript to run, so it is checked here).
  const waiting = await server.app.db.selectFrom('proposals').select('id').where('title', '=', 'Can we fix council Facebook comments?').executeTakeFirstOrThrow()
  await page.goto(`${server.base}/events/lgovcamp/schedule/edit?move=${waiting.id}`)
  await accessible(page, 'schedule-editor-moving-1280')
  await context.close()
})

test('grid editor without JavaScript: Move, then Put here', async () => {
  const { context, page } = await organiserPage(false)
  await page.goto(`${server.base}/events/lgovcamp/schedule/edit`)
  const title = 'Can we fix council Facebook comments?'
  await page.getByRole('link', { name: new RegExp(`^Choose a place\\W+${title.replace('?', '\\?')}$`) }).click()
  await page.getByText(`Placing “${title}”`).waitFor()
  const put = page.getByRole('button', { name: /^Put here/ }).first()
  const label = (await put.textContent())!.replace(/^Put here\W+/, '')
  await put.click()
  await page.getByText(`“${title}” is on the grid.`).waitFor()
  const [roomName] = label.split(', ')
  const where = await cellOf(title)
  const room = await server.app.db.selectFrom('rooms').select('name').where('id', '=', where![1]).executeTakeFirstOrThrow()
  assert.equal(room.name, roomName)
  await context.close()
})

test('the public grid updates itself while open, within a second or two of an organiser’s edit', async () => {
  const context = await newContext(server.chromium, { javaScript: true, width: 1280 })
  const page = await context.newPage()
  await page.goto(`${server.base}/events/lgovcamp/schedule`)
  await accessible(page, 'schedule-public-1280')
  const grid = page.locator('.grid-wide')
  assert.equal(await grid.getByText('Cancelled', { exact: true }).count(), 0)
  let navigated = false
  page.on('framenavigated', () => (navigated = true))

  const { context: orgContext, page: org } = await organiserPage(false)
  await org.goto(`${server.base}/events/lgovcamp/schedule/edit`)
  // The session's actions are in its ⋯ menu (a <details>, which opens without JavaScript).
  await org.locator('summary', { hasText: 'Open mic: your biggest comms fail' }).click()
  await org.getByRole('button', { name: /^Cancel session\W+Open mic: your biggest comms fail$/ }).click()
  await org.getByText('“Open mic: your biggest comms fail” is cancelled').waitFor()

  await grid.getByText('Cancelled', { exact: true }).waitFor({ timeout: 2000 })
  assert.equal(navigated, false, 'the page did not reload')
  await orgContext.close()
  await context.close()
})

test('on a phone the grid is a list by time; the projector and the printed grid', async () => {
  const phone = await newContext(server.chromium, { javaScript: true, width: 360 })
  const page = await phone.newPage()
  await page.goto(`${server.base}/events/lgovcamp/schedule`)
  assert.equal(await page.locator('.grid-wide').isVisible(), false)
  assert.equal(await page.locator('.grid-narrow').isVisible(), true)
  assert.ok(await page.locator('.slot__sessions li').count() >= 40)
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  assert.ok(overflow <= 0, `no sideways scrolling on a phone (${overflow}px)`)
  await accessible(page, 'schedule-public-360')

  await page.emulateMedia({ media: 'print' })
  assert.equal(await page.locator('.grid-wide').isVisible(), true, 'print has the table')
  assert.equal(await page.locator('.site-header').isVisible(), false, 'and none of the site furniture')
  await phone.close()

  const wall = await newContext(server.chromium, { javaScript: true, width: 1280 })
  const projector = await wall.newPage()
  const day = (await server.app.db.selectFrom('events').select('first_day').where('slug', '=', 'lgovcamp').executeTakeFirstOrThrow()).first_day
  await projector.goto(`${server.base}/events/lgovcamp/now?at=${day}T10:15`)
  await projector.getByRole('cell', { name: 'Crisis comms: what we learned from the floods' }).waitFor()
  assert.equal(await projector.locator('.site-header').isVisible(), false, 'the projector shows the schedule only')
  assert.ok(await projector.locator('.projector__qr svg').isVisible())
  await accessible(projector, 'schedule-projector-1280')
  await wall.close()
})

const signUpAs = (page: Page, name: string, email: string) => signUpInBrowser(page, server.base, name, email, server.app)

for (const javaScript of [true, false]) {
  const mode = javaScript ? 'with JavaScript' : 'without JavaScript'
  test(`journey ${mode}: propose → someone else would go → placed on the grid → star → my agenda → my calendar feed`, async () => {
    const title = `Journey session ${mode}`
    // The organiser steps the event back to pitching for more proposals; the grid stays public.
    const { context: orgContext, page: org } = await organiserPage(false)
    await org.goto(`${server.base}/events/lgovcamp/manage`)
    const back = org.getByRole('button', { name: /^Back to/ })
    if ((await back.textContent())?.includes('Pitching')) {
      // A phase change is confirmed on a page that says what people will notice (issue 22).
      await back.click()
      await org.getByRole('button', { name: 'Yes, move to “Pitching today”' }).click()
      await org.waitForURL(`${server.base}/events/lgovcamp/manage`)
    }

    const context = await newContext(server.chromium, { javaScript, width: 1280 })
    const page = await context.newPage()
    await signUpAs(page, `Journey ${mode}`, `journey-schedule-${javaScript}@example.org`)
    await page.goto(`${server.base}/events/lgovcamp/proposals/new`)
    await page.getByLabel('Session title').fill(title)
    await page.getByRole('button', { name: 'Propose session' }).click()
    await page.getByRole('heading', { name: title }).waitFor()
    if (javaScript) await accessible(page, `journey-schedule-proposal-${javaScript}`)
    const proposalUrl = page.url()

    // Someone else wants to go: the organiser shows interest on its page.
    await org.goto(proposalUrl)
    await org.getByRole('button', { name: new RegExp(`^I’d go\\W+${title}$`) }).click()
    await org.getByText('1 would go', { exact: true }).waitFor()

    // The organiser places it, the two-step way.
    await org.goto(`${server.base}/events/lgovcamp/schedule/edit`)
    await org.getByRole('link', { name: new RegExp(`^Choose a place\\W+${title}$`) }).click()
    await org.getByRole('button', { name: /^Put here/ }).first().click()
    await org.getByText(`“${title}” is on the grid.`).waitFor()

    // The member finds it on the public grid and adds it to their sessions.
    await page.goto(`${server.base}/events/lgovcamp/schedule`)
    await page.locator('.grid-wide').getByRole('button', { name: new RegExp(`My sessions\\W+${title}$`) }).click()
    await page.getByText(`“${title}” is in your sessions.`).waitFor()
    if (javaScript) await accessible(page, `journey-schedule-starred-${javaScript}`)
    await page.goto(`${server.base}/me/agenda`)
    await page.getByRole('link', { name: title }).waitFor()
    if (javaScript) await accessible(page, 'agenda-1280')

    // The private calendar feed has it.
    await page.goto(`${server.base}/me/calendar`)
    await page.getByRole('button', { name: 'Make my calendar feed' }).click()
    await page.getByText('Your calendar feed is ready.').waitFor()
    if (javaScript) await accessible(page, 'my-calendar-1280')
    const url = await page.getByLabel('Or copy the calendar’s address').inputValue()
    assert.match(url, /^http:\/\/localhost:3000\/calendar\/[A-Za-z0-9_-]+\.ics$/)
    const feed = await fetch(url.replace('http://localhost:3000', server.base))
    assert.equal(feed.status, 200)
    assert.match((await feed.text()).replace(/\r\n /g, ''), new RegExp(`SUMMARY:${title}`))
    await context.close()
    await orgContext.close()
  })
}
