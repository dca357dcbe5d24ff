// The schedule: rooms and slots (with their bad input), the grid editor's assign / move /
// swap / unassign / pin, conflicts, publishing with its changelog and Atom feed, cancelled
// sessions, stars, the personal agenda with clashes, the projector view.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../helpers/build-test-app.js'
import { text, type Browser } from '../helpers/browser.js'
import { person } from '../helpers/communities.js'
import { createEvent, organiser, propose, setPhase } from '../helpers/events.js'
import { addRoom, gridIds, layOutDay, liveEntries, place } from '../helpers/schedule.js'

const SLUG = 'ukgc27'

interface Camp {
  app: FastifyInstance
  org: Browser
  member: Browser
  rooms: Record<string, number>
  slots: number[]
  allSlots: { id: number; kind: string }[]
  proposals: number[]
}

/** An event with two rooms, a laid-out day and four accepted proposals (the member proposed the first). */
async function camp(t: Parameters<typeof buildTestApp>[0]): Promise<Camp> {
  const app = await buildTestApp(t)
  const admin = await person(app, 'Site Admin')
  const org = await organiser(app, admin, 'Olu Organiser')
  const member = await person(app, 'Mo Member')
  assert.equal((await createEvent(org)).status, 303)
  await setPhase(org, SLUG, 'proposals')
  assert.equal((await addRoom(org, SLUG, { name: 'Hall', capacity: '2', features: ['projector', 'step-free'] })).status, 303)
  assert.equal((await addRoom(org, SLUG, { name: 'Snug', capacity: '8' })).status, 303)
  assert.equal((await layOutDay(org, SLUG)).status, 303)
  const proposals = [
    await propose(member, SLUG, 'Alt text that helps'),
    await propose(org, SLUG, 'Plain English', { needs: 'projector' }),
    await propose(org, SLUG, 'Crisis comms'),
    await propose(member, SLUG, 'Open data'),
  ]
  await org.get(`/events/${SLUG}/manage`)
  assert.equal((await org.post(`/events/${SLUG}/proposals/decide`, { action: 'accepted', ids: proposals.map(String) })).status, 303)
  const ids = await gridIds(app, SLUG)
  return { app, org, member, rooms: ids.rooms, slots: ids.sessionSlots, allSlots: ids.allSlots, proposals }
}

