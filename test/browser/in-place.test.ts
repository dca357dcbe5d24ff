// Taps that don't reload, in a real browser at 360, 1280 and 1920 px, on the demo: an "I'd go"
// vote on the proposals list, a star on the published grid, an RSVP to the lunch and a vote for
// a chat topic. With JavaScript each changes its item where it is: no navigation (a marker on
// window survives), the page does not scroll, focus stays on the button, the flash message is
// said in the live region and the list keeps its order. Without JavaScript the POST comes back
// to the page at the item's #anchor, showing the new state. axe-core runs on each page reached with JavaScript.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Locator, Page } from 'playwright-core'
import { newContext } from '../helpers/chromium.js'
import { assertAccessible, demoServer, signUpInBrowser } from '../helpers/demo-server.js'

const server = demoServer()
const WIDTHS = [360, 1280, 1920]

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

interface Tapped {
  /** The id of the element swapped (or scrolled to) */
  id: string
}

/** Sets a marker only this document has: a navigation (a reload) would lose it. */
async function mark(page: Page): Promise<void> {
  await page.evaluate(() => { (window as unknown as { inPlaceMarker: string }).inPlaceMarker = 'still here' })
}

async function marked(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { inPlaceMarker?: string }).inPlaceMarker === 'still here')
}

/** The live region's words, once they are there. */
async function announced(page: Page, expected: RegExp): Promise<string> {
  const region = page.locator('[data-in-place-status]')
  await page.waitForFunction((pattern) => new RegExp(pattern).test(document.querySelector('[data-in-place-status]')?.textContent ?? ''), expected.source)
  return (await region.textContent()) ?? ''
}

/** The id of the nearest element with an id around the focused element, and whether focus is on a button. */
async function focusInfo(page: Page): Promise<{ inside: string | null; button: boolean; pressed: string | null }> {
  return page.evaluate(() => {
    const active = document.activeElement
    return {
      inside: active?.closest('[id]:not(form)')?.id ?? null,
      button: active?.tagName === 'BUTTON',
      pressed: active?.getAttribute('aria-pressed') ?? null,
    }
  })
}

async function ids(list: Locator): Promise<string[]> {
  return list.evaluateAll((items) => items.map((item) => item.id))
}

/**
 * Brings `button` to the middle of the screen, presses it with JavaScript on, and checks what
 * the person notices: no navigation, no scroll, focus back on the button in the same item,
 * the flash said in the live region. Returns the item's id.
 */
async function tapInPlace(page: Page, button: Locator, expected: RegExp): Promise<Tapped> {
  const id = await button.evaluate((b) => b.closest('form')!.getAttribute('data-in-place')!.split(' ')[0]!)
  await button.evaluate((b) => b.scrollIntoView({ block: 'center' }))
  await mark(page)
  let navigations = 0
  const count = (frame: unknown) => { if (frame === page.mainFrame()) navigations++ }
  page.on('framenavigated', count)
  const scrollBefore = await page.evaluate(() => window.scrollY)
  await button.click()
  await announced(page, expected)
  page.off('framenavigated', count)
  assert.equal(await marked(page), true, `${id}: the page was not reloaded`)
  assert.equal(navigations, 0, `${id}: no navigation`)
  assert.ok(Math.abs((await page.evaluate(() => window.scrollY)) - scrollBefore) <= 1, `${id}: the page did not scroll`)
  const focus = await focusInfo(page)
  assert.equal(focus.inside, id, `${id}: focus is back in the item`)
  assert.equal(focus.button, true, `${id}: focus is on a button`)
  return { id }
}

/** The same press without JavaScript: the browser lands on the page at the item's anchor, which is on screen. */
async function tapWithoutScript(page: Page, button: Locator, anchor: string): Promise<void> {
  await button.click()
  await page.waitForURL((url) => url.hash === `#${anchor}`)
  // No page.evaluate here: with JavaScript off it never returns. The box is read over the protocol.
  const box = await page.locator(`#${anchor}`).boundingBox()
  const height = page.viewportSize()!.height
  assert.ok(box && box.y + box.height > 0 && box.y < height, `#${anchor} is on screen after the redirect (${JSON.stringify(box)})`)
}

/** The first star button a person at this width can see (table on wide screens, list on phones). */
function visibleStar(page: Page, starred: boolean): Locator {
  return page.locator(`form.star-form button[aria-pressed="${starred}"]:visible`).first()
}

