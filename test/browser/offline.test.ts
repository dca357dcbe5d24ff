// Bad venue wifi in a real Chromium, with the network switched off (docs/offline.md): the
// event's grid, the person's agenda and a session page, once seen, still open offline and
// say when they were last updated; a star made offline waits on the page ("will be sent when
// you're back online") and reaches the server once the network is back, and the agenda shows
// it. Signing out leaves nothing of the person's on the phone. At 360, 1280 and 1920 px;
// axe-core on every offline page. (Without JavaScript there is no service worker: the pages
// are then simply the online pages, tested elsewhere.)
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Page } from 'playwright-core'
import { newContext } from '../helpers/chromium.js'
import { assertAccessible, demoServer, signInInBrowser } from '../helpers/demo-server.js'

const server = demoServer()
const SLUG = 'lgovcamp'
const PAGES_CACHE = 'hashcamp-pages-v1'

/** Signs in as one of the demo people, whose random password only the seed's logins know. */
const signIn = (page: Page, email: string) => signInInBrowser(page, server.base, email, server.logins.find((l) => l.email === email)!.password)

/**
 * The service worker is in charge of this page (static/js/offline.js registered it). Installing
 * fetches the css and js first: on a loaded machine that alone can take a while.
 */
async function workerInCharge(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 90_000 })
}

/** The worker has kept a copy of this page (it writes it just after answering). */
async function kept(page: Page, path: string): Promise<void> {
  await page.waitForFunction(
    async ([cacheName, url]) => Boolean(await (await caches.open(cacheName!)).match(url!, { ignoreVary: true })),
    [PAGES_CACHE, `${server.base}${path}`],
  )
}

/** The notice a kept copy shows, with the time it was fetched, which is a minute or so ago at most. */
async function assertOfflineCopy(page: Page, name: string): Promise<void> {
  const notice = page.getByRole('status').filter({ hasText: 'You’re offline' })
  await notice.waitFor()
  const text = (await notice.textContent()) ?? ''
  const match = /^You’re offline: this is the copy saved on this device, updated (\d\d):(\d\d)\.$/.exec(text)
  assert.ok(match, `the notice says when the copy was fetched: ${text}`)
  const minutesAgo = await page.evaluate(([h, m]) => {
    const now = new Date()
    return (now.getHours() * 60 + now.getMinutes() - (Number(h) * 60 + Number(m)) + 1440) % 1440
  }, [match[1]!, match[2]!])
  assert.ok(minutesAgo <= 5, `fetched ${minutesAgo} minutes ago`)
  await assertAccessible(page, name)
}

