// Debian's Chromium, driven by playwright-core against a real listening server. Never
// `npx playwright install`: it downloads a browser, which this project's machines cannot.
import fs from 'node:fs'
import path from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'
export const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-artifacts')

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: install it with "apt-get install -y chromium" (.ci/run does)`)
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      // playwright gives every launch a fresh, empty user data dir of its own.
    ],
  })
}

/** A phone-sized or laptop-sized context, with JavaScript on or off. */
export async function newContext(browser: Browser, options: { javaScript: boolean; width?: number; timezoneId?: string }): Promise<BrowserContext> {
  const width = options.width ?? 1280
  return browser.newContext({
    javaScriptEnabled: options.javaScript,
    viewport: { width, height: width < 600 ? 800 : 900 },
    // axe-core is injected by the test; our own CSP (script-src 'self') would refuse it.
    bypassCSP: true,
    locale: 'en-GB',
    // The device's own zone (the machine's unless a test sets one), as Intl reads it in the page.
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
  })
}

const axeSource = fs.readFileSync(path.resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8')

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[] }[]
}

/** Runs axe-core with the WCAG 2.0, 2.1 and 2.2 A and AA rules; returns the violations. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource)
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }))
  })
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true })
}
