// The projector view as the hall sees it: 1920×1080 from the back of the room, 1280×800 from a
// laptop (JavaScript on and off), before the day, during it, with the clock ticking; and the
// organisers' way to preview it. axe on each, with JavaScript on.
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import type { Page } from 'playwright-core'
import { newContext } from '../helpers/chromium.js'
import { assertAccessible, demoServer, signInInBrowser } from '../helpers/demo-server.js'

const server = demoServer()

async function firstDay(): Promise<string> {
  return (await server.app.db.selectFrom('events').select('first_day').where('slug', '=', 'lgovcamp').executeTakeFirstOrThrow()).first_day
}

/** The demo event's first slot, as the wall should print it ("09:30"). */
async function firstSlotTime(): Promise<string> {
  const event = await server.app.db.selectFrom('events').select(['id', 'time_zone']).where('slug', '=', 'lgovcamp').executeTakeFirstOrThrow()
  const slot = await server.app.db.selectFrom('slots').select('starts_at').where('event_id', '=', event.id).orderBy('starts_at').executeTakeFirstOrThrow()
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: event.time_zone }).format(new Date(slot.starts_at))
}

const px = (page: Page, selector: string, property: string) => page.locator(selector).first().evaluate((el, p) => parseFloat(getComputedStyle(el).getPropertyValue(p)), property)

test('at 1920×1080: now and next for every room without scrolling, large type, a QR code a third of the height', async () => {
  const context = await newContext(server.chromium, { javaScript: true, width: 1920 })
  const page = await context.newPage()
  await page.setViewportSize({ width: 1920, height: 1080 })
  await page.goto(`${server.base}/events/lgovcamp/now?at=${await firstDay()}T10:15`)
  await page.getByRole('cell', { name: 'Crisis comms: what we learned from the floods' }).waitFor()
  const rooms = await server.app.db.selectFrom('rooms').innerJoin('events', 'events.id', 'rooms.event_id').select('rooms.id').where('events.slug', '=', 'lgovcamp').execute()
  assert.ok((await page.locator('.projector__table tbody tr').count()) >= Math.min(rooms.length, 4), 'a row per room with something on')
  const overflow = await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight)
  assert.ok(overflow <= 0, `it fits the screen: ${overflow}px too tall`)
  assert.ok((await px(page, '.projector__clock', 'font-size')) >= 72, 'the clock is readable across the hall')
  assert.ok((await px(page, '.projector__table td', 'font-size')) >= 26, 'session titles are at least 26 px')
  const qr = await page.locator('.projector__qr svg').boundingBox()
  assert.ok(qr && qr.width >= 330 && qr.y + qr.height <= 1080, `the QR code is big and on screen: ${JSON.stringify(qr)}`)
  assert.match(await page.locator('.projector__preview').innerText(), /Preview: the projector as it will look on/)
  await assertAccessible(page, 'projector-1920')
  await page.screenshot({ path: path.resolve(import.meta.dirname, '../../test-artifacts/projector-1920-viewport.png') })
  if (process.env.UPDATE_SCREENSHOTS) await fs.copyFile(path.resolve(import.meta.dirname, '../../test-artifacts/projector-1920-viewport.png'), path.resolve(import.meta.dirname, '../../docs/screenshots/projector-1920.png'))
  await context.close()
})

/** How far the page is wider than the window, read over the browser's protocol (page.evaluate never returns with JavaScript off). */
async function sidewaysOverflow(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page)
  const metrics = await cdp.send('Page.getLayoutMetrics')
  await cdp.detach()
  return metrics.cssContentSize.width - metrics.cssLayoutViewport.clientWidth
}

/** Wholly inside the window, as the hall sees it. */
function onScreen(box: { x: number; y: number; width: number; height: number } | null, width: number, height: number): boolean {
  return box !== null && box.x >= 0 && box.y >= 0 && box.x + box.width <= width + 0.5 && box.y + box.height <= height + 0.5
}

