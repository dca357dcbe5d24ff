import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { EVENT_PHASES } from '../../src/db/database.js'
import { phaseAllows } from '../../src/features/events/phases.js'
import { PROPOSALS_PER_PAGE } from '../../src/features/events/proposals.routes.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { Browser, acceptInvitations, text } from '../helpers/browser.js'
import { createCommunity, person } from '../helpers/communities.js'
import { createEvent, organiser, propose, setPhase } from '../helpers/events.js'

async function setUp(t: Parameters<typeof buildTestApp>[0]) {
  const app = await buildTestApp(t)
  const admin = await person(app, 'Site Admin')
  const org = await organiser(app, admin, 'Olu Organiser')
  return { app, admin, org }
}

const votesOf = async (app: Awaited<ReturnType<typeof buildTestApp>>, proposalId: number) =>
  (await app.db.selectFrom('proposal_votes').select('user_id').where('proposal_id', '=', proposalId).execute()).map((r) => r.user_id).sort((a, b) => a - b)

/** Each proposal's kept count (database triggers) against its votes counted afresh. */
const assertCountsKept = async (app: Awaited<ReturnType<typeof buildTestApp>>) => {
  const rows = await app.db
    .selectFrom('proposals as p')
    .select(['p.id', 'p.vote_count', (eb) => eb.selectFrom('proposal_votes as v').select((e) => e.fn.countAll<number>().as('n')).whereRef('v.proposal_id', '=', 'p.id').as('counted')])
    .execute()
  for (const row of rows) assert.equal(row.vote_count, Number(row.counted), `proposal ${row.id}'s kept vote count`)
}