describe('schedule', () => {
  test('rooms: organisers add, change, reorder and remove them; bad input is explained and changes nothing', async (t) => {
    const app = await buildTestApp(t)
    const admin = await person(app, 'Site Admin')
    const org = await organiser(app, admin, 'Olu Organiser')
    await createEvent(org)

    const bad = await addRoom(org, SLUG, { name: 'Attic', capacity: '-5', location: 'Top floor' })
    assert.equal(bad.status, 400)
    assert.match(bad.html, /There is a problem/)
    assert.match(bad.html, /href="#capacity">Enter the number of seats as a whole number, 0 or more/)
    assert.match(bad.html, /aria-invalid="true"/)
    assert.match(bad.html, /value="Attic"/, 'what was typed is kept')
    assert.match(bad.html, /value="Top floor"/)
    assert.equal((await app.db.selectFrom('rooms').select('id').execute()).length, 0)

    assert.equal((await addRoom(org, SLUG, { name: 'Hall', capacity: '120', features: ['projector', 'hearing-loop'], accessibilityNotes: 'Step-free by the lift' })).status, 303)
    assert.equal((await addRoom(org, SLUG, { name: 'Snug', capacity: '10' })).status, 303)
    const taken = await addRoom(org, SLUG, { name: 'Hall', capacity: '5' })
    assert.equal(taken.status, 400)
    assert.match(taken.html, /already has a room with that name/)

    const page = await org.get(`/events/${SLUG}/rooms`)
    assert.match(text(page.html), /Hall[\s\S]*120[\s\S]*A projector or screen, A hearing loop[\s\S]*Step-free by the lift[\s\S]*Snug/)

    const { rooms } = await gridIds(app, SLUG)
    await org.post(`/events/${SLUG}/rooms/${rooms.Snug}/move`, { direction: 'left' })
    assert.match((await org.get(`/events/${SLUG}/rooms`)).html, /Snug[\s\S]*Hall/, 'Snug is now first')

    const renamed = await org.submit(`/events/${SLUG}/rooms/${rooms.Hall}/edit`, `/events/${SLUG}/rooms/${rooms.Hall}`, { name: 'Great Hall', capacity: '100', location: '', accessibilityNotes: '' })
    assert.equal(renamed.status, 303)

    const member = await person(app, 'Mo Member')
    await setPhase(org, SLUG, 'proposals')
    assert.equal((await member.get(`/events/${SLUG}/rooms`)).status, 403)
    assert.equal((await member.post(`/events/${SLUG}/rooms`, { name: 'Mine', capacity: '3', location: '', accessibilityNotes: '' })).status, 403)
    assert.equal((await member.post(`/events/${SLUG}/rooms/${rooms.Snug}/delete`, {})).status, 403)
    assert.deepEqual((await app.db.selectFrom('rooms').select('name').orderBy('position').execute()).map((r) => r.name), ['Snug', 'Great Hall'])

    await org.get(`/events/${SLUG}/rooms`)
    assert.equal((await org.post(`/events/${SLUG}/rooms/${rooms.Snug}/delete`, {})).status, 303)
    assert.deepEqual((await app.db.selectFrom('rooms').select('name').execute()).map((r) => r.name), ['Great Hall'])
  })

  test('slots: a day laid out in one go, in the event zone; overlaps, other days and backwards times are refused', async (t) => {
    const app = await buildTestApp(t)
    const admin = await person(app, 'Site Admin')
    const org = await organiser(app, admin, 'Olu Organiser')
    await createEvent(org, { firstDay: '2027-03-27', lastDay: '2027-03-28' }) // the night the clocks go forward in London
    assert.equal((await layOutDay(org, SLUG, { planDay: '2027-03-28' })).status, 303)
    const slots = await app.db.selectFrom('slots').select(['kind', 'start_time', 'end_time', 'starts_at', 'label']).orderBy('starts_at').execute()
    assert.deepEqual(
      slots.map((s) => `${s.kind} ${s.start_time}-${s.end_time}`),
      ['plenary 09:30-10:00', 'session 10:00-10:45', 'break 10:45-11:00', 'session 11:00-11:45', 'break 11:45-12:00', 'session 12:00-12:45', 'lunch 12:45-13:45', 'session 13:45-14:30', 'break 14:30-14:45', 'session 14:45-15:30'],
    )
    assert.equal(slots[0]!.label, 'Welcome and pitches')
    assert.equal(slots[1]!.starts_at, '2027-03-28T09:00:00.000Z', 'British Summer Time: 10:00 local is 09:00 UTC')

    const before = slots.length
    const overlap = await org.submit(`/events/${SLUG}/slots`, `/events/${SLUG}/slots`, { day: '2027-03-28', startTime: '10:30', endTime: '11:30', kind: 'session', label: '' })
    assert.equal(overlap.status, 400)
    assert.match(text(overlap.html), /overlaps the one from 10:00 to 10:45/)
    assert.match(overlap.html, /value="10:30"/)
    const outside = await org.post(`/events/${SLUG}/slots`, { day: '2027-04-01', startTime: '10:00', endTime: '11:00', kind: 'session', label: '' })
    assert.equal(outside.status, 400)
    assert.match(text(outside.html), /must be on one of the event’s days/)
    const backwards = await org.post(`/events/${SLUG}/slots`, { day: '2027-03-27', startTime: '11:00', endTime: '10:00', kind: 'session', label: '' })
    assert.equal(backwards.status, 400)
    assert.match(text(backwards.html), /must end after it starts/)
    const again = await layOutDay(org, SLUG, { planDay: '2027-03-28', start: '15:00' })
    assert.equal(again.status, 400, 'a second layout over the first overlaps it')
    const midnight = await layOutDay(org, SLUG, { planDay: '2027-03-27', start: '20:00' })
    assert.equal(midnight.status, 400)
    assert.match(text(midnight.html), /past midnight/)
    assert.equal((await app.db.selectFrom('slots').select('id').execute()).length, before, 'nothing was added')

    const saturday = await org.post(`/events/${SLUG}/slots`, { day: '2027-03-27', startTime: '10:00', endTime: '11:00', kind: 'session', label: '' })
    assert.equal(saturday.status, 303, 'the same time on the other day is fine')
    const saturdaySlot = await app.db.selectFrom('slots').select('starts_at').where('day', '=', '2027-03-27').executeTakeFirstOrThrow()
    assert.equal(saturdaySlot.starts_at, '2027-03-27T10:00:00.000Z', 'still Greenwich Mean Time on the Saturday')

    // Moving the event to another zone moves its slots' instants with it.
    await org.submit(`/events/${SLUG}/edit`, `/events/${SLUG}/edit`, {
      name: 'UKGovCamp 2027', slug: SLUG, hashtag: '#ukgc27', communitySlug: '', venueName: '', venueAddress: '', mapUrl: '', timeZone: 'Europe/Dublin',
      firstDay: '2027-03-27', lastDay: '2027-03-28', dayStarts: '09:00', dayEnds: '17:30', description: '',
    })
    const moved = await app.db.selectFrom('slots').select('starts_at').where('day', '=', '2027-03-27').executeTakeFirstOrThrow()
    assert.equal(moved.starts_at, '2027-03-27T10:00:00.000Z', 'Dublin is on the same clock as London')
    const edited = await org.submit(`/events/${SLUG}/edit`, `/events/${SLUG}/edit`, {
      name: 'UKGovCamp 2027', slug: SLUG, hashtag: '#ukgc27', communitySlug: '', venueName: '', venueAddress: '', mapUrl: '', timeZone: 'Europe/Berlin',
      firstDay: '2027-03-27', lastDay: '2027-03-28', dayStarts: '09:00', dayEnds: '17:30', description: '',
    })
    assert.equal(edited.status, 303)
    const berlin = await app.db.selectFrom('slots').select('starts_at').where('day', '=', '2027-03-27').executeTakeFirstOrThrow()
    assert.equal(berlin.starts_at, '2027-03-27T09:00:00.000Z', '10:00 in Berlin is 09:00 UTC')
  })

  test('the grid editor: assign, move, swap, unassign and pin with plain forms; refusals change nothing', async (t) => {
    const { app, org, member, rooms, slots, allSlots, proposals } = await camp(t)
    const [alt, plain, crisis, open] = proposals as [number, number, number, number]

    assert.equal((await place(org, SLUG, alt, slots[0]!, rooms.Hall!)).status, 303)
    assert.equal((await place(org, SLUG, plain, slots[0]!, rooms.Snug!)).status, 303)
    assert.deepEqual(await liveEntries(app), [
      { proposal_id: alt, slot_id: slots[0]!, room_id: rooms.Hall! },
      { proposal_id: plain, slot_id: slots[0]!, room_id: rooms.Snug! },
    ])
    assert.equal((await app.db.selectFrom('proposals').select('state').where('id', '=', alt).executeTakeFirstOrThrow()).state, 'scheduled')

    // Move: to an empty cell.
    assert.equal((await place(org, SLUG, alt, slots[1]!, rooms.Hall!)).status, 303)
    // Swap: onto an occupied cell, naming what the organiser saw there.
    assert.equal((await place(org, SLUG, plain, slots[1]!, rooms.Hall!, alt)).status, 303)
    assert.deepEqual(await liveEntries(app), [
      { proposal_id: alt, slot_id: slots[0]!, room_id: rooms.Snug! },
      { proposal_id: plain, slot_id: slots[1]!, room_id: rooms.Hall! },
    ])

    // The no-JavaScript move: ?move= shows a button in every cell.
    const placing = await org.get(`/events/${SLUG}/schedule/edit?move=${crisis}`)
    assert.match(text(placing.html), /Placing “Crisis comms”: choose “Put here” in an empty cell/)
    assert.match(placing.html, /Put here<span class="visually-hidden">: Hall, 10:00–10:45/)
    assert.doesNotMatch(placing.html, /Put here<span class="visually-hidden">: [^<]*, 09:30–10:00/, 'none in the opening plenary')
    const moving = await org.get(`/events/${SLUG}/schedule/edit?move=${alt}`)
    assert.match(text(moving.html), /Moving “Alt text that helps”/)
    assert.match(moving.html, /Swap<span class="visually-hidden">: Plain English/)

    // Stale: the organiser thought the cell was empty, but someone put a session there.
    const stale = await place(org, SLUG, crisis, slots[1]!, rooms.Hall!, '')
    assert.equal(stale.status, 409)
    assert.match(text(stale.html), /Someone else changed that cell a moment ago/)
    // A break is no place for a session.
    const breakSlot = allSlots.find((s) => s.kind === 'break')!.id
    const inBreak = await place(org, SLUG, crisis, breakSlot, rooms.Hall!)
    assert.equal(inBreak.status, 409)
    assert.match(text(inBreak.html), /cannot go in a “Break” slot/)
    // A declined proposal cannot go on the grid.
    await org.get(`/events/${SLUG}/proposals/${open}`)
    await org.post(`/events/${SLUG}/proposals/${open}/state`, { state: 'declined' })
    const declined = await place(org, SLUG, open, slots[2]!, rooms.Hall!)
    assert.equal(declined.status, 409)
    assert.match(text(declined.html), /this one is “Declined”/)
    // Members cannot touch the grid.
    assert.equal((await member.get(`/events/${SLUG}/schedule/edit`)).status, 403)
    await member.get(`/events/${SLUG}`)
    assert.equal((await member.post(`/events/${SLUG}/schedule/place`, { proposal: String(crisis), slot: String(slots[3]), room: String(rooms.Hall), expected: '' })).status, 403)
    assert.equal((await member.post(`/events/${SLUG}/schedule/unassign`, { proposal: String(alt) })).status, 403)
    assert.equal((await liveEntries(app)).length, 2, 'none of that changed anything')

    // Pin and unassign.
    await org.get(`/events/${SLUG}/schedule/edit`)
    assert.equal((await org.post(`/events/${SLUG}/schedule/pin`, { proposal: String(alt), pinned: '1' })).status, 303)
    assert.equal((await app.db.selectFrom('schedule_entries').select('pinned').where('proposal_id', '=', alt).executeTakeFirstOrThrow()).pinned, 1)
    assert.match((await org.get(`/events/${SLUG}/schedule/edit`)).html, /Pinned/)
    assert.equal((await org.post(`/events/${SLUG}/schedule/unassign`, { proposal: String(alt) })).status, 303)
    assert.deepEqual((await liveEntries(app)).map((e) => e.proposal_id), [plain])
    assert.equal((await app.db.selectFrom('schedule_entries').select('id').where('proposal_id', '=', alt).executeTakeFirst()), undefined, 'before publishing, taking it off leaves no trace')
    assert.equal((await app.db.selectFrom('proposals').select('state').where('id', '=', alt).executeTakeFirstOrThrow()).state, 'accepted')
    assert.match(text((await org.get(`/events/${SLUG}/schedule/edit`)).html), /Not on the grid yet: 2 sessions[\s\S]*Alt text that helps/)
  })

  test('conflicts are shown, not blocked: a host in two places, interest over capacity, needs the room lacks', async (t) => {
    const { app, org, member, rooms, slots, proposals } = await camp(t)
    const [alt, plain, , open] = proposals as [number, number, number, number]
    // The member proposed both "Alt text" and "Open data": same slot, two rooms.
    assert.equal((await place(org, SLUG, alt, slots[0]!, rooms.Hall!)).status, 303)
    assert.equal((await place(org, SLUG, open, slots[0]!, rooms.Snug!)).status, 303)
    // Three people want "Alt text"; the Hall seats two.
    for (const name of ['Voter A', 'Voter B']) {
      const voter = await person(app, name)
      await voter.get(`/events/${SLUG}/proposals/${alt}`)
      await voter.post(`/events/${SLUG}/proposals/${alt}/vote`, { want: '1' })
    }
    await member.get(`/events/${SLUG}/proposals/${alt}`)
    assert.equal((await member.post(`/events/${SLUG}/proposals/${alt}/star`, { starred: '1' })).status, 303, 'a star counts as interest too')
    // "Plain English" needs a projector; the Snug has none.
    assert.equal((await place(org, SLUG, plain, slots[1]!, rooms.Snug!)).status, 303)

    const page = text((await org.get(`/events/${SLUG}/schedule/edit`)).html)
    assert.match(page, /Mo Member also runs “Open data” at this time/)
    assert.match(page, /Mo Member also runs “Alt text that helps” at this time/)
    assert.match(page, /More interest than seats: 3 \/ 2/)
    assert.match(page, /3 interested \/ 2 seats/)
    assert.match(page, /The room lacks: A projector or screen/)
    assert.match(page, /sessions with conflicts: 3/)
  })

  test('publishing: the public grid appears, later edits go in the changelog and its Atom feed, a removed session shows as cancelled', async (t) => {
    const { app, org, member, rooms, slots, proposals } = await camp(t)
    const [alt, plain, crisis] = proposals as [number, number, number, number]
    await place(org, SLUG, alt, slots[0]!, rooms.Hall!)
    await place(org, SLUG, plain, slots[0]!, rooms.Snug!)

    const before = await member.get(`/events/${SLUG}/schedule`)
    assert.equal(before.status, 200)
    assert.match(text(before.html), /have not published the schedule yet/)
    assert.doesNotMatch(before.html, /Alt text that helps/)

    await setPhase(org, SLUG, 'pitching', 'published')
    const published = text((await member.get(`/events/${SLUG}/schedule`)).html)
    assert.match(published, /Alt text that helps/)
    assert.match(published, /Plain English/)
    assert.equal((await app.db.selectFrom('schedule_changes').select('id').execute()).length, 0, 'what was there before publishing is not a change')

    await place(org, SLUG, alt, slots[2]!, rooms.Hall!)
    await place(org, SLUG, crisis, slots[3]!, rooms.Snug!)
    await org.get(`/events/${SLUG}/schedule/edit`)
    await org.post(`/events/${SLUG}/schedule/unassign`, { proposal: String(plain) })
    await org.submit(`/events/${SLUG}/slots/${slots[3]}/edit`, `/events/${SLUG}/slots/${slots[3]}`, { day: '2027-01-16', startTime: '13:50', endTime: '14:30', kind: 'session', label: '' })

    const changes = text((await member.get(`/events/${SLUG}/schedule/changes`)).html)
    assert.match(changes, /“Alt text that helps” moved from Hall, 10:00 to Hall, 12:00/)
    assert.match(changes, /“Crisis comms” added: Snug, 13:45/)
    assert.match(changes, /“Plain English” cancelled \(was Snug, 10:00\)/)
    assert.match(changes, /“Crisis comms” in Snug now starts at 13:50 \(was 13:45\)/)

    assert.match(text((await member.get(`/events/${SLUG}/proposals/${alt}`)).html), /On the schedule: Hall, 12:00–12:45/)
    assert.match(text((await member.get(`/events/${SLUG}/proposals/${plain}`)).html), /Cancelled<\/span> <del>On the schedule: Snug, 10:00–10:45<\/del>/)
    const grid = text((await member.get(`/events/${SLUG}/schedule`)).html)
    assert.match(grid, /Cancelled<\/span> <del><a href="\/events\/ukgc27\/proposals\/\d+">Plain English/, 'still on the grid, marked cancelled')

    const feed = await member.get(`/events/${SLUG}/schedule/changes.atom`)
    assert.equal(feed.status, 200)
    assert.match(String(feed.response.headers['content-type']), /^application\/atom\+xml/)
    assert.match(feed.html, /^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/)
    assert.equal((feed.html.match(/<entry>/g) ?? []).length, 4)
    assert.match(feed.html, /<title>“Plain English” cancelled \(was Snug, 10:00\)<\/title>/)
    assert.match(feed.html, /<id>tag:localhost,2026:schedule-change-\d+<\/id>/)
  })

  test('Atom escapes what people type', async (t) => {
    const { org, rooms, slots } = await camp(t)
    const nasty = await propose(org, SLUG, 'Tags <script>alert(1)</script> & "quotes"')
    await setPhase(org, SLUG, 'pitching', 'published')
    await place(org, SLUG, nasty, slots[0]!, rooms.Hall!)
    const feed = (await org.get(`/events/${SLUG}/schedule/changes.atom`)).html
    assert.match(feed, /Tags &lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &quot;quotes&quot;/)
    assert.doesNotMatch(feed, /<script>/)
  })

  test('stars: "my sessions" on the grid, and /me/agenda in time order with clash warnings', async (t) => {
    const { app, org, member, rooms, slots, proposals } = await camp(t)
    const [alt, plain, crisis, open] = proposals as [number, number, number, number]
    await place(org, SLUG, alt, slots[0]!, rooms.Hall!)
    await place(org, SLUG, plain, slots[0]!, rooms.Snug!)
    await place(org, SLUG, crisis, slots[1]!, rooms.Hall!)
    await setPhase(org, SLUG, 'pitching', 'published')

    const fan = await person(app, 'Fay Fan')
    await fan.get(`/events/${SLUG}/schedule`)
    assert.equal((await fan.post(`/events/${SLUG}/proposals/${plain}/star`, { starred: '1', next: `/events/${SLUG}/schedule` })).status, 303)
    await fan.post(`/events/${SLUG}/proposals/${crisis}/star`, { starred: '1' })
    await fan.post(`/events/${SLUG}/proposals/${alt}/star`, { starred: '1' })
    await fan.post(`/events/${SLUG}/proposals/${open}/star`, { starred: '1' })

    const agenda = text((await fan.get('/me/agenda')).html)
    assert.match(agenda, /10:00–10:45<\/strong> · Hall ·\s*<a[^>]*>Alt text that helps[\s\S]*10:00–10:45<\/strong> · Snug ·\s*<a[^>]*>Plain English[\s\S]*11:00–11:45<\/strong> · Hall ·\s*<a[^>]*>Crisis comms/)
    assert.match(agenda, /2 of your sessions clash with others/)
    assert.match(agenda, /Clash:<\/strong> at the same time as Plain English/)
    assert.match(agenda, /Clash:<\/strong> at the same time as Alt text that helps/)
    assert.match(agenda, /Not on a schedule yet[\s\S]*Open data/)

    // Unstar one of the two: the clash goes.
    await fan.get(`/events/${SLUG}/schedule`)
    await fan.post(`/events/${SLUG}/proposals/${alt}/star`, { starred: '0' })
    assert.doesNotMatch(text((await fan.get('/me/agenda')).html), /Clash:/)

    const mine = text((await fan.get(`/events/${SLUG}/schedule?mine=1`)).html)
    assert.match(mine, /Plain English/)
    assert.match(mine, /Crisis comms/)
    assert.doesNotMatch(mine, /Alt text that helps/, 'not starred, not hers')
    // The member proposed "Alt text": it is on her agenda as one she runs, without a star.
    assert.match(text((await member.get('/me/agenda')).html), /Alt text that helps[\s\S]*You run this/)

    // A withdrawn-from-the-running proposal cannot be starred.
    await org.get(`/events/${SLUG}/proposals/${open}`)
    await org.post(`/events/${SLUG}/proposals/${open}/state`, { state: 'declined' })
    await fan.get(`/events/${SLUG}/schedule`)
    const refused = await fan.post(`/events/${SLUG}/proposals/${open}/star`, { starred: '1' })
    assert.equal(refused.status, 409)
  })

  test('the projector view: now and next per room, in large type, with a QR code to the schedule', async (t) => {
    const { org, member, rooms, slots, proposals } = await camp(t)
    const [alt, plain, crisis] = proposals as [number, number, number, number]
    await place(org, SLUG, alt, slots[0]!, rooms.Hall!)
    await place(org, SLUG, plain, slots[0]!, rooms.Snug!)
    await place(org, SLUG, crisis, slots[1]!, rooms.Hall!)
    assert.match(text((await member.get(`/events/${SLUG}/now`)).html), /have not published the schedule yet/)
    await setPhase(org, SLUG, 'pitching', 'published')

    const during = text((await member.get(`/events/${SLUG}/now?at=2027-01-16T10:20`)).html)
    assert.match(during, /class="projector"/)
    assert.match(during, /projector__clock">10:20/)
    assert.match(during, /Now <span class="projector__time">10:00–10:45[\s\S]*Next <span class="projector__time">11:00–11:45/, 'next is the sessions after the break')
    assert.match(during, /<th scope="row">Hall<\/th>\s*<td>Alt text that helps<\/td>\s*<td>Crisis comms<\/td>/)
    assert.match(during, /<th scope="row">Snug<\/th>\s*<td>Plain English<\/td>\s*<td>–<\/td>/)
    const inBreak = text((await member.get(`/events/${SLUG}/now?at=2027-01-16T10:50`)).html)
    assert.match(inBreak, /<th scope="row">Hall<\/th>\s*<td>Break<\/td>\s*<td>Crisis comms<\/td>/)
    assert.match(during, /<svg aria-hidden="true"/)
    assert.match(during, /http:\/\/localhost:3000\/events\/ukgc27\/schedule/)
    assert.match(during, /<noscript><meta http-equiv="refresh" content="30"><\/noscript>/, 'without JavaScript it refreshes itself')

    const grid = text((await member.get(`/events/${SLUG}/schedule`)).html)
    assert.match(grid, /<noscript><meta http-equiv="refresh" content="60"><\/noscript>/)
    const after = text((await member.get(`/events/${SLUG}/now?at=2027-01-16T18:00`)).html)
    assert.match(after, /Nothing more on the schedule today/)
    // Before the day: when it starts, and what is on first in each room; a preview says it is one.
    const morning = text((await member.get(`/events/${SLUG}/now?at=2027-01-16T07:00`)).html)
    assert.match(morning, /Starts at 09:30/)
    assert.match(morning, /First <span class="projector__time">10:00–10:45[\s\S]*<th scope="row">Hall<\/th>\s*<td>Alt text that helps<\/td>/)
    assert.match(morning, /Preview: the projector as it will look on Saturday,? 16 January 2027 at 07:00/)
    assert.match(text((await member.get(`/events/${SLUG}/now?at=2027-01-15T18:00`)).html), /Starts on Saturday,? 16 January 2027 at 09:30/)
    assert.doesNotMatch((await member.get(`/events/${SLUG}/now`)).html, /Preview: /, 'the real thing is no preview')
  })

  test('odd input never breaks anything: ids out of range, another event’s rooms, garbage times', async (t) => {
    const { app, org, rooms, slots, proposals } = await camp(t)
    for (const fields of [
      { proposal: '9999999999', slot: String(slots[0]), room: String(rooms.Hall), expected: '' },
      { proposal: String(proposals[0]), slot: '2147483648', room: String(rooms.Hall), expected: '' },
      { proposal: String(proposals[0]), slot: String(slots[0]), room: String(rooms.Hall), expected: '9999999999' },
    ]) {
      await org.get(`/events/${SLUG}/schedule/edit`)
      const page = await org.post(`/events/${SLUG}/schedule/place`, fields)
      assert.equal(page.status, 409, JSON.stringify(fields))
    }
    assert.equal((await org.post(`/events/${SLUG}/schedule/unassign`, { proposal: '9999999999' })).status, 409)
    assert.equal((await org.post(`/events/${SLUG}/schedule/pin`, { proposal: '9999999999', pinned: '1' })).status, 409)
    assert.equal((await org.post(`/events/${SLUG}/schedule/place`, { proposal: 'x', slot: '1', room: '1', expected: '' })).status, 400)
    assert.equal((await org.get(`/events/${SLUG}/now?at=yesterday`)).status, 200)
    assert.equal((await org.get(`/events/${SLUG}/now?at=2027-13-45T99:99`)).status, 200)
    assert.equal((await org.get(`/events/${SLUG}/schedule/edit?move=banana`)).status, 200)
    assert.equal((await org.get(`/events/${SLUG}/rooms/9999999999/edit`)).status, 400)
    assert.equal((await org.get(`/events/${SLUG}/rooms/999999/edit`)).status, 404)
    assert.equal((await liveEntries(app)).length, 0)
  })

  test('swaps keep pins; a waiting session does not push out a placed one; breaks cannot hold sessions', async (t) => {
    const { app, org, rooms, slots, proposals } = await camp(t)
    const [alt, plain, crisis] = proposals as [number, number, number, number]
    await place(org, SLUG, alt, slots[0]!, rooms.Hall!)
    await place(org, SLUG, plain, slots[1]!, rooms.Hall!)
    await org.post(`/events/${SLUG}/schedule/pin`, { proposal: String(plain), pinned: '1' })
    const before = await app.db.selectFrom('schedule_entries').select(['proposal_id', 'sequence', 'pinned']).orderBy('proposal_id').execute()
    assert.equal((await place(org, SLUG, alt, slots[1]!, rooms.Hall!, plain)).status, 303)
    const after = await app.db.selectFrom('schedule_entries').select(['proposal_id', 'slot_id', 'sequence', 'pinned']).orderBy('proposal_id').execute()
    assert.deepEqual(after.map((e) => [e.proposal_id, e.slot_id, e.pinned]), [[alt, slots[1], 0], [plain, slots[0], 1]], 'swapped, the pin stays with its session')
    assert.deepEqual(after.map((e) => e.sequence), before.map((e) => e.sequence + 1), 'each swapped session’s SEQUENCE goes up by one')

    const occupied = await place(org, SLUG, crisis, slots[0]!, rooms.Hall!, plain)
    assert.equal(occupied.status, 409)
    assert.match(text(occupied.html), /That cell already has “Plain English”/)
    assert.doesNotMatch((await org.get(`/events/${SLUG}/schedule/edit?move=${crisis}`)).html, />Swap</, 'a waiting session is only offered empty cells')

    const toBreak = await org.submit(`/events/${SLUG}/slots/${slots[0]}/edit`, `/events/${SLUG}/slots/${slots[0]}`, { day: '2027-01-16', startTime: '10:00', endTime: '10:45', kind: 'break', label: '' })
    assert.equal(toBreak.status, 409)
    assert.match(text(toBreak.html), /cannot become a break, lunch or everyone-together slot/)
    assert.equal((await app.db.selectFrom('slots').select('kind').where('id', '=', slots[0]!).executeTakeFirstOrThrow()).kind, 'session')
  })

  test('a slot at a time the clocks skip is refused with the jump named, one by one or a day at a time', async (t) => {
    const app = await buildTestApp(t)
    const org = await organiser(app, await person(app, 'Site Admin'), 'Olu Organiser')
    await createEvent(org, { firstDay: '2027-03-27', lastDay: '2027-03-28' })
    await setPhase(org, SLUG, 'proposals')
    const one = await org.submit(`/events/${SLUG}/slots`, `/events/${SLUG}/slots`, { day: '2027-03-28', startTime: '00:30', endTime: '01:30', kind: 'session', label: '' })
    assert.equal(one.status, 400)
    assert.match(text(one.html), /the clocks in Europe\/London go forward from 01:00 to 02:00, so 01:30 does not happen that day/)
    const day = await layOutDay(org, SLUG, { planDay: '2027-03-28', start: '01:15' })
    assert.equal(day.status, 400)
    assert.match(text(day.html), /so 01:15 does not happen that day/)
    assert.equal((await app.db.selectFrom('slots').select('id').execute()).length, 0)
  })

  test('the opening plenary (welcome and pitches) never holds a session, by any way of placing', async (t) => {
    const { app, org, rooms, slots, allSlots, proposals } = await camp(t)
    const plenary = allSlots.find((s) => s.kind === 'plenary')!.id
    const [alt, plain] = proposals as [number, number]
    // The place form is what "Put here", drag and drop and the keyboard move all post.
    const put = await place(org, SLUG, alt, plenary, rooms.Hall!)
    assert.equal(put.status, 409)
    assert.match(text(put.html), /Sessions cannot go in a “Everyone together” slot/)
    // A swap into the plenary is the same form with the occupant named: refused too.
    await place(org, SLUG, plain, slots[0]!, rooms.Hall!)
    assert.equal((await place(org, SLUG, plain, plenary, rooms.Snug!)).status, 409)
    assert.deepEqual((await liveEntries(app)).map((e) => e.slot_id), [slots[0]])
    // The editor offers no drop target in it, and the public grid shows it as one row for everyone.
    const editor = await org.get(`/events/${SLUG}/schedule/edit?move=${alt}`)
    assert.doesNotMatch(editor.html, new RegExp(`name="slot" value="${plenary}"`))
    await setPhase(org, SLUG, 'pitching', 'published')
    const grid = await app.inject({ url: `/events/${SLUG}/schedule` })
    assert.match(grid.body, /grid__row--plenary">\s*<th scope="row">09:30–10:00<\/th>\s*<td colspan="2" class="grid__break">Welcome and pitches<\/td>/)
    // A session slot holding sessions cannot be turned into a plenary either.
    const toPlenary = await org.submit(`/events/${SLUG}/slots/${slots[0]}/edit`, `/events/${SLUG}/slots/${slots[0]}`, { day: '2027-01-16', startTime: '10:00', endTime: '10:45', kind: 'plenary', label: 'Keynote' })
    assert.equal(toPlenary.status, 409)
  })

  test('once published, always in the changelog: stepping back a phase, a new time zone, shorter days', async (t) => {
    const { app, org, member, rooms, slots, proposals } = await camp(t)
    const [alt, plain] = proposals as [number, number, number, number]
    await place(org, SLUG, alt, slots[0]!, rooms.Hall!)
    await place(org, SLUG, plain, slots[1]!, rooms.Hall!)
    // Before publishing, placements are the organisers' business, even on a starrer's agenda.
    await member.get(`/events/${SLUG}/proposals/${plain}`)
    await member.post(`/events/${SLUG}/proposals/${plain}/star`, { starred: '1' })
    assert.doesNotMatch(text((await member.get('/me/agenda')).html), /Hall/)
    assert.match(text((await member.get('/me/agenda')).html), /Not on a schedule yet[\s\S]*Plain English/)

    await setPhase(org, SLUG, 'pitching', 'published', 'pitching') // published, then back for more pitches
    assert.match(text((await member.get(`/events/${SLUG}/schedule`)).html), /Alt text that helps/, 'the grid stays public')
    assert.match(text((await member.get('/me/agenda')).html), /11:00–11:45<\/strong> · Hall/)
    await org.get(`/events/${SLUG}/schedule/edit`)
    await org.post(`/events/${SLUG}/schedule/unassign`, { proposal: String(alt) })
    assert.ok(await app.db.selectFrom('schedule_entries').select('cancelled_at').where('proposal_id', '=', alt).where('cancelled_at', 'is not', null).executeTakeFirst(), 'kept as cancelled')

    const form = { name: 'UKGovCamp 2027', slug: SLUG, hashtag: '#ukgc27', communitySlug: '', venueName: '', venueAddress: '', mapUrl: '', timeZone: 'Europe/Lisbon', firstDay: '2027-01-16', lastDay: '2027-01-16', dayStarts: '09:00', dayEnds: '17:30', description: '' }
    const shorter = await org.submit(`/events/${SLUG}/edit`, `/events/${SLUG}/edit`, { ...form, firstDay: '2027-01-17', lastDay: '2027-01-17' })
    assert.equal(shorter.status, 400)
    assert.match(text(shorter.html), /time slots on days outside these dates/)
    assert.match(shorter.html, /value="2027-01-17"/)
    // Lisbon keeps the same clock as London in January: nothing moves, nothing is logged.
    assert.equal((await org.submit(`/events/${SLUG}/edit`, `/events/${SLUG}/edit`, form)).status, 303)
    assert.equal((await app.db.selectFrom('schedule_changes').select('id').where('kind', '=', 'retimed').execute()).length, 0)
    assert.equal((await org.submit(`/events/${SLUG}/edit`, `/events/${SLUG}/edit`, { ...form, timeZone: 'Europe/Paris' })).status, 303)
    const changes = text((await member.get(`/events/${SLUG}/schedule/changes`)).html)
    assert.match(changes, /“Plain English” in Hall now starts at 11:00 \(was 12:00\)/, 'the same 11:00 in Paris is an hour earlier: shown in the new zone')
    assert.match(changes, /“Alt text that helps” cancelled/)
  })

  test('a live page’s background refetch does not use up the flash message meant for the next page', async (t) => {
    const { org, rooms, slots, proposals } = await camp(t)
    await place(org, SLUG, proposals[0]!, slots[0]!, rooms.Hall!)
    const background = await org.get(`/events/${SLUG}/schedule/edit`, { 'x-live-refresh': '1' })
    assert.doesNotMatch(text(background.html), /is on the grid/)
    assert.match(text((await org.get(`/events/${SLUG}/schedule/edit`)).html), /“Alt text that helps” is on the grid/)
  })

  test('auto-schedule from the editor: a draft with its cost beside the current one, accepted into the changelog; pins stay; a stale draft is refused', async (t) => {
    const { app, org, rooms, slots, allSlots, proposals } = await camp(t)
    const [alt, plain, crisis, open] = proposals as [number, number, number, number]
    await place(org, SLUG, crisis, slots[2]!, rooms.Snug!)
    await org.post(`/events/${SLUG}/schedule/pin`, { proposal: String(crisis), pinned: '1' })
    await place(org, SLUG, alt, slots[0]!, rooms.Hall!)
    await place(org, SLUG, open, slots[0]!, rooms.Snug!) // the member runs both alt and open: a clash
    await setPhase(org, SLUG, 'pitching', 'published')

    const draftPage = await org.get(`/events/${SLUG}/schedule/auto`)
    assert.equal(draftPage.status, 200)
    const page = text(draftPage.html)
    assert.match(page, /A draft schedule/)
    assert.match(page, /Clashes \(wanted two sessions at once\)<\/th><td>1<\/td><td>0<\/td>/, 'the draft removes the clash')
    assert.match(page, /Plain English<\/strong>: not on the grid →/)
    assert.doesNotMatch(page, /Crisis comms<\/strong>/, 'the pinned session is not in the list of changes')
    const basis = /name="basis" value="([0-9a-f]+)"/.exec(draftPage.html)![1]!
    const places = [...draftPage.html.matchAll(/name="place" value="([^"]+)"/g)].map((m) => m[1]!)
    assert.equal(places.length, 3, 'every unpinned session has a place (or none) in the draft')

    // Tampered drafts are refused and change nothing: one session twice, two sessions in one cell, a need the room lacks.
    for (const tampered of [
      [`${alt}:${slots[3]}:${rooms.Hall}`, `${alt}:-`],
      [`${alt}:${slots[4]}:${rooms.Hall}`, `${plain}:${slots[4]}:${rooms.Hall}`],
      [`${plain}:${slots[4]}:${rooms.Snug}`],
    ]) {
      const refused = await org.post(`/events/${SLUG}/schedule/auto`, { basis, place: tampered })
      assert.equal(refused.status, 409, tampered.join(' '))
      assert.match(text(refused.html), /breaks a rule of the grid/)
    }
    const accepted = await org.post(`/events/${SLUG}/schedule/auto`, { basis, place: places })
    assert.equal(accepted.status, 303)
    const live = await liveEntries(app)
    assert.deepEqual(live.map((e) => e.proposal_id).sort((a, b) => a - b), [alt, plain, crisis, open].sort((a, b) => a - b), 'all four on the grid')
    assert.deepEqual(live.find((e) => e.proposal_id === crisis), { proposal_id: crisis, slot_id: slots[2], room_id: rooms.Snug }, 'the pin stayed')
    const slotOf = (id: number) => live.find((e) => e.proposal_id === id)!.slot_id
    const plenary = allSlots.find((s) => s.kind === 'plenary')!.id
    assert.ok(live.every((e) => e.slot_id !== plenary), 'the opening for everyone is left alone')
    assert.notEqual(slotOf(alt), slotOf(open), 'the member no longer runs two sessions at once')
    assert.match(text((await org.get(`/events/${SLUG}/schedule/edit`)).html), /The draft is on the grid: \d sessions? changed/)
    const changes = text((await org.get(`/events/${SLUG}/schedule/changes`)).html)
    assert.match(changes, /“Plain English” added/)

    // A draft of the grid as it now stands changes nothing: ties go to the grid as it is.
    assert.match(text((await org.get(`/events/${SLUG}/schedule/auto`)).html), /The draft is the same as the grid/)
    // The same draft again: the grid changed since it was made (by accepting it), so it is refused.
    await org.get(`/events/${SLUG}/schedule/edit`)
    const stale = await org.post(`/events/${SLUG}/schedule/auto`, { basis, place: places })
    assert.equal(stale.status, 409)
    assert.match(text(stale.html), /Someone else changed/)
  })

  test('rooms and slots with sessions in them are not removed by accident', async (t) => {
    const { app, org, rooms, slots, proposals } = await camp(t)
    await place(org, SLUG, proposals[0]!, slots[0]!, rooms.Hall!)
    await org.get(`/events/${SLUG}/rooms`)
    const room = await org.post(`/events/${SLUG}/rooms/${rooms.Hall}/delete`, {})
    assert.equal(room.status, 409)
    assert.match(text(room.html), /Hall still has sessions \(1\)/)
    const slot = await org.post(`/events/${SLUG}/slots/${slots[0]}/delete`, {})
    assert.equal(slot.status, 409)
    assert.equal((await liveEntries(app)).length, 1)
    const merge = await org.submit(`/events/${SLUG}/manage`, `/events/${SLUG}/merge`, { duplicate: String(proposals[0]), target: String(proposals[1]) })
    assert.equal(merge.status, 409, 'a session on the grid is not merged away')
  })
})
