// What every real-browser test file starts from: the app on a fresh database with the demo
// seeded, listening on a real port, and Debian's Chromium; both closed after the file.
import assert from 'node:assert/strict'
import { after, before } from 'node:test'
import type { FastifyInstance } from 'fastify'
import type { Browser as Chromium, Page } from 'playwright-core'
import { seedDemoIfEmpty, type DemoLogin } from '../../src/features/demo/demo.seed.js'
import { buildTestApp } from './build-test-app.js'
import { confirmationPath } from './browser.js'
import { axeViolations, launchChromium, screenshot } from './chromium.js'

export interface DemoServer {
  app: FastifyInstance
  base: string
  chromium: Chromium
  logins: DemoLogin[]
}

/** Registers before/after hooks; the returned object is filled in by the time tests run. */
export function demoServer(): DemoServer {
  const server = {} as DemoServer
  const teardown: (() => Promise<void>)[] = []
  before(async () => {
    server.app = await buildTestApp({ after: (fn) => teardown.push(fn) }, { rateLimits: false })
    server.logins = await seedDemoIfEmpty(server.app.db, new Date())
    server.base = await server.app.listen({ port: 0, host: '127.0.0.1' })
    server.chromium = await launchChromium()
  })
  after(async () => {
    await server.chromium?.close()
    for (const fn of teardown) await fn()
  })
  return server
}

/** axe-core (WCAG 2.0/2.1/2.2 A and AA) finds nothing on the page as it is now; a screenshot for the record. */
export async function assertAccessible(page: Page, name: string): Promise<void> {
  const violations = await axeViolations(page)
  assert.deepEqual(violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `accessibility of ${name}`)
  await screenshot(page, name)
}

/** The password signUpInBrowser gives every account it makes. */
export const BROWSER_PASSWORD = 'a long enough passphrase'

/**
 * Signs in through the sign-in form, as a person would, and lands on the home page. The
 * password defaults to the one signUpInBrowser gives; pass a demo login's own for the demo people.
 */
export async function signInInBrowser(page: Page, base: string, email: string, password = BROWSER_PASSWORD): Promise<void> {
  await page.goto(`${base}/sign-in`)
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(`${base}/`)
}

/**
 * Creates an account through the sign-up form, confirms the address through the link its
 * email carries (clicking the button on the page it opens), and lands on the home page, signed in.
 */
export async function signUpInBrowser(page: Page, base: string, name: string, email: string, app?: FastifyInstance): Promise<void> {
  await page.goto(`${base}/sign-up`)
  await page.getByLabel('Your name').fill(name)
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(BROWSER_PASSWORD)
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.waitForURL(`${base}/`)
  if (!app) return
  await page.goto(`${base}${await confirmationPath(app, email)}`)
  await page.getByRole('button', { name: 'Confirm my email address' }).click()
  await page.waitForURL(`${base}/me/account`)
  await page.goto(`${base}/`)
}