describe('events', () => {
  test('the phase table: what each phase allows', () => {
    const allowed = (action: Parameters<typeof phaseAllows>[1]) => EVENT_PHASES.filter((phase) => phaseAllows(phase, action))
    assert.deepEqual(allowed('propose'), ['proposals', 'pitching'])
    assert.deepEqual(allowed('vote'), ['proposals', 'pitching', 'published'])
    assert.deepEqual(allowed('walkUp'), ['pitching'])
    assert.deepEqual(allowed('queue'), ['pitching'])
    assert.deepEqual(allowed('merge'), ['proposals', 'pitching'])
    assert.deepEqual(allowed('notes'), ['proposals', 'pitching', 'published', 'finished'])
  })

  test('organisers create events as drafts nobody else sees; members cannot create them', async (t) => {
    const { app, admin, org } = await setUp(t)
    const member = await person(app, 'Just A Member')
    await member.get('/events')
    assert.equal((await member.get('/events/new')).status, 403)
    assert.equal((await member.post('/events', { name: 'Mine' })).status, 403)

    const bad = await createEvent(org, { lastDay: '2027-01-15', dayEnds: '08:00', timeZone: 'Mars/Olympus' })
    assert.equal(bad.status, 400)
    assert.match(bad.html, /on or after the first day/)
    assert.match(bad.html, /after the start/)
    assert.match(bad.html, /<option value="" selected>Choose a time zone<\/option>/, 'a zone that is no zone: the list shows nothing chosen, not the first zone')
    assert.match(bad.html, /value="2027-01-15"/)

    const created = await createEvent(org)
    assert.equal(created.status, 303)
    assert.equal(created.location, '/events/ukgc27')
    const page = await org.get('/events/ukgc27')
    assert.match(page.html, /<h1>UKGovCamp 2027<\/h1>/)
    assert.match(page.html, /Saturday, 16 January 2027/)
    assert.match(page.html, /09:00–17:30 \((Greenwich Mean Time|British Summer Time)\)/, 'the zone as it is that day, as every other time on the site names it')
    assert.match(page.html, /href="https:\/\/www\.openstreetmap\.org\/search\?query=The%20Assembly%20Hall/)
    assert.match(page.html, /only its organisers can see it/)

    assert.equal((await member.get('/events/ukgc27')).status, 404, 'a draft does not exist for others')
    assert.doesNotMatch((await member.get('/events')).html, /UKGovCamp 2027/)
    assert.match((await admin.get('/events')).html, /UKGovCamp 2027/, 'the site admin sees every draft, to rescue one')
    assert.equal((await createEvent(org)).status, 400, 'the slug is taken now')
  })

  test('phase rules are enforced on the server, with a message that says why', async (t) => {
    const { app, org } = await setUp(t)
    await createEvent(org)
    const attendee = await person(app, 'Ann')
    // Draft: organisers cannot take proposals yet either.
    await org.get('/events/ukgc27')
    const early = await org.post('/events/ukgc27/proposals', { title: 'Too early', description: '', format: 'talk' })
    assert.equal(early.status, 409)
    assert.match(text(early.html), /New proposals are not taken now: the event is at “Draft”/)
    // Phases move one step at a time.
    await org.get('/events/ukgc27/manage')
    assert.equal((await org.post('/events/ukgc27/phase', { phase: 'published' })).status, 409)

    await setPhase(org, 'ukgc27', 'proposals')
    const id = await propose(attendee, 'ukgc27', 'Open data in councils')
    await org.get('/events/ukgc27/manage')
    const walkUp = await org.post('/events/ukgc27/walk-up', { title: 'Too soon', pitcherName: 'Zed', pitcherHandle: '', format: 'discussion' })
    assert.equal(walkUp.status, 409)
    assert.match(text(walkUp.html), /Walk-up pitches are taken on the day only/)

    await setPhase(org, 'ukgc27', 'pitching', 'published')
    await attendee.get('/events/ukgc27/proposals')
    const late = await attendee.post('/events/ukgc27/proposals', { title: 'Too late', description: '', format: 'talk' })
    assert.equal(late.status, 409)
    assert.match(text(late.html), /the event is at “Schedule published”/)
    assert.equal((await attendee.post(`/events/ukgc27/proposals/${id}/vote`, {})).status, 303, 'interest is still welcome once published')

    await setPhase(org, 'ukgc27', 'finished')
    const closed = await attendee.post(`/events/ukgc27/proposals/${id}/vote`, {})
    assert.equal(closed.status, 409)
    assert.match(text(closed.html), /Interest votes are closed/)
    assert.deepEqual((await votesOf(app, id)).length, 1, 'nothing changed')
    const titles = (await app.db.selectFrom('proposals').select('title').execute()).map((r) => r.title)
    assert.deepEqual(titles, ['Open data in councils'])
  })

  test('proposal lifecycle: propose, edit, accept, withdraw; decline; votes refused on withdrawn and declined', async (t) => {
    const { app, org } = await setUp(t)
    await createEvent(org)
    await setPhase(org, 'ukgc27', 'proposals')
    const ann = await person(app, 'Ann')
    const bryn = await person(app, 'Bryn')
    const id = await propose(ann, 'ukgc27', 'Plain English', { format: 'workshop', needs: 'projector' })
    const page = await ann.get(`/events/ukgc27/proposals/${id}`)
    assert.match(page.html, /<h1>Plain English<\/h1>/)
    assert.match(page.html, /Workshop/)
    assert.match(page.html, /A projector or screen/)

    const bad = await ann.submit(`/events/ukgc27/proposals/${id}/edit`, `/events/ukgc27/proposals/${id}/edit`, { title: '', description: 'Kept text', format: 'talk', needs: 'step-free' })
    assert.equal(bad.status, 400)
    assert.match(bad.html, /Enter a title for the session/)
    assert.match(bad.html, />Kept text<\/textarea>/)
    assert.match(bad.html, /value="step-free" checked/)
    await ann.submit(`/events/ukgc27/proposals/${id}/edit`, `/events/ukgc27/proposals/${id}/edit`, { title: 'Plain English, please', description: '', format: 'discussion' })
    assert.match((await ann.get(`/events/ukgc27/proposals/${id}`)).html, /<h1>Plain English, please<\/h1>/)

    // Someone else's proposal is not theirs to edit or withdraw, nor to decide on.
    await bryn.get(`/events/ukgc27/proposals/${id}`)
    assert.equal((await bryn.post(`/events/ukgc27/proposals/${id}/withdraw`, {})).status, 403)
    assert.equal((await bryn.get(`/events/ukgc27/proposals/${id}/edit`)).status, 403)
    assert.equal((await bryn.post(`/events/ukgc27/proposals/${id}/state`, { state: 'accepted' })).status, 403)

    await org.submit(`/events/ukgc27/proposals/${id}`, `/events/ukgc27/proposals/${id}/state`, { state: 'accepted' })
    assert.match((await org.get(`/events/ukgc27/proposals/${id}`)).html, /class="tag">Accepted/)
    await ann.submit(`/events/ukgc27/proposals/${id}`, `/events/ukgc27/proposals/${id}/withdraw`, {})
    assert.match((await ann.get(`/events/ukgc27/proposals/${id}`)).html, /class="tag">Withdrawn/)
    await bryn.get('/events/ukgc27/proposals')
    const refused = await bryn.post(`/events/ukgc27/proposals/${id}/vote`, {})
    assert.equal(refused.status, 409)
    assert.match(text(refused.html), /it is “Withdrawn”/)

    const other = await propose(bryn, 'ukgc27', 'Something else')
    await org.get('/events/ukgc27/manage')
    await org.post('/events/ukgc27/proposals/decide', { action: 'declined', ids: String(other) })
    assert.equal((await bryn.post(`/events/ukgc27/proposals/${other}/vote`, {})).status, 409)
    const rows = await app.db.selectFrom('proposals').select(['id', 'state']).orderBy('id').execute()
    assert.deepEqual(rows.map((r) => r.state), ['withdrawn', 'declined'])
    assert.equal((await votesOf(app, other)).length, 0)
  })

  test('organisers accept or decline in bulk', async (t) => {
    const { app, org } = await setUp(t)
    await createEvent(org)
    await setPhase(org, 'ukgc27', 'proposals')
    const ann = await person(app, 'Ann')
    const ids = [await propose(ann, 'ukgc27', 'One'), await propose(ann, 'ukgc27', 'Two'), await propose(ann, 'ukgc27', 'Three')]
    // Two ticked boxes post the field twice, as a browser does.
    const page = await org.submit('/events/ukgc27/manage', '/events/ukgc27/proposals/decide', { action: 'accepted', ids: [String(ids[0]), String(ids[2])] })
    assert.equal(page.status, 303)
    assert.match((await org.get('/events/ukgc27/manage')).html, /2 proposals accepted\./)
    const states = (await app.db.selectFrom('proposals').select('state').orderBy('id').execute()).map((r) => r.state)
    assert.deepEqual(states, ['accepted', 'proposed', 'accepted'])
    await ann.get('/events/ukgc27')
    assert.equal((await ann.post('/events/ukgc27/proposals/decide', { action: 'declined', ids: String(ids[1]) })).status, 403)
  })

  test('interest votes toggle, count right under concurrent votes, and sort the list', async (t) => {
    const { app, org } = await setUp(t)
    await createEvent(org)
    await setPhase(org, 'ukgc27', 'proposals')
    const ann = await person(app, 'Ann')
    const popular = await propose(ann, 'ukgc27', 'Popular')
    const quiet = await propose(ann, 'ukgc27', 'Quiet')
    const voters = await Promise.all(Array.from({ length: 12 }, (_, i) => person(app, `Voter ${i}`)))
    await Promise.all(voters.map((v) => v.get('/events/ukgc27/proposals')))
    const answers = await Promise.all(voters.map((v) => v.post(`/events/ukgc27/proposals/${popular}/vote`, {})))
    assert.ok(answers.every((a) => a.status === 303))
    assert.equal((await votesOf(app, popular)).length, 12)
    // One person's double click sends the same form twice: one vote.
    await Promise.all([ann.post(`/events/ukgc27/proposals/${quiet}/vote`, { want: '1' }), ann.post(`/events/ukgc27/proposals/${quiet}/vote`, { want: '1' })])
    assert.equal((await votesOf(app, quiet)).length, 1)
    await voters[0]!.post(`/events/ukgc27/proposals/${popular}/vote`, { want: '0' })
    assert.equal((await votesOf(app, popular)).length, 11, 'pressing the button again takes the vote back')

    const list = await new Browser(app, '10.70.0.1').get('/events/ukgc27/proposals')
    const order = [...list.html.matchAll(/<p class="topic__title"><a [^>]+>([^<]+)<\/a>/g)].map((m) => m[1])
    assert.deepEqual(order, ['Popular', 'Quiet'])
    assert.match(list.html, /11 would go/)
    const newest = await new Browser(app, '10.70.0.2').get('/events/ukgc27/proposals?sort=newest')
    assert.deepEqual([...newest.html.matchAll(/<p class="topic__title"><a [^>]+>([^<]+)<\/a>/g)].map((m) => m[1]), ['Quiet', 'Popular'])
    const talks = await new Browser(app, '10.70.0.3').get('/events/ukgc27/proposals?format=talk')
    assert.match(talks.html, /No proposals match/)

    // A person's account going takes their votes (a cascade) and the counts follow.
    await assertCountsKept(app)
    const voterIds = await app.db.selectFrom('proposal_votes').select('user_id').where('proposal_id', '=', popular).execute()
    await app.db.deleteFrom('users').where('id', 'in', voterIds.slice(0, 3).map((v) => v.user_id)).execute()
    await assertCountsKept(app)
    assert.match((await new Browser(app, '10.70.0.4').get('/events/ukgc27/proposals')).html, /8 would go/)
  })

  test('a long proposals list comes in pages that keep the sort and filters', async (t) => {
    const { app, org } = await setUp(t)
    await createEvent(org)
    await setPhase(org, 'ukgc27', 'proposals')
    const { id: eventId } = await app.db.selectFrom('events').select('id').where('slug', '=', 'ukgc27').executeTakeFirstOrThrow()
    const stamp = new Date().toISOString()
    const count = PROPOSALS_PER_PAGE + 5
    const rows = Array.from({ length: count }, (_, i) => ({ event_id: eventId, title: `Session ${String(i + 1).padStart(3, '0')}`, format: 'discussion' as const, proposer_id: null, pitcher_name: 'Walk-up', created_at: stamp, updated_at: stamp }))
    await app.db.insertInto('proposals').values(rows).execute()
    const titles = (html: string) => [...html.matchAll(/<p class="topic__title"><a [^>]+>([^<]+)<\/a>/g)].map((m) => m[1])

    const visitor = new Browser(app, '10.72.0.1')
    const first = await visitor.get('/events/ukgc27/proposals?sort=newest')
    assert.equal(titles(first.html).length, PROPOSALS_PER_PAGE)
    assert.equal(titles(first.html)[0], `Session ${count}`)
    assert.match(text(first.html), new RegExp(`${count} proposals · Page 1 of 2`))
    assert.match(first.html, /<a href="\/events\/ukgc27\/proposals\?sort=newest&amp;page=2" rel="next">Next page<\/a>/)
    assert.doesNotMatch(first.html, /rel="prev"/)

    const second = await visitor.get('/events/ukgc27/proposals?sort=newest&page=2')
    assert.deepEqual(titles(second.html), ['Session 005', 'Session 004', 'Session 003', 'Session 002', 'Session 001'])
    assert.match(second.html, /<ol class="topic-list" start="101">/, 'numbering carries on from the first page')
    assert.match(second.html, /<a href="\/events\/ukgc27\/proposals\?sort=newest" rel="prev">Previous page<\/a>/)
    assert.match(second.html, /aria-current="page"[^>]*>2</)

    // Past the end (the list shrank, or a hand-made address): the last page there is.
    const past = await visitor.get('/events/ukgc27/proposals?sort=newest&page=9')
    assert.equal(past.status, 302)
    assert.equal(past.location, '/events/ukgc27/proposals?sort=newest&page=2')
    const nothing = await visitor.get('/events/ukgc27/proposals?format=talk&page=3')
    assert.equal(nothing.location, '/events/ukgc27/proposals?format=talk')
    const none = await visitor.get('/events/ukgc27/proposals?format=talk')
    assert.match(none.html, /No proposals match/)
    assert.doesNotMatch(none.html, /class="pagination"/, 'one page needs no page links')
    assert.equal((await visitor.get('/events/ukgc27/proposals?page=0')).status, 400)
    // A reader who came in by ?lang=cy stays in Welsh from page to page.
    const welsh = await visitor.get('/events/ukgc27/proposals?lang=cy')
    assert.match(welsh.html, /<a href="\/events\/ukgc27\/proposals\?lang=cy&amp;page=2" rel="next">Tudalen nesaf<\/a>/)
  })

  test('merging a duplicate keeps the union of voters and hosts without counting anyone twice', async (t) => {
    const { app, org } = await setUp(t)
    await createEvent(org)
    await setPhase(org, 'ukgc27', 'proposals')
    const ann = await person(app, 'Ann')
    const bryn = await person(app, 'Bryn')
    const cat = await person(app, 'Cat')
    const dai = await person(app, 'Dai')
    const keep = await propose(ann, 'ukgc27', 'Accessible social media')
    const duplicate = await propose(bryn, 'ukgc27', 'Social media accessibility')
    for (const [who, id] of [[ann, keep], [cat, keep], [dai, keep], [dai, duplicate], [bryn, duplicate]] as const) {
      await who.get('/events/ukgc27/proposals')
      await who.post(`/events/ukgc27/proposals/${id}/vote`, {})
    }
    // Cat co-hosts the duplicate.
    await bryn.get(`/events/ukgc27/proposals/${duplicate}`)
    const catRow = await app.db.selectFrom('users').select('id').where('display_name', '=', 'Cat').executeTakeFirstOrThrow()
    await app.db.updateTable('users').set({ handle: 'cat' }).where('id', '=', catRow.id).execute()
    await bryn.post(`/events/ukgc27/proposals/${duplicate}/hosts`, { who: '@cat' })
    assert.equal(await acceptInvitations(cat), 1, 'Cat is asked first, and says yes')

    await ann.get('/events/ukgc27')
    assert.equal((await ann.post('/events/ukgc27/merge', { duplicate: String(duplicate), target: String(keep) })).status, 403)

    await org.get('/events/ukgc27/manage')
    const same = await org.post('/events/ukgc27/merge', { duplicate: String(keep), target: String(keep) })
    assert.equal(same.status, 400)
    assert.match(same.html, /Choose two different proposals/)
    await org.get('/events/ukgc27/manage')
    assert.equal((await org.post('/events/ukgc27/merge', { duplicate: String(duplicate), target: String(keep) })).status, 303)

    const ids = async (name: string) => (await app.db.selectFrom('users').select('id').where('display_name', '=', name).executeTakeFirstOrThrow()).id
    assert.deepEqual(await votesOf(app, keep), [await ids('Ann'), await ids('Bryn'), await ids('Cat'), await ids('Dai')].sort((a, b) => a - b))
    const hosts = (await app.db.selectFrom('proposal_hosts').select('user_id').where('proposal_id', '=', keep).execute()).map((r) => r.user_id).sort()
    assert.deepEqual(hosts, [await ids('Bryn'), await ids('Cat')].sort())
    const merged = await app.db.selectFrom('proposals').select(['state', 'merged_into']).where('id', '=', duplicate).executeTakeFirstOrThrow()
    assert.deepEqual(merged, { state: 'merged', merged_into: keep })
    const old = await new Browser(app, '10.71.0.1').get(`/events/ukgc27/proposals/${duplicate}`)
    assert.equal(old.status, 301)
    assert.equal(old.location, `/events/ukgc27/proposals/${keep}`)
    assert.match((await new Browser(app, '10.71.0.2').get(`/events/ukgc27/proposals/${keep}`)).html, /4 would go/)
    await assertCountsKept(app)
  })

  test('merges and the queue hold when organisers act at the same moment; dead proposals cannot take votes by merging', async (t) => {
    const { app, org } = await setUp(t)
    await createEvent(org)
    await setPhase(org, 'ukgc27', 'proposals')
    const ann = await person(app, 'Ann')
    const a = await propose(ann, 'ukgc27', 'First')
    const b = await propose(ann, 'ukgc27', 'Second')
    const withdrawn = await propose(ann, 'ukgc27', 'Gone')
    await ann.submit(`/events/ukgc27/proposals/${withdrawn}`, `/events/ukgc27/proposals/${withdrawn}/withdraw`, {})
    await org.get('/events/ukgc27/manage')
    const intoDead = await org.post('/events/ukgc27/merge', { duplicate: String(a), target: String(withdrawn) })
    assert.equal(intoDead.status, 409)
    assert.match(text(intoDead.html), /“Withdrawn”/)

    await org.get('/events/ukgc27/manage')
    await Promise.all([
      org.post('/events/ukgc27/merge', { duplicate: String(a), target: String(b) }),
      org.post('/events/ukgc27/merge', { duplicate: String(b), target: String(a) }),
    ])
    const states = (await app.db.selectFrom('proposals').select('state').where('id', 'in', [a, b]).execute()).map((r) => r.state).sort()
    assert.equal(states.filter((st) => st === 'merged').length, 1, 'exactly one of the pair is merged away')

    await setPhase(org, 'ukgc27', 'pitching')
    await org.get('/events/ukgc27/manage')
    await Promise.all(Array.from({ length: 8 }, (_, i) => org.post('/events/ukgc27/walk-up', { title: `Pitch ${i}`, pitcherName: `P${i}`, pitcherHandle: '', format: 'talk' })))
    const positions = (await app.db.selectFrom('proposals').select('queue_position').where('walk_up', '=', 1).execute()).map((r) => r.queue_position)
    assert.equal(new Set(positions).size, 8, 'every walk-up has its own place in the queue')
  })

  test('an event can only be listed on a community its creator hosts', async (t) => {
    const { app, org } = await setUp(t)
    await createCommunity(await person(app, 'Someone Else'))
    const page = await createEvent(org, { communitySlug: 'lgovsm' })
    assert.equal(page.status, 400)
    assert.match(page.html, /Choose a community from the list/)
  })

  test('on the day: walk-up pitches without an account, and a pitch queue only organisers run', async (t) => {
    const { app, org } = await setUp(t)
    await createEvent(org)
    await setPhase(org, 'ukgc27', 'proposals', 'pitching')
    const ann = await person(app, 'Ann')
    const online = await propose(ann, 'ukgc27', 'Proposed online')

    const bad = await org.submit('/events/ukgc27/manage', '/events/ukgc27/walk-up', { title: '', pitcherName: '', pitcherHandle: '@zed', format: 'discussion' })
    assert.equal(bad.status, 400)
    assert.match(bad.html, /Enter a title for the session/)
    assert.match(bad.html, /Enter the name of the person pitching/)
    assert.match(bad.html, /value="@zed"/)

    for (const [title, name] of [['Chatbots for councils', 'Zed Walker'], ['Comms for climate', 'Yas']] as const) {
      const added = await org.submit('/events/ukgc27/manage', '/events/ukgc27/walk-up', { title, pitcherName: name, pitcherHandle: name === 'Yas' ? '' : '@zedw', format: 'discussion' })
      assert.equal(added.status, 303)
    }
    const walkUp = await app.db.selectFrom('proposals').selectAll().where('title', '=', 'Chatbots for councils').executeTakeFirstOrThrow()
    assert.equal(walkUp.proposer_id, null, 'no account needed')
    const page = await new Browser(app, '10.72.0.1').get(`/events/ukgc27/proposals/${walkUp.id}`)
    assert.match(page.html, /Zed Walker \(@zedw\)/)
    assert.match(page.html, /Pitched on the day/)

    const queueOrder = async () => [...(await org.get('/events/ukgc27/manage')).html.matchAll(/class="queue__item[^"]*">\s*<span><strong>([^<]+)<\/strong>/g)].map((m) => m[1])
    assert.deepEqual(await queueOrder(), ['Chatbots for councils', 'Comms for climate'])
    await org.post(`/events/ukgc27/queue/${online}`, { move: 'add' })
    await org.get('/events/ukgc27/manage')
    const climate = await app.db.selectFrom('proposals').select('id').where('title', '=', 'Comms for climate').executeTakeFirstOrThrow()
    await org.post(`/events/ukgc27/queue/${climate.id}`, { move: 'up' })
    assert.deepEqual(await queueOrder(), ['Comms for climate', 'Chatbots for councils', 'Proposed online'])
    await org.post(`/events/ukgc27/queue/${climate.id}`, { move: 'pitched' })
    assert.match((await org.get('/events/ukgc27/manage')).html, /queue__item queue__item--done">\s*<span><strong>Comms for climate/)

    await ann.get('/events/ukgc27')
    assert.equal((await ann.post(`/events/ukgc27/queue/${climate.id}`, { move: 'down' })).status, 403)
    assert.equal((await ann.post('/events/ukgc27/walk-up', { title: 'Sneaky', pitcherName: 'Ann', pitcherHandle: '', format: 'talk' })).status, 403)
    assert.equal((await ann.get('/events/ukgc27/manage')).status, 403)
    assert.deepEqual(await queueOrder(), ['Comms for climate', 'Chatbots for councils', 'Proposed online'])
  })

  test('hosts and organisers keep a notes link; others cannot; co-organisers run the event', async (t) => {
    const { app, org } = await setUp(t)
    const community = await createCommunity(org, {})
    assert.equal(community.status, 303)
    await createEvent(org, { communitySlug: 'lgovsm' })
    await setPhase(org, 'ukgc27', 'proposals')
    const ann = await person(app, 'Ann')
    const bryn = await person(app, 'Bryn')
    const id = await propose(ann, 'ukgc27', 'Plain English')
    const bad = await ann.submit(`/events/ukgc27/proposals/${id}/notes`, `/events/ukgc27/proposals/${id}/notes`, { notesUrl: 'not a url' })
    assert.equal(bad.status, 400)
    assert.match(bad.html, /value="not a url"/)
    await ann.submit(`/events/ukgc27/proposals/${id}/notes`, `/events/ukgc27/proposals/${id}/notes`, { notesUrl: 'https://pad.example.org/plain' })
    assert.match((await bryn.get(`/events/ukgc27/proposals/${id}`)).html, /href="https:\/\/pad\.example\.org\/plain"/)
    assert.equal((await bryn.get(`/events/ukgc27/proposals/${id}/notes`)).status, 403)

    // The community lists its event once it is out of draft.
    assert.match((await bryn.get('/communities/lgovsm')).html, /<a href="\/events\/ukgc27">UKGovCamp 2027<\/a>/)

    // A co-organiser (a plain member of the site) runs the event too.
    await app.db.updateTable('users').set({ handle: 'bryn' }).where('display_name', '=', 'Bryn').execute()
    assert.equal((await bryn.get('/events/ukgc27/manage')).status, 403)
    await org.submit('/events/ukgc27/manage', '/events/ukgc27/organisers', { who: '@bryn' })
    assert.equal((await bryn.get('/events/ukgc27/manage')).status, 403, 'invited is not yet an organiser')
    assert.equal(await acceptInvitations(bryn), 1)
    assert.equal((await bryn.get('/events/ukgc27/manage')).status, 200)
  })
})