async function starred(email: string, title: string): Promise<boolean> {
  const row = await server.app.db
    .selectFrom('stars as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('proposals as p', 'p.id', 's.proposal_id')
    .select('s.proposal_id')
    .where('u.email', '=', email)
    .where('p.title', '=', title)
    .executeTakeFirst()
  return row !== undefined
}

for (const [index, width] of [360, 1280, 1920].entries()) {
  test(`offline at ${width} px: the grid, my agenda and a session page open without a network, and a star made offline is sent when it is back`, async () => {
    const email = 'bryn@example.org'
    const context = await newContext(server.chromium, { javaScript: true, width })
    const page = await context.newPage()
    await signIn(page, email)
    await workerInCharge(page)

    // Online: the pages pass through the worker, which keeps a copy of each.
    const gridPath = `/events/${SLUG}/schedule`
    await page.goto(`${server.base}${gridPath}`)
    await kept(page, gridPath)
    // A session Bryn has not starred yet, a different one at each width.
    const form = page.locator('form.star-form:has(button[aria-pressed="false"])').nth(index)
    const action = (await form.getAttribute('action'))!
    const sessionPath = action.replace(/\/star$/, '')
    await page.goto(`${server.base}${sessionPath}`)
    const title = (await page.getByRole('heading', { level: 1 }).textContent())!.trim()
    await kept(page, sessionPath)
    await page.goto(`${server.base}/me/agenda`)
    await kept(page, '/me/agenda')
    assert.equal(await page.getByRole('link', { name: title }).count(), 0, 'not on the agenda yet')

    await context.setOffline(true)
    await page.reload()
    await assertOfflineCopy(page, `offline-agenda-${width}`)
    await page.goto(`${server.base}${gridPath}`)
    await assertOfflineCopy(page, `offline-grid-${width}`)
    assert.ok(await page.locator(`form[action="${action}"]`).count(), 'the grid is all there, stars and all')
    await page.goto(`${server.base}${sessionPath}`)
    await assertOfflineCopy(page, `offline-session-${width}`)
    assert.equal((await page.getByRole('heading', { level: 1 }).textContent())!.trim(), title)

    // Star it offline: the button shows it, and says it waits for the network.
    // (The hidden title is a block of its own to the name: "My sessions : title".)
    const star = page.getByRole('button', { name: new RegExp(`^My sessions\\W+${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) })
    await star.click()
    const waiting = page.locator('form.star-form').getByText('Will be sent when you’re back online')
    await waiting.waitFor()
    await page.getByRole('status').filter({ hasText: /^You’re offline: .* updated \d\d:\d\d\. Your change to “My sessions” is kept on this device and will be sent when you’re back online\.$/ }).waitFor()
    assert.equal(await star.getAttribute('aria-pressed'), 'true')
    assert.equal(await starred(email, title), false, 'nothing reached the server while offline')
    await assertAccessible(page, `offline-star-waiting-${width}`)

    // Back online: the page sends it and says so; the agenda has it.
    await context.setOffline(false)
    await page.getByRole('status').filter({ hasText: 'What you changed in “My sessions” while offline has been sent.' }).waitFor()
    assert.equal(await waiting.count(), 0, 'the star no longer says it waits')
    assert.equal(await star.getAttribute('aria-pressed'), 'true')
    assert.equal(await starred(email, title), true, 'the star reached the server')
    await page.goto(`${server.base}/me/agenda`)
    await page.getByRole('link', { name: title }).first().waitFor()
    assert.equal(await page.getByRole('status').filter({ hasText: 'You’re offline' }).count(), 0, 'a fresh page, not the copy')
    await context.close()
  })
}

test('a star posted with fetch while offline (the in-place taps) is queued by the worker: 202, shown as waiting on the next load, sent once back', async () => {
  const email = 'cat@example.org'
  const context = await newContext(server.chromium, { javaScript: true, width: 1280 })
  const page = await context.newPage()
  await signIn(page, email)
  await workerInCharge(page)
  await page.goto(`${server.base}/events/${SLUG}/schedule`)
  const action = (await page.locator('form.star-form:has(button[aria-pressed="false"])').first().getAttribute('action'))!
  const sessionPath = action.replace(/\/star$/, '')
  await page.goto(`${server.base}${sessionPath}`)
  const title = (await page.getByRole('heading', { level: 1 }).textContent())!.trim()
  await kept(page, sessionPath)

  await context.setOffline(true)
  const answer = await page.evaluate(async (path) => {
    const form = document.querySelector<HTMLFormElement>(`form[action="${path}"]`)!
    const body = new URLSearchParams(new FormData(form) as unknown as Record<string, string>)
    body.set('starred', '1')
    const response = await fetch(path, { method: 'POST', body })
    return { status: response.status, queued: response.headers.get('hashcamp-queued') }
  }, action)
  assert.deepEqual(answer, { status: 202, queued: '1' })
  await page.reload()
  await page.locator('form.star-form').getByText('Will be sent when you’re back online').waitFor()
  await page.getByRole('status').filter({ hasText: /updated \d\d:\d\d\. Your change to “My sessions” is kept on this device/ }).waitFor()
  assert.equal(await starred(email, title), false)

  await context.setOffline(false)
  await page.getByRole('status').filter({ hasText: 'What you changed in “My sessions” while offline has been sent.' }).waitFor()
  assert.equal(await starred(email, title), true, 'the star reached the server')
  await context.close()
})

test('signing out leaves nothing of the person on the device: no kept pages, no agenda offline', async () => {
  const context = await newContext(server.chromium, { javaScript: true, width: 360 })
  const page = await context.newPage()
  await signIn(page, 'cat@example.org')
  await workerInCharge(page)
  await page.goto(`${server.base}/me/agenda`)
  await kept(page, '/me/agenda')

  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.waitForURL(`${server.base}/`)
  await page.waitForFunction(async (cacheName) => (await (await caches.open(cacheName)).keys()).length === 0, PAGES_CACHE)

  await context.setOffline(true)
  await assert.rejects(page.goto(`${server.base}/me/agenda`), 'offline, the agenda is simply not there')
  await context.close()
})
