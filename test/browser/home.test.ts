// The personal home in a real browser, on the demo: Ann (a demo member) stars two sessions on
// the published grid, then reaches her home from the nav's "My things" at 360, 1280 and 1920 px,
// with JavaScript on and off; the "My agenda" link and back. axe-core runs on every one.
import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import type { Page } from 'playwright-core'
import { newContext } from '../helpers/chromium.js'
import { assertAccessible, demoServer, signInInBrowser } from '../helpers/demo-server.js'

const server = demoServer()
const ANN = 'ann@example.org'

/** Signs in as one of the demo people, whose random password only the seed's logins know. */
const signIn = (page: Page, email: string) => signInInBrowser(page, server.base, email, server.logins.find((l) => l.email === email)!.password)

const starred: string[] = []
let picked: Promise<void> | null = null

/** Once, before the first test looks: Ann picks the first two sessions of the published grid, with plain forms (JavaScript off). */
async function starTwo(): Promise<void> {
  const context = await newContext(server.chromium, { javaScript: false, width: 1280 })
  const page = await context.newPage()
  await signIn(page, ANN)
  await page.goto(`${server.base}/events/lgovcamp/schedule`)
  for (let i = 0; i < 2; i++) {
    const button = page.locator('button.star[aria-pressed="false"]').first()
    const label = (await button.locator('.visually-hidden').textContent())!.replace(/^:\s*/, '')
    await button.click()
    await page.waitForLoadState()
    starred.push(label)
  }
  await context.close()
}

for (const width of [360, 1280, 1920]) {
  for (const javaScript of [true, false]) {
    test(`the home at ${width} px, JavaScript ${javaScript ? 'on' : 'off'}: the nav's My things leads there, every section in view, axe clean`, async () => {
      await (picked ??= starTwo())
      const context = await newContext(server.chromium, { javaScript, width })
      const page = await context.newPage()
      await signIn(page, ANN)
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My things' }).click()
      await page.waitForURL(`${server.base}/me`)
      await page.getByRole('heading', { level: 1, name: 'My things' }).waitFor()
      for (const name of ['My next chat', 'My agenda', 'My meetups', 'My proposals', 'My communities', 'Invitations']) {
        assert.ok(await page.getByRole('heading', { level: 2, name }).isVisible(), `${name} is shown`)
      }
      const home = page.locator('main')
      // The demo community's next chat has its topic; Ann has a seat at the demo lunch.
      assert.match((await page.locator('section[aria-labelledby="next-chat"]').textContent()) ?? '', /lgovsm[\s\S]*Topic:/)
      assert.match((await page.locator('section[aria-labelledby="meetups"]').textContent()) ?? '', /Lunch on Saturday at the unconference \(demo\)[\s\S]*Going/)
      // Her stars, with their times and rooms, in time order.
      const agenda = (await page.locator('section[aria-labelledby="agenda"]').textContent()) ?? ''
      for (const title of starred) assert.ok(agenda.includes(title), `${title} is on her home`)
      assert.match(agenda, /\d\d:\d\d–\d\d:\d\d/)
      const sessions = await page.locator('[data-home-list="sessions"] li').allTextContents()
      assert.equal(sessions.length, 2)
      assert.match((await page.locator('section[aria-labelledby="proposals"]').textContent()) ?? '', /Find an event/, 'an empty list says what to do')
      // Nothing wider than the screen.
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling')
      assert.ok(await home.isVisible())
      // axe runs in the page's own JavaScript, which never runs with it switched off (its
      // promise never settles): the markup is the same either way, so it is checked with it on.
      if (javaScript) await assertAccessible(page, `home-${width}`)
      if (width === 1280 && javaScript) await page.screenshot({ path: path.resolve(import.meta.dirname, '../../docs/screenshots/home-1280.png'), fullPage: true })

      // "My agenda" from the home, and the nav's "My things" back.
      await page.getByRole('navigation', { name: 'Your profile and settings' }).getByRole('link', { name: 'My agenda' }).click()
      await page.waitForURL(`${server.base}/me/agenda`)
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My things' }).click()
      await page.waitForURL(`${server.base}/me`)
      await context.close()
    })
  }
}
