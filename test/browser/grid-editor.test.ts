// The organisers' grid editor at UKGovCamp's size, in a real browser: 12 rooms × 8 slots on
// one 1280×800 screen (every room name and every time in view, the waiting sessions beside
// the grid); a tablet by touch (pointer events, the grid and the page scrolling by themselves
// while the finger rests near an edge) putting a session in the bottom-right cell, without a
// reload; taking a session off and Undo, with and without JavaScript; the placing form
// without JavaScript; axe-core at 360, 1280 and 1920 px. The 1280 screenshot is the README's.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import type { BrowserContext, Page } from 'playwright-core'
import { Browser, signIn } from '../helpers/browser.js'
import { newContext } from '../helpers/chromium.js'
import { person } from '../helpers/communities.js'
import { assertAccessible, demoServer, signInInBrowser } from '../helpers/demo-server.js'
import { createEvent, propose, setPhase } from '../helpers/events.js'
import { addRoom, gridIds, layOutDay } from '../helpers/schedule.js'
import { findEventBySlug } from '../../src/features/events/events.queries.js'
import { placeSession } from '../../src/features/schedule/grid.service.js'

const server = demoServer()
const SLUG = 'gridcamp'
const SCREENSHOT = path.resolve(import.meta.dirname, '../../docs/screenshots/grid-editor-1280.png')
/** An accessible name "Text: context", where the context is visually hidden (Chromium may put a space before the colon). */
const named = (text: string, context: string) => new RegExp(`^${text}\\W+${context.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)

const TOPICS = ['Open data', 'Plain English', 'Service design', 'Accessibility', 'Digital inclusion', 'User research', 'Agile in councils', 'Cloud first', 'Content design', 'Procurement', 'AI in government', 'Ethics', 'Remote teams', 'Legacy IT', 'Data sharing', 'Civic tech']

/** Rooms and slots by position, and who is where: cells[slot][room] is a proposal id or null. */
const camp = { rooms: [] as number[], slots: [] as number[], waiting: [] as { id: number; title: string }[], titleOf: new Map<number, string>() }

/** The camp, made once, on first use: node:test runs this file's own before() alongside demoServer's. */
let made: Promise<void> | null = null
const ready = () => (made ??= makeCamp())

async function makeCamp(): Promise<void> {
  const { app } = server
  const demoOrganiser = server.logins.find((l) => l.role.includes('organiser'))!
  const org = new Browser(app, '10.77.0.1')
  assert.equal((await signIn(org, demoOrganiser.email, demoOrganiser.password)).status, 303)
  assert.equal((await createEvent(org, { name: 'UKGovCamp on the day', hashtag: '#gridcamp' })).status, 303)
  await setPhase(org, SLUG, 'proposals')
  for (let n = 1; n <= 12; n++) await addRoom(org, SLUG, { name: `Room ${n}`, capacity: String(20 + n * 5) })
  // Eight 45-minute sessions, back to back: the grid is 12 × 8 and nothing else.
  assert.equal((await layOutDay(org, SLUG, { opening: '0', sessions: '8', gap: '0', lunchAfter: '0', lunchLength: '0' })).status, 303)
  const ids = await gridIds(app, SLUG)
  camp.rooms = Array.from({ length: 12 }, (_, n) => ids.rooms[`Room ${n + 1}`]!)
  camp.slots = ids.sessionSlots
  assert.equal(camp.slots.length, 8)

  // Twelve people propose eight sessions each; each person's go down one room's column, so
  // nobody is in two places at once. Everything is placed but the last slot of rooms 5 to 12.
  const event = (await findEventBySlug(app.db, SLUG))!
  const all: number[] = []
  for (let room = 0; room < 12; room++) {
    const host = await person(app, `Host ${room + 1}`)
    for (let slot = 0; slot < 8; slot++) {
      const title = `${TOPICS[(room + slot * 5) % TOPICS.length]}: what we learned in ${room + 1}.${slot + 1}`
      const id = await propose(host, SLUG, title)
      camp.titleOf.set(id, title)
      all.push(id)
      if (slot === 7 && room >= 4) camp.waiting.push({ id, title })
    }
  }
  await org.get(`/events/${SLUG}/manage`)
  assert.equal((await org.post(`/events/${SLUG}/proposals/decide`, { action: 'accepted', ids: all.map(String) })).status, 303)
  for (let room = 0; room < 12; room++) {
    for (let slot = 0; slot < 8; slot++) {
      if (slot === 7 && room >= 4) continue
      await placeSession(app.db, event, { proposalId: all[room * 8 + slot]!, slotId: camp.slots[slot]!, roomId: camp.rooms[room]!, expected: null }, new Date())
    }
  }
}

async function organiserPage(options: { javaScript: boolean; width: number; height: number; touch?: boolean }): Promise<{ context: BrowserContext; page: Page }> {
  await ready()
  const context = options.touch
    ? await server.chromium.newContext({ viewport: { width: options.width, height: options.height }, hasTouch: true, isMobile: false, bypassCSP: true, locale: 'en-GB' })
    : await newContext(server.chromium, { javaScript: options.javaScript, width: options.width })
  const page = await context.newPage()
  await page.setViewportSize({ width: options.width, height: options.height })
  const organiser = server.logins.find((l) => l.role.includes('organiser'))!
  await signInInBrowser(page, server.base, organiser.email, organiser.password)
  return { context, page }
}

async function cellOf(proposalId: number): Promise<[number, number] | null> {
  const row = await server.app.db.selectFrom('schedule_entries').select(['slot_id', 'room_id']).where('proposal_id', '=', proposalId).where('cancelled_at', 'is', null).executeTakeFirst()
  return row ? [row.slot_id, row.room_id] : null
}

function inside(box: { x: number; y: number; width: number; height: number } | null, width: number, height: number): boolean {
  return box !== null && box.x >= 0 && box.y >= 0 && box.x + box.width <= width + 0.5 && box.y + box.height <= height + 0.5
}

test('1280×800: all 12 rooms and all 8 slots on one screen, the waiting sessions beside them', async () => {
  const { context, page } = await organiserPage({ javaScript: true, width: 1280, height: 800 })
  await page.goto(`${server.base}/events/${SLUG}/schedule/edit#editor`)
  await page.locator('#editor').evaluate((el) => el.scrollIntoView({ block: 'start' }))
  const heads = page.locator('.grid--editor thead th')
  const rows = page.locator('.grid--editor tbody tr')
  assert.equal(await heads.count(), 13, 'the time column and 12 rooms')
  assert.equal(await rows.count(), 8)
  for (let n = 0; n < 13; n++) assert.ok(inside(await heads.nth(n).boundingBox(), 1280, 800), `column heading ${n} (${await heads.nth(n).textContent()}) is in view`)
  for (let n = 0; n < 8; n++) assert.ok(inside(await rows.nth(n).boundingBox(), 1280, 800), `slot row ${n + 1} is in view`)
  const tray = (await page.locator('.editor__tray').boundingBox())!
  const grid = (await page.locator('#grid').boundingBox())!
  assert.ok(tray.x + tray.width <= grid.x, 'the waiting sessions are beside the grid, not below it')
  assert.ok(Math.abs(tray.y - grid.y) < 2)
  // A long title is cut short in its cell, and whole in its tooltip.
  const title = page.locator('.grid--editor .session__title').first()
  assert.equal(await title.getAttribute('title'), await title.textContent())
  // Every control in a cell is at least 24 px square.
  for (const selector of ['.session__menu-button', '.session--cell [data-handle]']) {
    const box = (await page.locator(selector).first().boundingBox())!
    assert.ok(box.width >= 24 && box.height >= 24, `${selector} is ${box.width}×${box.height}`)
  }
  await assertAccessible(page, 'grid-editor-1280')
  fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true })
  await page.screenshot({ path: SCREENSHOT })
  await context.close()
})

