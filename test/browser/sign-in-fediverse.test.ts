// Sign in with Bluesky and with Mastodon in Chromium, with the site's own Content-Security-Policy
// in force (the other browser tests bypass it to inject axe): each form's answer is a redirect
// to another site, which `form-action 'self'` alone would block (it did, for Mastodon). At 360 px
// without JavaScript and at 1280 px with it; start pages and a refusal page are checked with axe.
import assert from 'node:assert/strict'
import net from 'node:net'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import type { Browser as Chromium, Page } from 'playwright-core'
import { buildTestApp } from '../helpers/build-test-app.js'
import { axeViolations, launchChromium, screenshot } from '../helpers/chromium.js'
import { startAtprotoServer, type AtprotoServer } from '../helpers/atproto-server.js'
import { startMastodonServer, type MastodonTestServer } from '../helpers/mastodon-server.js'

let app: FastifyInstance
let base: string
let atproto: AtprotoServer
let mastodon: MastodonTestServer
const bryn = { id: '7', username: 'bryn', display_name: 'Bryn on Mastodon' }
let chromium: Chromium
const teardown: (() => Promise<void>)[] = []

before(async () => {
  atproto = await startAtprotoServer([{ handle: 'ann.test', displayName: 'Ann Example' }])
  mastodon = await startMastodonServer({ accounts: [bryn] })
  const probe = net.createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as net.AddressInfo
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  base = `http://127.0.0.1:${port}`
  app = await buildTestApp({ after: (fn) => teardown.push(fn) }, { baseUrl: base, rateLimits: false, allowPrivatePeers: true, atproto: { plcUrl: atproto.base, handleResolverUrl: atproto.base } })
  await app.listen({ port, host: '127.0.0.1' })
  chromium = await launchChromium()
})

after(async () => {
  await chromium?.close()
  for (const fn of teardown) await fn()
  await atproto?.close()
  await mastodon?.close()
})

async function pageWithCsp(javaScript: boolean, width: number): Promise<Page> {
  const context = await chromium.newContext({ javaScriptEnabled: javaScript, viewport: { width, height: width < 600 ? 800 : 900 }, locale: 'en-GB' })
  return context.newPage()
}

async function assertNoAxeViolations(page: Page, name: string): Promise<void> {
  const violations = await axeViolations(page)
  assert.deepEqual(violations.map((v) => `${v.id}: ${v.help}`), [], `accessibility of ${name}`)
  await screenshot(page, name)
}

for (const { javaScript, width } of [
  { javaScript: false, width: 360 },
  { javaScript: true, width: 1280 },
]) {
  describe(`${width} px, JavaScript ${javaScript ? 'on' : 'off'}`, () => {
    test('Ann signs in with her Bluesky handle and lands signed in, her handle verified', async () => {
      atproto.decision = 'allow'
      const page = await pageWithCsp(javaScript, width)
      await page.goto(`${base}/sign-in`)
      await page.getByRole('link', { name: 'Sign in with Bluesky' }).click()
      await page.waitForURL(`${base}/sign-in/bluesky`)
      if (javaScript) await assertNoAxeViolations(page, `bluesky-start-${width}`)
      await page.getByLabel('Your Bluesky handle').fill('ann.test')
      await page.getByRole('button', { name: 'Continue to Bluesky' }).click()
      // To the authorisation server (another origin) and back, then home.
      await page.waitForURL(`${base}/`)
      assert.match(await page.locator('body').innerText(), /Ann Example/)
      await page.goto(`${base}/me/profile`)
      assert.match(await page.locator('body').innerText(), /@ann\.test\s+Verified/)
      await page.context().close()
    })

    test('Bryn signs in with his Mastodon server and lands signed in, his handle verified', async () => {
      mastodon.nextInteraction = { account: bryn }
      const page = await pageWithCsp(javaScript, width)
      await page.goto(`${base}/sign-in`)
      await page.getByRole('link', { name: 'Sign in with Mastodon' }).click()
      await page.waitForURL(`${base}/sign-in/mastodon`)
      if (javaScript) await assertNoAxeViolations(page, `mastodon-start-${width}`)
      await page.getByLabel('Your Mastodon server or handle').fill(`@bryn@${mastodon.host}`)
      await page.getByRole('button', { name: 'Continue to your server' }).click()
      await page.waitForURL(`${base}/`)
      assert.match(await page.locator('body').innerText(), /Bryn on Mastodon/)
      await page.goto(`${base}/me/profile`)
      assert.match(await page.locator('body').innerText(), new RegExp(`@bryn@${mastodon.host.replace(/\./g, '\\.')}\\s+Verified`))
      await page.context().close()
    })

    test('saying no at Bluesky ends on a page that says so and offers to start again', async () => {
      atproto.decision = 'deny'
      const page = await pageWithCsp(javaScript, width)
      await page.goto(`${base}/sign-in/bluesky`)
      await page.getByLabel('Your Bluesky handle').fill('ann.test')
      await page.getByRole('button', { name: 'Continue to Bluesky' }).click()
      await page.waitForURL(/\/sign-in\/bluesky\/callback/)
      assert.match(await page.locator('h1').innerText(), /did not allow|chose not/i)
      if (javaScript) await assertNoAxeViolations(page, `bluesky-denied-${width}`)
      await page.getByRole('link', { name: /start again/i }).click()
      await page.waitForURL(`${base}/sign-in/bluesky`)
      await page.context().close()
      atproto.decision = 'allow'
    })
  })
}
