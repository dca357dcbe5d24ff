// Issue 22: every destructive thing an organiser or attendee can do either asks first or can be
// undone, at 360, 1280 and 1920 px, with JavaScript on and off, on the demo: moving the event's
// phase (a confirm page; "No, go back" changes nothing), taking a session off the grid (Undo puts
// it back in its cell; on the demo's published grid the button says Cancel session), cancelling the demo lunch with a reason (Undo the cancellation), and an
// attendee's "I can't come any more" (a confirm page; "No, keep my place" keeps the seat). Every
// step is declined or undone, so each width and mode starts from the same demo. axe runs on each
// confirm page with JavaScript on (with it off axe's promise never settles).
//
// What other files already walk at one width is not walked again here (see COVERED_ELSEWHERE).
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import type { Locator, Page } from 'playwright-core'
import { newContext } from '../helpers/chromium.js'
import { assertAccessible, demoServer, signInInBrowser } from '../helpers/demo-server.js'

const server = demoServer()
const WIDTHS = [360, 1280, 1920] as const
const EVENT = 'lgovcamp'
const EVENT_NAME = 'LocalGovCamp London (demo)'
const MEETUP = 'unconference-lunch'
const MEETUP_TITLE = 'Lunch on Saturday at the unconference (demo)'
const ANN = 'ann@example.org'

type Step = 'takeOff' | 'cancel' | 'leave'
/**
 * Width and mode → the step another browser test already walks there, and which file. (The grid
 * editor's own test takes a session off a grid not yet published, which deletes it; the demo's
 * grid is published, where taking off cancels it, so that step is walked here at 1280 too.)
 */
const COVERED_ELSEWHERE: Record<string, string> = {
  'cancel 1280 js': 'meetup-replies.test.ts (cancel with a reason, then undo)',
  'cancel 1280 nojs': 'meetup-replies.test.ts (cancel with a reason, then undo)',
  'leave 360 js': 'meetup-replies.test.ts (the guest, on a phone, says No first)',
  'leave 360 nojs': 'meetup-replies.test.ts (the guest, on a phone, says No first)',
}
const walkedElsewhere = (step: Step, width: number, javaScript: boolean) => COVERED_ELSEWHERE[`${step} ${width} ${javaScript ? 'js' : 'nojs'}`]