for (const [width, height] of [[360, 800], [1920, 1080]] as const) {
  test(`${width} px: the editor works and axe finds nothing`, async () => {
    const { context, page } = await organiserPage({ javaScript: true, width, height })
    await page.goto(`${server.base}/events/${SLUG}/schedule/edit`)
    await assertAccessible(page, `grid-editor-${width}`)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    assert.ok(overflow <= 0, `the page itself does not scroll sideways; the grid scrolls in its box (${overflow}px)`)
    if (width === 1920) {
      await page.locator('#editor').evaluate((el) => el.scrollIntoView({ block: 'start' }))
      for (const row of await page.locator('.grid--editor tbody tr').all()) assert.ok(inside(await row.boundingBox(), 1920, 1080), 'every slot in view on a big screen too')
    }
    await context.close()
  })
}

test('a tablet by touch: drag a waiting session into the bottom-right cell, the grid scrolling there by itself; no reload; then take it off and Undo', async () => {
  const { context, page } = await organiserPage({ javaScript: true, width: 768, height: 1024, touch: true })
  await page.goto(`${server.base}/events/${SLUG}/schedule/edit`)
  const session = camp.waiting.at(-1)!
  const [slot, room] = [camp.slots[7]!, camp.rooms[11]!]
  const cellSelector = `#cell-${slot}-${room}`
  let navigated = 0
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) navigated++ })

  const grip = page.locator(`#session-${session.id} [data-handle]`)
  await grip.scrollIntoViewIfNeeded()
  const gripBox = (await grip.boundingBox())!
  assert.ok(gripBox.width >= 24 && gripBox.height >= 24, 'the grip is a 24 px target at least')
  // The target is out of sight: below the fold and past the grid's right edge.
  assert.equal(inside(await page.locator(cellSelector).boundingBox(), 768, 1024), false, 'the bottom-right cell starts out of view')

  const cdp = await context.newCDPSession(page)
  const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x = 0, y = 0) =>
    cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x: Math.round(x), y: Math.round(y), id: 1 }] })
  const start = { x: gripBox.x + gripBox.width / 2, y: gripBox.y + gripBox.height / 2 }
  await touch('touchStart', start.x, start.y)
  for (let step = 1; step <= 5; step++) await touch('touchMove', start.x + step * 20, start.y + step * 30)
  await page.locator('.drag-ghost').waitFor()
  // The finger rests in the bottom-right corner: the page and the grid scroll until the cell shows.
  await touch('touchMove', 768 - 12, 1024 - 12)
  await page.waitForFunction((selector) => {
    const cell = document.querySelector(selector)!.getBoundingClientRect()
    const box = document.getElementById('grid')!.getBoundingClientRect()
    return cell.top >= Math.max(box.top, 0) && cell.bottom <= Math.min(box.bottom, window.innerHeight) && cell.left >= box.left && cell.right <= Math.min(box.right, window.innerWidth)
  }, cellSelector).catch(async (error: unknown) => {
    // Say where things stood, so a failure here can be understood from the log alone.
    const state = await page.evaluate((selector) => ({ cell: document.querySelector(selector)!.getBoundingClientRect().toJSON(), box: document.getElementById('grid')!.getBoundingClientRect().toJSON(), scrollY: window.scrollY, ghost: !!document.querySelector('.drag-ghost') }), cellSelector)
    throw new Error(`the cell never came into view: ${JSON.stringify(state)}`, { cause: error })
  })
  // The finger moves onto the cell and stays until nothing scrolls any more, then lifts.
  const scrolled = () => page.evaluate(() => `${window.scrollY},${document.getElementById('grid')!.scrollLeft},${document.getElementById('grid')!.scrollTop}`)
  for (let last = ''; ;) {
    const cell = (await page.locator(cellSelector).boundingBox())!
    await touch('touchMove', cell.x + cell.width / 2, cell.y + cell.height / 2)
    await page.waitForTimeout(250)
    const now = await scrolled()
    if (now === last) break
    last = now
  }
  assert.ok(await page.locator(cellSelector).evaluate((el) => el.classList.contains('is-target')), 'the cell under the finger is marked as the target')
  await touch('touchEnd')
  await page.getByText(`“${session.title}” is on the grid.`).waitFor()
  assert.deepEqual(await cellOf(session.id), [slot, room])
  assert.equal(await page.locator(`${cellSelector} .session__title`).textContent(), session.title, 'the cell shows it at once')
  assert.equal(navigated, 0, 'no reload')
  assert.ok(await page.evaluate(() => window.scrollY) > 0, 'the page kept its scroll position')
  assert.ok(await page.locator('#grid').evaluate((el) => el.scrollLeft) > 0, 'and so did the grid')
  assert.equal(await page.locator('.drag-ghost').count(), 0)

  await page.reload()
  assert.equal(await page.locator(`${cellSelector} .session__title`).textContent(), session.title, 'still there after a reload')

  // Take it off, then Undo: both without a reload.
  navigated = 0
  await page.locator(`${cellSelector} .session__menu-button`).click()
  await page.getByRole('button', { name: named('Take off the grid', session.title) }).click()
  await page.getByText(`“${session.title}” is off the grid.`).waitFor()
  assert.equal(await cellOf(session.id), null)
  assert.equal(await page.locator(`${cellSelector} [data-session]`).count(), 0)
  await assertAccessible(page, 'grid-editor-undo-768')
  await page.getByRole('button', { name: named('Undo', `put “${session.title}” back where it was`) }).click()
  await page.getByText(`“${session.title}” is back where it was.`).waitFor()
  assert.deepEqual(await cellOf(session.id), [slot, room])
  assert.equal(await page.locator(`${cellSelector} .session__title`).textContent(), session.title)
  assert.equal(navigated, 0, 'no reload')
  await context.close()
})