for (const [width, height, screen] of [[1280, 800, 'a laptop on a small projector'], [1920, 1080, 'the hall’s projector']] as const) {
  for (const javaScript of [true, false]) {
    test(`at ${width}×${height} (${screen}), ${javaScript ? 'JavaScript on' : 'JavaScript off'}: now and next for every room, the QR code and the clock, nothing sideways`, async () => {
      const context = await newContext(server.chromium, { javaScript, width })
      const page = await context.newPage()
      await page.setViewportSize({ width, height })
      await page.goto(`${server.base}/events/lgovcamp/now?at=${await firstDay()}T10:15`)
      await page.getByRole('cell', { name: 'Crisis comms: what we learned from the floods' }).waitFor()
      assert.equal(await sidewaysOverflow(page), 0, 'the page does not scroll sideways')
      const heads = page.locator('.projector__table thead th')
      assert.deepEqual((await heads.allInnerTexts()).map((text) => text.split(/\s/)[0]), ['Room', 'Now', 'Next'])
      const rows = await page.locator('.projector__table tbody tr').all()
      assert.ok(rows.length >= 4, `a row per room with something on (${rows.length})`)
      for (const row of rows) {
        const room = await row.locator('th').innerText()
        const cells = row.locator('th, td')
        assert.equal(await cells.count(), 3, `${room}: its name, now and next`)
        for (let n = 0; n < 3; n++) {
          const box = await cells.nth(n).boundingBox()
          assert.ok(onScreen(box, width, height), `${room}, column ${n + 1} is on the screen, not off its side or below it: ${JSON.stringify(box)}`)
        }
      }
      assert.ok(onScreen(await page.locator('.projector__clock').boundingBox(), width, height), 'the clock is on screen')
      assert.equal(await page.locator('.projector__clock').innerText(), '10:15', 'and shows the previewed time')
      const qr = await page.locator('.projector__qr svg').boundingBox()
      assert.ok(onScreen(qr, width, height) && qr!.width >= 150, `the QR code is on screen and big enough to scan: ${JSON.stringify(qr)}`)
      if (javaScript) await assertAccessible(page, `projector-table-${width}`)
      await context.close()
    })
  }
}

test('before the day it says when it starts and what is on first; the evening before names the day', async () => {
  const context = await newContext(server.chromium, { javaScript: true, width: 1920 })
  const page = await context.newPage()
  const day = await firstDay()
  const starts = await firstSlotTime()
  await page.goto(`${server.base}/events/lgovcamp/now?at=${day}T06:00`)
  await page.getByText(`Starts at ${starts}`, { exact: true }).waitFor()
  assert.equal(await page.getByRole('columnheader', { name: /^First/ }).count(), 1)
  assert.ok((await page.locator('.projector__table tbody td').count()) > 0, 'the first sessions, room by room')
  await assertAccessible(page, 'projector-before-1920')
  const eve = new Date(`${day}T12:00:00Z`)
  eve.setUTCDate(eve.getUTCDate() - 1)
  await page.goto(`${server.base}/events/lgovcamp/now?at=${eve.toISOString().slice(0, 10)}T18:00`)
  const said = await page.locator('.projector__starts').innerText()
  assert.match(said, new RegExp(`^Starts on \\w+day,? \\d+ \\w+ \\d{4} at ${starts}$`))
  await context.close()
})

test('without a preview time the clock shows the event’s time now and ticks; on a phone it stacks, without JavaScript too', async () => {
  for (const javaScript of [true, false]) {
    const context = await newContext(server.chromium, { javaScript, width: 360 })
    const page = await context.newPage()
    const zone = (await server.app.db.selectFrom('events').select('time_zone').where('slug', '=', 'lgovcamp').executeTakeFirstOrThrow()).time_zone
    const clockNow = () => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone }).format(new Date())
    const before = clockNow()
    await page.goto(`${server.base}/events/lgovcamp/now`)
    if (javaScript) {
      // Whatever the page was served with, the script keeps it to the minute.
      await page.locator('.projector__clock').evaluate((el) => (el.textContent = '--:--'))
      await page.waitForFunction(() => document.querySelector('.projector__clock')?.textContent !== '--:--')
    }
    const shown = await page.locator('.projector__clock').innerText()
    assert.ok([before, clockNow()].includes(shown), `clock ${shown}, expected ${before}`)
    assert.equal(await page.locator('.projector__preview').count(), 0, 'no preview notice on the real thing')
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    assert.ok(overflow <= 0, `no sideways scrolling on a phone (${overflow}px)`)
    assert.ok(await page.locator('.projector__qr svg').isVisible())
    // Without JavaScript the page reloads itself every 30 seconds (a <noscript> refresh), which
    // would pull the page from under a slow axe run; the markup is the same with it on.
    if (javaScript) await assertAccessible(page, 'projector-360')
    await context.close()
  }
})

test('organisers reach the projector and its preview from the schedule pages', async () => {
  const context = await newContext(server.chromium, { javaScript: true, width: 1280 })
  const page = await context.newPage()
  const organiser = server.logins.find((l) => l.role.includes('organiser'))!
  await signInInBrowser(page, server.base, organiser.email, organiser.password)
  await page.goto(`${server.base}/events/lgovcamp/slots`)
  assert.equal(await page.getByRole('navigation', { name: 'Schedule pages' }).getByRole('link', { name: 'Projector' }).getAttribute('href'), '/events/lgovcamp/now')
  await page.getByLabel('Preview at').fill(`${await firstDay()}T10:15`)
  await page.getByRole('button', { name: 'Preview the projector' }).click()
  await page.waitForURL(/\/events\/lgovcamp\/now\?at=/)
  assert.match(await page.locator('.projector__preview').innerText(), /as it will look on \w+day,? \d+ \w+ \d{4} at 10:15/)
  assert.equal(await page.locator('.projector__clock').innerText(), '10:15', 'a preview keeps its time')
  await assertAccessible(page, 'slots-with-projector-preview-1280')
  await context.close()
})