for (const width of WIDTHS) {
  describe(`taps at ${width} px`, () => {
    test('with JavaScript: vote, star, RSVP and topic vote change their item in place', async () => {
      const context = await newContext(server.chromium, { javaScript: true, width })
      const page = await context.newPage()
      page.setDefaultTimeout(60_000)
      await signUpInBrowser(page, server.base, `Tapper ${width}`, `tapper-js-${width}@example.org`, server.app)

      // "I'd go" on a proposal half way down the list, sorted by interest.
      await page.goto(`${server.base}/events/lgovcamp/proposals`)
      const proposals = page.locator('ol.topic-list > li.topic')
      const orderBefore = await ids(proposals)
      assert.ok(orderBefore.length >= 4, 'the demo has proposals to vote on')
      const item = proposals.nth(Math.min(4, orderBefore.length - 1))
      const title = (await item.locator('.topic__title').innerText()).trim()
      const votesBefore = Number((await item.locator('.topic__votes').innerText()).match(/\d+/)?.[0] ?? 0)
      const vote = await tapInPlace(page, item.getByRole('button', { name: /^I’d go/ }), new RegExp(`You would go to “${escape(title)}”`))
      const swapped = page.locator(`#${vote.id}`)
      assert.equal(Number((await swapped.locator('.topic__votes').innerText()).match(/\d+/)?.[0] ?? 0), votesBefore + 1, 'the count went up')
      assert.equal((await focusInfo(page)).pressed, 'true', 'the button now shows the vote')
      assert.deepEqual(await ids(proposals), orderBefore, 'the list did not re-sort')
      await assertAccessible(page, `in-place-proposals-${width}`)
      // Pressed again: taken back, still in place, said again.
      await tapInPlace(page, swapped.getByRole('button', { name: /^I’d go \(undo\)/ }), new RegExp(`You took back your interest in “${escape(title)}”`))
      assert.equal((await focusInfo(page)).pressed, 'false')
      assert.equal(Number((await swapped.locator('.topic__votes').innerText()).match(/\d+/)?.[0] ?? 0), votesBefore)

      // A star on the published grid: the copy this width shows, and its twin, both change.
      await page.goto(`${server.base}/events/lgovcamp/schedule`)
      const star = visibleStar(page, false)
      const session = await star.evaluate((b) => b.closest('form')!.getAttribute('data-in-place')!)
      const starred = await tapInPlace(page, star, /is in your sessions/)
      assert.equal((await focusInfo(page)).pressed, 'true', 'the star shows as on')
      for (const id of session.split(' ')) assert.equal(await page.locator(`#${id} form.star-form button`).getAttribute('aria-pressed'), 'true', `#${id} shows the star`)
      assert.equal(starred.id, session.split(' ')[0])
      await assertAccessible(page, `in-place-grid-${width}`)

      // The RSVP panel, the seats left and who is going, all from one press.
      await page.goto(`${server.base}/meetups/unconference-lunch`)
      const reply = page.locator('#rsvp').getByRole('button', { name: /^(I’m going|Join the waiting list)$/ })
      await tapInPlace(page, reply, /You are going|waitlist/)
      await page.locator('#rsvp').getByText(/You are going|You are number \d+ on the waitlist/).waitFor()
      await page.locator('#rsvp').getByRole('button', { name: 'Update my reply' }).waitFor()
      await assertAccessible(page, `in-place-meetup-${width}`)

      // A chat topic vote (after joining the community, a normal form).
      await page.goto(`${server.base}/communities/lgovsm`)
      await page.getByRole('button', { name: 'Join community' }).click()
      await page.getByText('You have joined').waitFor()
      await page.goto(`${server.base}/communities/lgovsm/topics`)
      const topics = page.locator('ol.topic-list > li.topic')
      const topicOrder = await ids(topics)
      const topic = topics.last()
      const topicTitle = (await topic.locator('.topic__title').innerText()).trim()
      const topicVotes = Number((await topic.locator('.topic__votes').innerText()).match(/\d+/)?.[0] ?? 0)
      const voted = await tapInPlace(page, topic.getByRole('button', { name: /^Vote/ }), new RegExp(`You voted for “${escape(topicTitle)}”`))
      assert.equal(Number((await page.locator(`#${voted.id} .topic__votes`).innerText()).match(/\d+/)?.[0] ?? 0), topicVotes + 1)
      assert.equal((await focusInfo(page)).pressed, 'true')
      assert.deepEqual(await ids(topics), topicOrder, 'the last topic stays last until the next load, however many votes it has')
      await assertAccessible(page, `in-place-topics-${width}`)
      await context.close()
    })

    test('without JavaScript: each POST comes back to the page at the item, showing the new state', async () => {
      const context = await newContext(server.chromium, { javaScript: false, width })
      const page = await context.newPage()
      page.setDefaultTimeout(60_000)
      // axe runs with JavaScript on (above) over the same HTML: without it page.evaluate never returns.
      await signUpInBrowser(page, server.base, `Plain Tapper ${width}`, `tapper-nojs-${width}@example.org`, server.app)

      await page.goto(`${server.base}/events/lgovcamp/proposals?sort=newest`)
      const item = page.locator('ol.topic-list > li.topic').nth(5)
      const id = await item.getAttribute('id')
      await tapWithoutScript(page, item.getByRole('button', { name: /^I’d go/ }), id!)
      assert.match(page.url(), /\/events\/lgovcamp\/proposals\?sort=newest#proposal-\d+$/, 'the same list, with its sort')
      assert.equal(await page.locator(`#${id} button`).getAttribute('aria-pressed'), 'true')

      await page.goto(`${server.base}/events/lgovcamp/schedule`)
      const star = visibleStar(page, false)
      const anchor = (await star.locator('xpath=ancestor::form').getAttribute('data-in-place'))!.split(' ')[0]!
      await tapWithoutScript(page, star, anchor)
      assert.equal(await page.locator(`#${anchor} form.star-form button`).getAttribute('aria-pressed'), 'true')
      assert.ok(await page.locator(`#${anchor} form.star-form button`).isVisible(), 'the copy pressed is the one shown at this width')

      await page.goto(`${server.base}/meetups/unconference-lunch`)
      await tapWithoutScript(page, page.locator('#rsvp').getByRole('button', { name: /^(I’m going|Join the waiting list)$/ }), 'rsvp')
      await page.locator('#rsvp').getByText(/You are going|You are number \d+ on the waitlist/).waitFor()

      await page.goto(`${server.base}/communities/lgovsm`)
      await page.getByRole('button', { name: 'Join community' }).click()
      await page.getByText('You have joined').waitFor()
      await page.goto(`${server.base}/communities/lgovsm/topics`)
      const topic = page.locator('ol.topic-list > li.topic').last()
      const topicId = await topic.getAttribute('id')
      await tapWithoutScript(page, topic.getByRole('button', { name: /^Vote/ }), topicId!)
      assert.equal(await page.locator(`#${topicId} button`).getAttribute('aria-pressed'), 'true')
      await context.close()
    })
  })
}