// At each width a different waiting session goes into a different room, so the runs do not meet.
for (const [index, [width, height]] of ([[1280, 800], [360, 800], [1920, 1080]] as const).entries()) {
test(`without JavaScript at ${width} px: Choose a place, Put here; then take it off and Undo puts it back`, async () => {
  const { context, page } = await organiserPage({ javaScript: false, width, height })
  await page.goto(`${server.base}/events/${SLUG}/schedule/edit`)
  const session = camp.waiting[index]!
  const room = 5 + index
  await page.getByRole('link', { name: named('Choose a place', session.title) }).click()
  await page.getByText(`Placing “${session.title}”`).waitFor()
  const put = page.getByRole('button', { name: new RegExp(`^Put here\\W+Room ${room}, `) })
  await put.click()
  await page.getByText(`“${session.title}” is on the grid.`).waitFor()
  const where = (await cellOf(session.id))!
  assert.deepEqual(where, [camp.slots[7], camp.rooms[room - 1]])

  // The ⋯ menu is a <details>: it opens without JavaScript.
  await page.locator(`#cell-${where[0]}-${where[1]} .session__menu-button`).click()
  await page.getByRole('button', { name: named('Take off the grid', session.title) }).click()
  await page.getByText(`“${session.title}” is off the grid.`).waitFor()
  assert.equal(await cellOf(session.id), null)
  assert.ok(await page.getByRole('button', { name: /^Undo/ }).isVisible(), 'Undo is in view where the page lands')
  await page.getByRole('button', { name: named('Undo', `put “${session.title}” back where it was`) }).click()
  await page.getByText(`“${session.title}” is back where it was.`).waitFor()
  assert.deepEqual(await cellOf(session.id), where)
  await context.close()
})
}