/** An accessible name "Text: context", where the context is visually hidden (Chromium may put a space before the colon). */
const named = (text: string, context: string) => new RegExp(`^${text}\\W+${context.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)

/**
 * The element is wholly inside the window once the page has landed: what a person sees without
 * scrolling. boundingBox() goes through the browser's protocol, so it works with JavaScript off.
 * The browser scrolls to a URL's #fragment as the page finishes loading, which can be just
 * after the text a test waited for has appeared: so the page is given a moment to get there.
 */
async function assertInView(page: Page, locator: Locator, what: string): Promise<void> {
  const { width, height } = page.viewportSize()!
  const inView = (box: { x: number; y: number; width: number; height: number } | null) =>
    box !== null && box.x >= 0 && box.y >= 0 && box.x + box.width <= width + 0.5 && box.y + box.height <= height + 0.5
  const deadline = Date.now() + 2000
  let box = await locator.boundingBox()
  while (!inView(box) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    box = await locator.boundingBox()
  }
  assert.ok(box, `${what}: not shown at all`)
  assert.ok(inView(box), `${what} is in view where the page lands (${JSON.stringify(box)} in ${width}×${height})`)
}

/** The element that has focus, by its accessible text; read through a locator, which works with JavaScript off. */
async function focusedText(page: Page): Promise<string> {
  const focused = page.locator(':focus')
  return (await focused.count()) ? ((await focused.first().textContent()) ?? '').replace(/\s+/g, ' ').trim() : ''
}

async function eventPhase(): Promise<string> {
  return (await server.app.db.selectFrom('events').select('phase').where('slug', '=', EVENT).executeTakeFirstOrThrow()).phase
}

/** Where a session is on the grid now: [slot id, room id], or null. */
async function cellOf(proposalId: number): Promise<[number, number] | null> {
  const row = await server.app.db.selectFrom('schedule_entries').select(['slot_id', 'room_id']).where('proposal_id', '=', proposalId).where('cancelled_at', 'is', null).executeTakeFirst()
  return row ? [row.slot_id, row.room_id] : null
}

/** A session on the demo grid, a different one for each width and mode, so no run leans on another's Undo. */
async function placedSession(nth: number): Promise<{ id: number; title: string; cell: [number, number] }> {
  const rows = await server.app.db
    .selectFrom('schedule_entries as e')
    .innerJoin('proposals as p', 'p.id', 'e.proposal_id')
    .innerJoin('events as ev', 'ev.id', 'p.event_id')
    .select(['p.id', 'p.title', 'e.slot_id', 'e.room_id'])
    .where('ev.slug', '=', EVENT)
    .where('e.cancelled_at', 'is', null)
    .orderBy('e.slot_id')
    .orderBy('e.room_id')
    .execute()
  const row = rows[nth * 5]!
  return { id: row.id, title: row.title, cell: [row.slot_id, row.room_id] }
}

async function meetupState(): Promise<{ state: string; seatsTaken: number; cancelReason: string | null }> {
  const row = await server.app.db.selectFrom('meetups').select(['state', 'seats_taken', 'cancel_reason']).where('slug', '=', MEETUP).executeTakeFirstOrThrow()
  return { state: row.state, seatsTaken: row.seats_taken, cancelReason: row.cancel_reason }
}

/** Everyone's reply to the demo lunch, as it stands: who, what, how many, in which order. */
async function replies(): Promise<string> {
  const rows = await server.app.db
    .selectFrom('rsvps')
    .innerJoin('meetups', 'meetups.id', 'rsvps.meetup_id')
    .select(['rsvps.user_id', 'rsvps.status', 'rsvps.party_size', 'rsvps.seq', 'rsvps.updated_at'])
    .where('meetups.slug', '=', MEETUP)
    .orderBy('rsvps.user_id')
    .execute()
  return JSON.stringify(rows)
}

async function phaseChangeAsksFirst(page: Page, javaScript: boolean, width: number): Promise<void> {
  const manage = `${server.base}/events/${EVENT}/manage`
  const before = await eventPhase()
  assert.equal(before, 'published', 'the demo event’s schedule is published')
  // Forward to finished (which freezes everything), and back to pitching.
  for (const [button, phase, effect] of [
    ['Move to “Finished”', 'Finished', 'Proposals, votes, stars and the grid are frozen.'],
    ['Back to “Pitching today”', 'Pitching today', 'Walk-up pitches and the pitch queue open for the day.'],
  ] as const) {
    await page.goto(manage)
    await page.getByRole('button', { name: button }).click()
    await page.getByRole('heading', { level: 1, name: `Move ${EVENT_NAME} to “${phase}”?` }).waitFor()
    await page.getByText('Now: Schedule published.').waitFor()
    await page.getByText(effect).waitFor()
    // The choice is in view where the page lands: no scrolling to find "No".
    await assertInView(page, page.getByRole('button', { name: `Yes, move to “${phase}”` }), `“Yes, move to ${phase}”`)
    await assertInView(page, page.getByRole('link', { name: 'No, go back' }), '“No, go back”')
    if (javaScript) await assertAccessible(page, `confirm-phase-${phase === 'Finished' ? 'finished' : 'pitching'}-${width}`)
    await page.getByRole('link', { name: 'No, go back' }).click()
    await page.waitForURL(manage)
    await page.getByText(/^Now: Schedule published\./).waitFor()
    assert.equal(await page.getByText(/The event is now at/).count(), 0, 'no message says the phase changed')
    await assertInView(page, page.getByRole('heading', { name: 'Phase' }), 'the Phase section, back where the organiser was')
    assert.equal(await eventPhase(), before, `“No, go back” from “${phase}” leaves the phase as it was`)
  }
}

async function takeOffThenUndo(page: Page, javaScript: boolean, width: number, nth: number): Promise<void> {
  const session = await placedSession(nth)
  const cell = page.locator(`#cell-${session.cell[0]}-${session.cell[1]}`)
  await page.goto(`${server.base}/events/${EVENT}/schedule/edit`)
  // The ⋯ menu is a <details>: it opens with and without JavaScript.
  await cell.locator('.session__menu-button').click()
  await page.getByRole('button', { name: named('Cancel session', session.title) }).click()
  await page.getByText(`“${session.title}” is cancelled; the public schedule shows it as cancelled.`).waitFor()
  assert.equal(await cellOf(session.id), null, 'it is off the grid')
  assert.equal(await cell.locator('[data-session]').count(), 0, 'its cell shows empty')
  assert.equal(await page.locator('.editor__tray').getByText(session.title, { exact: true }).count(), 1, 'it waits in the tray')
  const undo = page.getByRole('button', { name: named('Undo', `put “${session.title}” back where it was`) })
  await assertInView(page, undo, 'Undo')
  // With JavaScript the change is made in place and focus moves to Undo; without it, the page
  // comes back at the editor, its message and Undo at the top.
  if (javaScript) assert.match(await focusedText(page), /^Undo/, 'focus is on Undo')
  if (javaScript) await assertAccessible(page, `undo-take-off-${width}`)
  await undo.click()
  await page.getByText(`“${session.title}” is back where it was.`).waitFor()
  assert.deepEqual(await cellOf(session.id), session.cell, 'Undo puts it back in the same room and slot')
  assert.equal(await cell.locator('.session__title').textContent(), session.title, 'its cell shows it again')
  assert.equal(await page.locator('.editor__tray').getByText(session.title, { exact: true }).count(), 0, 'and the tray no longer does')
  if (javaScript) assert.match(await focusedText(page), new RegExp(`Actions\\W+${session.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), 'focus is on the session’s menu, back in its cell')
  else await assertInView(page, cell, 'the cell it went back to')
}

async function cancelThenUndo(page: Page, javaScript: boolean, width: number, suffix: string): Promise<void> {
  const meetup = `${server.base}/meetups/${MEETUP}`
  const before = await replies()
  assert.equal((await meetupState()).state, 'scheduled')
  await page.goto(meetup)
  await page.getByRole('link', { name: 'Cancel the meetup' }).click()
  await page.getByRole('heading', { level: 1, name: `Cancel ${MEETUP_TITLE}?` }).waitFor()
  await page.getByText('You can undo this for 24 hours, as long as it has not started.').waitFor()
  if (javaScript) await assertAccessible(page, `confirm-cancel-meetup-${width}`)

  // "No, keep it on" first: nothing changes.
  await page.getByRole('link', { name: 'No, keep it on' }).click()
  await page.waitForURL(meetup)
  assert.equal(await page.getByText('This meetup has been cancelled').count(), 0)
  assert.equal((await meetupState()).state, 'scheduled', '“No, keep it on” keeps it on')

  await page.getByRole('link', { name: 'Cancel the meetup' }).click()
  await page.getByLabel('Why is it cancelled? (optional)').fill(`The café flooded (${suffix}).`)
  await page.getByRole('button', { name: 'Yes, cancel the meetup' }).click()
  await page.waitForURL(meetup)
  await assertInView(page, page.getByText('The meetup has been cancelled. Everyone’s reply is kept.'), 'the message saying it is cancelled')
  await page.getByText('This meetup has been cancelled. It is not happening.').waitFor()
  assert.deepEqual(await meetupState(), { state: 'cancelled', seatsTaken: 12, cancelReason: `The café flooded (${suffix}).` })
  await page.getByText(/^You can put it back on until /).waitFor()
  await assertInView(page, page.getByRole('button', { name: 'Undo the cancellation' }), 'Undo, where the page lands')

  await page.getByRole('button', { name: 'Undo the cancellation' }).click()
  await page.waitForURL(meetup)
  await assertInView(page, page.getByText('The meetup is back on. Everyone going or waiting has been told.'), 'the message saying it is back on')
  assert.equal(await page.getByText('This meetup has been cancelled').count(), 0, 'the page no longer says it is cancelled')
  await page.getByRole('link', { name: 'Cancel the meetup' }).waitFor()
  assert.match(await page.locator('#seats').textContent() ?? '', /No seats left/, 'the seats are as they were: all taken')
  assert.deepEqual(await meetupState(), { state: 'scheduled', seatsTaken: 12, cancelReason: null })
  assert.equal(await replies(), before, 'every reply stands as it was')
}

async function leavingAsksFirst(page: Page, javaScript: boolean, width: number): Promise<void> {
  const meetup = `${server.base}/meetups/${MEETUP}`
  const before = await replies()
  await page.goto(meetup)
  const panel = page.locator('#rsvp')
  await panel.getByText('You are going.', { exact: true }).waitFor()
  await panel.getByRole('link', { name: 'I can’t come any more' }).click()
  await page.getByRole('heading', { level: 1, name: `Give up your place at ${MEETUP_TITLE}?` }).waitFor()
  await page.getByText('Your seat goes to the next person on the waiting list straight away, so you may not get it back.').waitFor()
  await assertInView(page, page.getByRole('button', { name: 'Yes, I can’t come' }), '“Yes, I can’t come”')
  await assertInView(page, page.getByRole('link', { name: 'No, keep my place' }), '“No, keep my place”')
  if (javaScript) await assertAccessible(page, `confirm-leave-${width}`)
  await page.getByRole('link', { name: 'No, keep my place' }).click()
  await page.waitForURL(new RegExp(`/meetups/${MEETUP}(#rsvp)?$`))
  await assertInView(page, panel.getByText('You are going.', { exact: true }), 'their reply, back where they said it')
  await panel.getByRole('link', { name: 'I can’t come any more' }).waitFor()
  assert.equal(await replies(), before, 'declining leaves every reply as it was, the seat and its place in the order included')
}

let run = 0
for (const width of WIDTHS) {
  for (const javaScript of [true, false]) {
    const mode = javaScript ? 'JavaScript on' : 'JavaScript off'
    const nth = run++
    test(`${width} px, ${mode}: a phase change, taking a session off, cancelling a meetup and leaving one each ask first or can be undone`, async (t: TestContext) => {
      const context = await newContext(server.chromium, { javaScript, width })
      t.after(() => context.close())
      const page = await context.newPage()
      const organiser = server.logins.find((l) => l.role.includes('organiser'))!
      await signInInBrowser(page, server.base, organiser.email, organiser.password)

      // A step walked at this width and mode by another file is not walked twice; the log says where.
      const step = async (name: Step, title: string, walk: () => Promise<void>) => {
        const elsewhere = walkedElsewhere(name, width, javaScript)
        if (elsewhere) t.diagnostic(`${title}: walked in ${elsewhere}`)
        else await t.test(title, walk)
      }

      await t.test('the organiser moves the phase: asked first; “No, go back” changes nothing', () => phaseChangeAsksFirst(page, javaScript, width))
      await step('takeOff', 'the organiser takes a session off the published grid (Cancel session); Undo puts it back in its cell', () => takeOffThenUndo(page, javaScript, width, nth))
      await step('cancel', 'the organiser cancels the lunch with a reason; Undo the cancellation', () => cancelThenUndo(page, javaScript, width, `${width}-${javaScript ? 'js' : 'nojs'}`))

      const ann = server.logins.find((l) => l.email === ANN)!
      await context.clearCookies()
      await signInInBrowser(page, server.base, ann.email, ann.password)
      await step('leave', 'an attendee says they can’t come: asked first; “No, keep my place” keeps it', () => leavingAsksFirst(page, javaScript, width))
    })
  }
}
