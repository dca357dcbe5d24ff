// Delete what you made (issue 20): a host deletes a meetup nobody replied to (or one cancelled
// 30 days ago), an organiser a draft event, a host an empty community; everything else is
// refused with a 409 that points to cancelling. Calendars keep a deleted meetup, CANCELLED,
// with a higher SEQUENCE.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../helpers/build-test-app.js'
import { text, type Browser, type Page } from '../helpers/browser.js'
import { createCommunity, person } from '../helpers/communities.js'
import { createEvent, organiser, propose, setPhase } from '../helpers/events.js'
import { createMeetup, rsvp } from '../helpers/meetups.js'

/** The page's text without its tags, spaces folded. */
const plain = (html: string) => text(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ')

/** One VEVENT of a feed, by UID prefix: its STATUS and SEQUENCE, or null when absent. */
function entry(page: Page, uidPrefix: string): { status: string; sequence: number; summary: string } | null {
  assert.equal(page.status, 200, page.html.slice(0, 300))
  const body = page.html.replace(/\r\n[ \t]/g, '')
  const block = body.split('BEGIN:VEVENT').find((b) => b.includes(`\r\nUID:${uidPrefix}@`))
  if (!block) return null
  const value = (name: string) => new RegExp(`\\r\\n${name}:([^\\r]*)`).exec(block)?.[1] ?? ''
  return { status: value('STATUS'), sequence: Number(value('SEQUENCE') || '0'), summary: value('SUMMARY') }
}

async function personalFeedUrl(browser: Browser): Promise<string> {
  await browser.get('/me/calendar')
  await browser.post('/me/calendar', {})
  return /value="http:\/\/localhost:3000(\/calendar\/[A-Za-z0-9_-]+\.ics)"/.exec((await browser.get('/me/calendar')).html)![1]!
}

async function meetupId(app: FastifyInstance, slug: string): Promise<number> {
  return (await app.db.selectFrom('meetups').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id
}

/** A community without chats, hosted by `host`, with a meetup in it. */
async function communityWithMeetup(app: FastifyInstance, host: Browser, slug = 'picnic') {
  assert.equal((await createCommunity(host, { slug: 'bristol', name: 'Bristol digital', hashtag: '#bristoldigital', scheduleKind: 'none' })).status, 303)
  assert.equal((await createMeetup(host, { title: 'Picnic in the park', slug, communitySlug: 'bristol' })).status, 303)
  return meetupId(app, slug)
}

describe('delete what you made', () => {
  test('a host deletes a meetup nobody replied to: confirmation, 410 afterwards, gone from lists, CANCELLED with a higher SEQUENCE in every feed', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Hana Host')
    const id = await communityWithMeetup(app, host)
    const feedPath = await personalFeedUrl(host)
    const before = entry(await host.get('/communities/bristol/calendar.ics'), `meetup-${id}`)
    assert.deepEqual(before && { status: before.status }, { status: 'CONFIRMED' })

    const page = await host.get('/meetups/picnic')
    assert.match(page.html, /href="\/meetups\/picnic\/delete"/, 'the host is offered Delete')
    for (const path of ['/meetups', '/communities/bristol', '/api/communities/bristol', '/me']) {
      assert.match((await host.get(path)).html, /Picnic in the park/, `listed on ${path} before`)
    }
    assert.doesNotMatch((await app.inject('/meetups/picnic')).body, /\/delete"/, 'nobody else is')

    // The confirmation page says what is lost and changes nothing.
    const confirm = await host.get('/meetups/picnic/delete')
    assert.equal(confirm.status, 200)
    assert.match(plain(confirm.html), /Delete “Picnic in the park”\?.*This cannot be undone\..*go on showing it as cancelled for 30 days/)
    assert.match(confirm.html, /name="_csrf"/)
    assert.equal((await app.inject('/meetups/picnic')).statusCode, 200)

    // Someone else may not; nor may a POST without the form's token.
    const stranger = await person(app, 'Sam Stranger')
    assert.equal((await stranger.get('/meetups/picnic/delete')).status, 403)
    await stranger.get('/meetups/picnic')
    assert.equal((await stranger.post('/meetups/picnic/delete', {})).status, 403)
    assert.equal((await host.post('/meetups/picnic/delete', {}, { csrf: 'not-the-token' })).status, 403)
    assert.equal((await app.inject('/meetups/picnic')).statusCode, 200, 'still there')

    await host.get('/meetups/picnic/delete')
    const done = await host.post('/meetups/picnic/delete', {})
    assert.equal(done.status, 303)
    assert.equal(done.location, '/communities/bristol')
    const landing = await host.get('/communities/bristol')
    assert.match(plain(landing.html), /The meetup “Picnic in the park” has been deleted\./)
    assert.doesNotMatch(landing.html, /href="\/meetups\/picnic"/, 'not listed on its community')

    const gone = await app.inject('/meetups/picnic')
    assert.equal(gone.statusCode, 410)
    assert.match(plain(gone.body), /This page has been deleted/)
    const welsh = await app.inject({ url: '/meetups/picnic', headers: { 'accept-language': 'cy' } })
    assert.equal(welsh.statusCode, 410)
    assert.match(plain(welsh.body), /Mae’r dudalen hon wedi’i dileu/)
    assert.doesNotMatch(gone.body, /Picnic in the park/)
    for (const path of ['/meetups', '/communities/bristol', '/api/communities/bristol', '/me']) {
      assert.doesNotMatch((await host.get(path)).html, /Picnic in the park/, `not listed on ${path} after`)
    }
    assert.equal((await app.inject('/api/meetups/picnic')).statusCode, 404)
    assert.equal((await host.get('/meetups/picnic/edit')).status, 410)
    for (const table of ['meetups', 'meetup_hosts'] as const) {
      assert.equal((await app.db.selectFrom(table).selectAll().execute()).length, 0, `no ${table} rows left`)
    }

    // Every feed that had it still has it, CANCELLED, with a higher SEQUENCE.
    for (const path of ['/communities/bristol/calendar.ics', feedPath, '/meetups/picnic/calendar.ics']) {
      const after = entry(await host.get(path), `meetup-${id}`)
      assert.ok(after, `still in ${path.startsWith('/calendar/') ? 'the personal feed' : path}`)
      assert.equal(after.status, 'CANCELLED')
      assert.ok(after.sequence > before!.sequence, 'a higher SEQUENCE')
      assert.equal(after.summary, 'Picnic in the park')
    }

    // A new meetup may take the address; the tombstone then no longer answers for it.
    assert.equal((await createMeetup(host, { title: 'Second picnic', slug: 'picnic' })).status, 303)
    assert.equal((await app.inject('/meetups/picnic')).statusCode, 200)
  })

  test('a meetup with a reply can only be cancelled: no button, a 409 that links to cancelling, and a cancelled one only 30 days on', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Hana Host')
    const guest = await person(app, 'Gwen Guest')
    assert.equal((await createMeetup(host, { slug: 'lunch' })).status, 303)
    assert.equal((await rsvp(guest, 'lunch')).status, 303)
    const guestFeed = await personalFeedUrl(guest)

    assert.doesNotMatch((await host.get('/meetups/lunch')).html, /\/meetups\/lunch\/delete/)
    const refused = await host.get('/meetups/lunch/delete')
    assert.equal(refused.status, 409)
    assert.match(plain(refused.html), /This meetup has replies, so it can only be cancelled\./)
    assert.match(refused.html, /href="\/meetups\/lunch#cancel-meetup">Cancel the meetup instead</)
    await host.get('/meetups/lunch')
    assert.equal((await host.post('/meetups/lunch/delete', {})).status, 409)
    assert.equal((await app.inject('/meetups/lunch')).statusCode, 200)

    // Cancelled: still refused while calendars carry the cancellation, and it says from when.
    await host.get('/meetups/lunch')
    assert.equal((await host.post('/meetups/lunch/cancel', {})).status, 303)
    const recently = await host.get('/meetups/lunch/delete')
    assert.equal(recently.status, 409)
    assert.match(plain(recently.html), /cancelled less than 30 days ago .* You can delete it from /)
    const cancelled = entry(await guest.get(guestFeed), `meetup-${await meetupId(app, 'lunch')}`)!
    assert.equal(cancelled.status, 'CANCELLED')

    // 31 days after the cancelling it may go, with its replies.
    const longAgo = new Date(Date.now() - 31 * 86400000).toISOString()
    await app.db.updateTable('meetups').set({ updated_at: longAgo }).where('slug', '=', 'lunch').execute()
    assert.match((await host.get('/meetups/lunch')).html, /href="\/meetups\/lunch\/delete"/)
    const confirm = await host.get('/meetups/lunch/delete')
    assert.equal(confirm.status, 200)
    assert.match(plain(confirm.html), /The 1 reply to this cancelled meetup is deleted with it\./)
    const id = await meetupId(app, 'lunch')
    const done = await host.post('/meetups/lunch/delete', {})
    assert.equal(done.status, 303)
    assert.equal(done.location, '/me')
    assert.equal((await app.db.selectFrom('rsvps').selectAll().execute()).length, 0)
    // The guest's own calendar keeps it, CANCELLED, with a higher SEQUENCE.
    const kept = entry(await guest.get(guestFeed), `meetup-${id}`)!
    assert.equal(kept.status, 'CANCELLED')
    assert.ok(kept.sequence > cancelled.sequence)
    assert.equal((await guest.get('/meetups/lunch')).status, 410)
  })

  test('a reply and a deletion at the same moment: one wins, and what is left agrees with it; two hosts deleting at once delete once', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Hana Host')
    const guest = await person(app, 'Gwen Guest')
    for (const round of [1, 2, 3, 4]) {
      const slug = `race-${round}`
      assert.equal((await createMeetup(host, { slug })).status, 303)
      await host.get(`/meetups/${slug}/delete`)
      await guest.get(`/meetups/${slug}`)
      // The reply goes first in even rounds, the deletion in odd ones; the database decides.
      const del = () => host.post(`/meetups/${slug}/delete`, {})
      const reply = () => guest.post(`/meetups/${slug}/rsvp`, { going: 'yes', partySize: '1' })
      const [deleted, replied] = round % 2 ? await Promise.all([del(), reply()]) : await Promise.all([reply(), del()]).then(([r, d]) => [d, r])
      const meetup = await app.db.selectFrom('meetups').select('id').where('slug', '=', slug).executeTakeFirst()
      const rsvps = meetup ? await app.db.selectFrom('rsvps').selectAll().where('meetup_id', '=', meetup.id).execute() : []
      if (deleted!.status === 303) {
        assert.ok([409, 410].includes(replied!.status), `the reply is refused: ${replied!.status}`)
        assert.equal(meetup, undefined)
        assert.equal((await app.inject(`/meetups/${slug}`)).statusCode, 410)
      } else {
        assert.equal(deleted!.status, 409, 'the deletion sees the reply')
        assert.equal(replied!.status, 303)
        assert.ok(meetup)
        assert.equal(rsvps.length, 1)
      }
    }
    assert.equal((await app.db.selectFrom('rsvps').selectAll().execute()).length, (await app.db.selectFrom('meetups').selectAll().where('slug', 'like', 'race-%').execute()).length, 'no reply left without its meetup')

    // Two hosts (the admin counts as one) confirm at once: one deletes, the other hears it is gone.
    const admin = await app.db.selectFrom('users').select('id').orderBy('id').executeTakeFirstOrThrow()
    assert.equal(admin.id, (await app.db.selectFrom('users').select('id').where('display_name', '=', 'Hana Host').executeTakeFirstOrThrow()).id, 'the first account is the admin')
    const other = await person(app, 'Ola Other')
    assert.equal((await createMeetup(other, { slug: 'twice' })).status, 303)
    await host.get('/meetups/twice/delete')
    await other.get('/meetups/twice/delete')
    const both = await Promise.all([host.post('/meetups/twice/delete', {}), other.post('/meetups/twice/delete', {})])
    assert.deepEqual(both.map((p) => p.status).sort(), [303, 410])
    assert.equal((await app.db.selectFrom('tombstones').selectAll().where('slug', '=', 'twice').execute()).length, 1)
  })

  test('an organiser deletes a draft event with what was prepared for it; an event open to people is refused', async (t) => {
    const app = await buildTestApp(t)
    const admin = await person(app, 'Site Admin')
    const org = await organiser(app, admin, 'Olu Organiser')
    assert.equal((await createEvent(org)).status, 303)
    await org.get('/events/ukgc27/rooms')
    assert.equal((await org.post('/events/ukgc27/rooms', { name: 'Hall', capacity: '100', location: '', features: [], accessibilityNotes: '' })).status, 303)
    const other = await organiser(app, admin, 'Ola Other')
    assert.equal((await other.get('/events/ukgc27/delete')).status, 404, 'a draft is nobody else’s to see')
    // Opened, the organiser's own session proposed and a co-organiser invited, then back to draft.
    await setPhase(org, 'ukgc27', 'proposals')
    await propose(org, 'ukgc27', 'Our own opening session')
    await app.db.updateTable('users').set({ handle: 'ola' }).where('display_name', '=', 'Ola Other').execute()
    await org.get('/events/ukgc27/manage')
    assert.equal((await org.post('/events/ukgc27/organisers', { who: '@ola' })).status, 303)
    assert.equal((await app.db.selectFrom('host_invitations').selectAll().execute()).length, 1)
    await setPhase(org, 'ukgc27', 'draft')

    const manage = await org.get('/events/ukgc27/manage')
    assert.match(manage.html, /href="\/events\/ukgc27\/delete"/)
    const confirm = await org.get('/events/ukgc27/delete')
    assert.equal(confirm.status, 200)
    assert.match(plain(confirm.html), /Delete “UKGovCamp 2027”\?.*Proposals: 1\. Rooms: 1\. Time slots: 0\./)
    const done = await org.post('/events/ukgc27/delete', {})
    assert.equal(done.status, 303)
    assert.equal(done.location, '/events')
    assert.match(plain((await org.get('/events')).html), /The event “UKGovCamp 2027” has been deleted\./)
    assert.equal((await org.get('/events/ukgc27')).status, 410)
    for (const table of ['rooms', 'proposals', 'host_invitations', 'event_organisers'] as const) {
      assert.equal((await app.db.selectFrom(table).selectAll().execute()).length, 0, `no ${table} rows left`)
    }

    // Open to proposals: no button, and a 409 that sends them back to the manage page.
    assert.equal((await createEvent(org, { name: 'Camp two', slug: 'camp2' })).status, 303)
    await setPhase(org, 'camp2', 'proposals')
    assert.doesNotMatch((await org.get('/events/camp2/manage')).html, /\/events\/camp2\/delete/)
    const refused = await org.get('/events/camp2/delete')
    assert.equal(refused.status, 409)
    assert.match(plain(refused.html), /Only a draft event can be deleted\./)
    assert.match(refused.html, /href="\/events\/camp2\/manage"/)
    await org.get('/events/camp2/manage')
    assert.equal((await org.post('/events/camp2/delete', {})).status, 409)
    assert.equal((await app.inject('/events/camp2')).statusCode, 200)
    const stranger = await person(app, 'Sam Stranger')
    assert.equal((await stranger.get('/events/camp2/delete')).status, 403)

    // Back to draft after people proposed: still refused, it holds their proposals.
    await propose(stranger, 'camp2', 'My session')
    await setPhase(org, 'camp2', 'draft')
    assert.doesNotMatch((await org.get('/events/camp2/manage')).html, /\/events\/camp2\/delete/)
    const theirs = await org.get('/events/camp2/delete')
    assert.equal(theirs.status, 409)
    assert.match(plain(theirs.html), /People proposed sessions while this event was open/)
    assert.equal((await app.db.selectFrom('proposals').selectAll().execute()).length, 1)
  })

  test('a host deletes an empty community; one with another member, a topic, a meetup or chats is refused', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Hana Host')
    assert.equal((await createCommunity(host, { slug: 'quiet', name: 'Quiet one', hashtag: '#quietone', scheduleKind: 'none' })).status, 303)
    const member = await person(app, 'Mo Member')
    await member.submit('/communities/quiet', '/communities/quiet/join', { listed: '1' })
    assert.equal((await member.get('/communities/quiet/delete')).status, 403, 'a member is not a host')

    const refusedFor = async (pattern: RegExp) => {
      assert.doesNotMatch((await host.get('/communities/quiet/edit')).html, /\/communities\/quiet\/delete/)
      const page = await host.get('/communities/quiet/delete')
      assert.equal(page.status, 409)
      assert.match(plain(page.html), pattern)
      await host.get('/communities/quiet/edit')
      assert.equal((await host.post('/communities/quiet/delete', {})).status, 409)
    }
    await refusedFor(/This community has other members, so it cannot be deleted\./)
    await member.submit('/communities/quiet', '/communities/quiet/leave', {})

    assert.equal((await host.submit('/communities/quiet/topics/new', '/communities/quiet/topics', { title: 'Hello', description: '' })).status, 303)
    await refusedFor(/This community has topics/)
    await app.db.deleteFrom('topics').execute()

    assert.equal((await createMeetup(host, { slug: 'meet', communitySlug: 'quiet' })).status, 303)
    await refusedFor(/This community has meetups/)
    // Deleting the meetup leaves it CANCELLED in the community's feed for 30 days: the feed stays too.
    await host.get('/meetups/meet/delete')
    assert.equal((await host.post('/meetups/meet/delete', {})).status, 303)
    await refusedFor(/This community has meetups, or had one deleted less than 30 days ago/)
    await app.db.updateTable('tombstones').set({ deleted_at: new Date(Date.now() - 32 * 86400000).toISOString() }).execute()

    // Chats on calendars: switched on, or switched off less than 30 days ago.
    assert.equal((await createCommunity(host, { slug: 'chatty', name: 'Chatty', hashtag: '#chatty' })).status, 303)
    const chatty = await host.get('/communities/chatty/delete')
    assert.equal(chatty.status, 409)
    assert.match(plain(chatty.html), /chats are on calendars/)

    // Empty at last: offered, confirmed, gone.
    assert.match((await host.get('/communities/quiet/edit')).html, /href="\/communities\/quiet\/delete"/)
    const confirm = await host.get('/communities/quiet/delete')
    assert.equal(confirm.status, 200)
    assert.match(plain(confirm.html), /Delete “Quiet one”\?.*This cannot be undone\./)
    const done = await host.post('/communities/quiet/delete', {})
    assert.equal(done.status, 303)
    assert.equal(done.location, '/communities')
    const list = await host.get('/communities')
    assert.match(plain(list.html), /The community “Quiet one” has been deleted\./)
    assert.doesNotMatch(list.html, /href="\/communities\/quiet"/)
    assert.equal((await app.inject('/communities/quiet')).statusCode, 410)
    assert.equal((await app.inject('/communities/quiet/calendar.ics')).statusCode, 410)
    assert.equal((await app.db.selectFrom('community_members').selectAll().where('community_id', 'not in', app.db.selectFrom('communities').select('id')).execute()).length, 0)

    // Someone joins at the moment the host deletes: one wins, and nobody is left in a community that is gone.
    for (const round of [1, 2, 3]) {
      const slug = `race-${round}`
      assert.equal((await createCommunity(host, { slug, name: `Race ${round}`, hashtag: `#race${round}`, scheduleKind: 'none' })).status, 303)
      await host.get(`/communities/${slug}/delete`)
      await member.get(`/communities/${slug}`)
      const del = () => host.post(`/communities/${slug}/delete`, {})
      const join = () => member.post(`/communities/${slug}/join`, { listed: '1' })
      const [deleted, joined] = round % 2 ? await Promise.all([del(), join()]) : await Promise.all([join(), del()]).then(([j, d]) => [d, j])
      const community = await app.db.selectFrom('communities').select('id').where('slug', '=', slug).executeTakeFirst()
      if (deleted!.status === 303) {
        assert.ok([303, 410].includes(joined!.status), `the join ends cleanly: ${joined!.status}`)
        assert.equal(community, undefined)
      } else {
        assert.equal(deleted!.status, 409, 'the deletion sees the new member')
        assert.equal(joined!.status, 303)
        assert.ok(community)
      }
      assert.equal((await app.db.selectFrom('community_members').selectAll().where('community_id', 'not in', app.db.selectFrom('communities').select('id')).execute()).length, 0)
    }
  })
})