// Last, as it moves the event on: publishing from the editor is a phase change like any other,
// and asks first on the page that says what people will notice (issue 22).
test('Publish the schedule from the editor asks first: No leaves it unpublished, Yes publishes', async () => {
  const { context, page } = await organiserPage({ javaScript: true, width: 1280, height: 800 })
  await page.goto(`${server.base}/events/${SLUG}/manage`)
  await page.getByRole('button', { name: 'Move to “Pitching today”' }).click()
  await page.getByRole('button', { name: 'Yes, move to “Pitching today”' }).click()
  await page.waitForURL(`${server.base}/events/${SLUG}/manage`)

  const editor = `${server.base}/events/${SLUG}/schedule/edit`
  await page.goto(editor)
  await page.getByRole('button', { name: 'Publish the schedule' }).click()
  await page.getByRole('heading', { level: 1, name: 'Move UKGovCamp on the day to “Schedule published”?' }).waitFor()
  await page.getByText(/people whose sessions are on the grid are emailed/).waitFor()
  await assertAccessible(page, 'grid-editor-publish-confirm')
  await page.getByRole('link', { name: 'No, go back' }).click()
  const unpublished = await findEventBySlug(server.app.db, SLUG)
  assert.equal(unpublished!.schedule_published_at, null, 'No leaves the schedule unpublished')
  assert.equal(unpublished!.phase, 'pitching')

  await page.goto(editor)
  await page.getByRole('button', { name: 'Publish the schedule' }).click()
  await page.getByRole('button', { name: 'Yes, move to “Schedule published”' }).click()
  await page.waitForURL(`${server.base}/events/${SLUG}/manage`)
  const published = await findEventBySlug(server.app.db, SLUG)
  assert.notEqual(published!.schedule_published_at, null)
  await context.close()
})
