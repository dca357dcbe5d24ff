// Times for people abroad in a real browser, on the demo, at 360, 1280 and 1920 px with
// JavaScript on and off: Cat, on a device set to her zone, picks it on her profile (with
// JavaScript the page offers her device's zone; without, she chooses it from the list), and the
// community's next chat, the published grid and the demo lunch then show her time beside
// theirs; choosing "None" takes it away again.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Page } from 'playwright-core'
import { newContext, screenshot } from '../helpers/chromium.js'
import { assertAccessible, demoServer, signInInBrowser } from '../helpers/demo-server.js'

const server = demoServer()
const CAT = 'cat@example.org'

const signIn = (page: Page, email: string) => signInInBrowser(page, server.base, email, server.logins.find((l) => l.email === email)!.password)

async function chooseZone(page: Page, zone: string): Promise<void> {
  await page.goto(`${server.base}/me/profile`)
  await page.getByLabel('Your time zone').selectOption(zone)
  await page.getByRole('button', { name: 'Save' }).click()
  await page.waitForURL((url) => url.pathname.startsWith('/people/'))
}

/** No sideways scrolling: the added times wrap on a phone. */
async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)
}

const cases = [
  { width: 360, javaScript: true, zone: 'America/New_York', name: /Eastern (Standard|Daylight) Time/ },
  { width: 360, javaScript: false, zone: 'Asia/Singapore', name: /Singapore Standard Time/ },
  { width: 1280, javaScript: true, zone: 'America/Los_Angeles', name: /Pacific (Standard|Daylight) Time/ },
  { width: 1280, javaScript: false, zone: 'Asia/Tokyo', name: /Japan Standard Time/ },
  { width: 1920, javaScript: true, zone: 'Australia/Sydney', name: /Australian Eastern (Standard|Daylight) Time/ },
  { width: 1920, javaScript: false, zone: 'America/Sao_Paulo', name: /Brasilia Standard Time/ },
]

for (const { width, javaScript, zone, name } of cases) {
  test(`your own time zone at ${width} px, JavaScript ${javaScript ? 'on' : 'off'}: ${zone} chosen from the list, shown beside the chat, the grid and the lunch`, async () => {
    const context = await newContext(server.chromium, { javaScript, width, timezoneId: zone })
    const page = await context.newPage()
    await signIn(page, CAT)

    await page.goto(`${server.base}/me/profile`)
    const picker = page.getByLabel('Your time zone')
    assert.equal(await picker.evaluate((el) => el.tagName), 'SELECT', 'a list of zones, not a text box')
    if (javaScript) {
      // The device's zone is offered; taking it chooses it in the list.
      const offer = page.locator('[data-device-zone]')
      await offer.waitFor()
      assert.match((await offer.textContent()) ?? '', new RegExp(`This device is set to\\s+${zone.split('/')[1]!.replace('_', ' ')}`))
      await assertAccessible(page, `profile-zone-${width}`)
      await offer.getByRole('button', { name: 'Use this time zone' }).click()
      assert.equal(await picker.inputValue(), zone)
      assert.ok(await offer.isHidden(), 'the offer goes once taken')
      await page.getByRole('button', { name: 'Save' }).click()
      await page.waitForURL((url) => url.pathname.startsWith('/people/'))
    } else {
      assert.ok(await page.locator('[data-device-zone]').isHidden(), 'without JavaScript there is only the list')
      await chooseZone(page, zone)
    }
    await page.goto(`${server.base}/me/profile`)
    assert.equal(await page.getByLabel('Your time zone').inputValue(), zone, 'the choice is kept')

    // The community's next chat: its own time (London), then hers.
    await page.goto(`${server.base}/communities/lgovsm`)
    const chat = page.locator('.chat--next .chat__when')
    const chatText = (await chat.textContent()) ?? ''
    assert.match(chatText, /\d\d:\d\d–\d\d:\d\d (Greenwich Mean Time|British Summer Time)/, 'the chat’s own time stays first')
    assert.match(chatText, new RegExp(`Your time: .*${name.source}`))
    assert.ok(await chat.locator('.your-time').isVisible())
    assert.ok(await fitsWidth(page), `the community page fits ${width} px`)
    if (javaScript) await assertAccessible(page, `community-your-time-${width}`)

    // The published grid, signed in: each slot's time with hers (the table, or the list on a phone).
    await page.goto(`${server.base}/events/lgovcamp/schedule`)
    const slotTimes = page.locator(width < 700 ? '.slot__time .your-time' : 'th[scope="row"] .your-time')
    await slotTimes.first().waitFor()
    assert.match((await slotTimes.first().textContent()) ?? '', name)
    assert.ok(await slotTimes.first().isVisible(), 'shown at this width')
    assert.ok(await fitsWidth(page) || width >= 1280, 'the phone list fits')

    // The demo lunch.
    await page.goto(`${server.base}/meetups`)
    await page.locator('.card__title a').first().click()
    await page.waitForURL((url) => url.pathname.startsWith('/meetups/'))
    assert.match((await page.locator('p.lead').first().textContent()) ?? '', new RegExp(`Your time: .*${name.source}`))
    await screenshot(page, `meetup-your-time-${width}-${javaScript ? 'js' : 'nojs'}`)

    // Back to none: the pages show each item's own time only.
    await chooseZone(page, '')
    await page.goto(`${server.base}/communities/lgovsm`)
    assert.equal(await page.locator('.your-time').count(), 0)
    await context.close()
  })
}
