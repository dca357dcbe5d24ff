// Undo after taking a session off the grid: the editor's message carries an Undo button that
// posts to /schedule/restore, which puts the session back in the same room and slot, before
// and after publishing; refused, changing nothing, if the place has been filled or the
// session placed again meanwhile; organisers only, with a CSRF token.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { buildTestApp } from '../helpers/build-test-app.js'
import { text, type Browser } from '../helpers/browser.js'
import { person } from '../helpers/communities.js'
import { propose, setPhase } from '../helpers/events.js'
import { campWithRooms, gridIds, liveEntries, place } from '../helpers/schedule.js'

async function camp(t: Parameters<typeof buildTestApp>[0]) {
  const app = await buildTestApp(t)
  const { org, slug } = await campWithRooms(app, [{ name: 'Hall' }, { name: 'Snug' }])
  const member = await person(app, 'Mo Member')
  const alt = await propose(member, slug, 'Alt text that helps')
  const plain = await propose(org, slug, 'Plain English')
  await org.get(`/events/${slug}/manage`)
  assert.equal((await org.post(`/events/${slug}/proposals/decide`, { action: 'accepted', ids: [String(alt), String(plain)] })).status, 303)
  const { rooms, sessionSlots } = await gridIds(app, slug)
  return { app, org, member, slug, alt, plain, hall: rooms.Hall!, snug: rooms.Snug!, slots: sessionSlots }
}

/** Takes a session off with the editor's form; returns the editor page it lands on. */
async function takeOff(org: Browser, slug: string, proposal: number) {
  const posted = await org.submit(`/events/${slug}/schedule/edit`, `/events/${slug}/schedule/unassign`, { proposal: String(proposal) })
  assert.equal(posted.status, 303)
  assert.equal(posted.location, `/events/${slug}/schedule/edit#editor`, 'back to the editor, where the message and Undo are')
  return org.get(`/events/${slug}/schedule/edit`)
}

/** The words on the page, tags dropped and spaces collapsed, as a person reads them. */
function words(html: string): string {
  return text(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ')
}

function undoFields(html: string): Record<string, string> {
  const form = /<form method="post" action="[^"]*\/schedule\/restore"[\s\S]*?<\/form>/.exec(html)
  assert.ok(form, 'the page offers Undo')
  const value = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(form[0])![1]!
  return { proposal: value('proposal'), slot: value('slot'), room: value('room') }
}

describe('undo after taking a session off the grid', () => {
  test('before publishing: Undo puts it back in the same room and slot, once', async (t) => {
    const { app, org, slug, alt, hall, slots } = await camp(t)
    assert.equal((await place(org, slug, alt, slots[2]!, hall)).status, 303)

    const editor = await takeOff(org, slug, alt)
    assert.match(words(editor.html), /“Alt text that helps” is off the grid\. Undo : put “Alt text that helps” back where it was/)
    assert.deepEqual(undoFields(editor.html), { proposal: String(alt), slot: String(slots[2]), room: String(hall) })
    assert.deepEqual(await liveEntries(app), [])

    const undone = await org.post(`/events/${slug}/schedule/restore`, undoFields(editor.html))
    assert.equal(undone.status, 303)
    assert.equal(undone.location, `/events/${slug}/schedule/edit#cell-${slots[2]}-${hall}`)
    assert.deepEqual(await liveEntries(app), [{ proposal_id: alt, slot_id: slots[2]!, room_id: hall }])
    assert.equal((await app.db.selectFrom('proposals').select('state').where('id', '=', alt).executeTakeFirstOrThrow()).state, 'scheduled')
    const after = await org.get(`/events/${slug}/schedule/edit`)
    assert.match(text(after.html), /“Alt text that helps” is back where it was\./)
    assert.doesNotMatch(after.html, /\/schedule\/restore/, 'the message, and its Undo, show once')

    // Undo again (a second tab, a double tap): it is on the grid already; nothing changes.
    const again = await org.post(`/events/${slug}/schedule/restore`, { proposal: String(alt), slot: String(slots[2]), room: String(hall) })
    assert.equal(again.status, 409)
    assert.match(text(again.html), /“Alt text that helps” is on the grid again already, so Undo changed nothing/)
    assert.deepEqual(await liveEntries(app), [{ proposal_id: alt, slot_id: slots[2]!, room_id: hall }])
  })

  test('Undo is refused, changing nothing, when another session has taken the place', async (t) => {
    const { app, org, slug, alt, plain, hall, slots } = await camp(t)
    await place(org, slug, alt, slots[0]!, hall)
    const editor = await takeOff(org, slug, alt)
    const fields = undoFields(editor.html)
    await place(org, slug, plain, slots[0]!, hall)

    const refused = await org.post(`/events/${slug}/schedule/restore`, fields)
    assert.equal(refused.status, 409)
    assert.match(text(refused.html), /Another session is in that place now, so “Alt text that helps” cannot go back there/)
    assert.deepEqual(await liveEntries(app), [{ proposal_id: plain, slot_id: slots[0]!, room_id: hall }])
    assert.equal((await app.db.selectFrom('proposals').select('state').where('id', '=', alt).executeTakeFirstOrThrow()).state, 'accepted')
  })

  test('after publishing: a cancelled session comes back live, and the changelog says so', async (t) => {
    const { app, org, member, slug, alt, plain, hall, snug, slots } = await camp(t)
    await place(org, slug, alt, slots[1]!, hall)
    await place(org, slug, plain, slots[1]!, snug)
    await setPhase(org, slug, 'pitching', 'published')

    const editor = await takeOff(org, slug, alt)
    assert.match(words(editor.html), /“Alt text that helps” is cancelled; the public schedule shows it as cancelled\. Undo/)
    assert.match(text((await member.get(`/events/${slug}/schedule`)).html), /Alt text that helps[\s\S]*Cancelled/)

    assert.equal((await org.post(`/events/${slug}/schedule/restore`, undoFields(editor.html))).status, 303)
    const entry = await app.db.selectFrom('schedule_entries').select(['slot_id', 'room_id', 'cancelled_at']).where('proposal_id', '=', alt).executeTakeFirstOrThrow()
    assert.deepEqual(entry, { slot_id: slots[1]!, room_id: hall, cancelled_at: null })
    const kinds = await app.db.selectFrom('schedule_changes').select('kind').where('proposal_id', '=', alt).orderBy('id').execute()
    assert.deepEqual(kinds.map((k) => k.kind), ['cancelled', 'added'], 'the changelog tells followers it is back')
    const publicGrid = text((await member.get(`/events/${slug}/schedule`)).html)
    assert.match(publicGrid, /Alt text that helps/)
    assert.doesNotMatch(publicGrid, /Cancelled/)
  })

  test('only organisers may undo, and only with the form’s CSRF token', async (t) => {
    const { app, org, member, slug, alt, hall, slots } = await camp(t)
    await place(org, slug, alt, slots[0]!, hall)
    const fields = undoFields((await takeOff(org, slug, alt)).html)

    await member.get(`/events/${slug}`)
    assert.equal((await member.post(`/events/${slug}/schedule/restore`, fields)).status, 403)
    assert.equal((await org.post(`/events/${slug}/schedule/restore`, fields, { csrf: null })).status, 403)
    assert.equal((await org.post(`/events/${slug}/schedule/restore`, { ...fields, slot: '9999999999' })).status, 409)
    assert.deepEqual(await liveEntries(app), [], 'none of that put it back')
  })
})
