// ActivityPub (issue 21): a second server on the loopback interface (test/helpers/fediverse-peer.ts,
// Fedify with real keys and HTTP signatures) follows a community and hears about its meetups.
import assert from 'node:assert/strict'
import net from 'node:net'
import { test } from 'node:test'
import { buildApp } from '../../src/app.js'
import type { Config } from '../../src/config.js'
import { testConfig } from '../helpers/build-test-app.js'
import { createCommunity, person } from '../helpers/communities.js'
import { startPeer, type Peer } from '../helpers/fediverse-peer.js'
import { createEvent, organiser, propose, setPhase } from '../helpers/events.js'
import { campWithRooms, gridIds, place } from '../helpers/schedule.js'
import { createMeetup, lunchForm } from '../helpers/meetups.js'

type App = Awaited<ReturnType<typeof buildApp>>
/** A JSON-LD document as received: the assertions below read it field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>

async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** The app on a real port of 127.0.0.1, its base URL that address, its queue quick. */
async function listeningApp(t: { after: (fn: () => Promise<void>) => void }, overrides: Partial<Config> = {}): Promise<{ app: App; origin: string }> {
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const { config, drop } = await testConfig({ baseUrl: origin, port, allowPrivatePeers: true, federationWorker: true, ...overrides })
  const app = await appOn(config)
  t.after(async () => {
    await app.close()
    await drop()
  })
  return { app, origin }
}

/** An app listening on the config's port, its queue quick: a second one may follow on the same database. */
async function appOn(config: Config): Promise<App> {
  const app = await buildApp(config, { logger: process.env.AP_DEBUG ? { level: 'warn' } : false, federationQueue: { pollIntervalMs: 25 } })
  await app.listen({ port: config.port, host: '127.0.0.1' })
  return app
}

async function getJson(url: string, accept = 'application/activity+json'): Promise<{ status: number; json: Doc }> {
  const response = await fetch(url, { headers: { accept } })
  const body = await response.text()
  return { status: response.status, json: body.startsWith('{') ? (JSON.parse(body) as Doc) : {} }
}

/** iCalendar's status, however the JSON-LD was compacted (prefixed or full IRI). */
function icalStatus(object: Doc): unknown {
  return object['ical:status'] ?? object['http://www.w3.org/2002/12/cal/ical#status']
}

async function waitUntil<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (ok(value)) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

async function withPeer(t: { after: (fn: () => Promise<void>) => void }): Promise<Peer> {
  const peer = await startPeer()
  t.after(() => peer.close())
  return peer
}

/** Olu's community, followed by the peer, its Accept received: where most tests here start. */
async function followedCommunity(app: App, origin: string, peer: Peer) {
  const host = await person(app, 'Olu')
  await createCommunity(host)
  const community = await app.db.selectFrom('communities').selectAll().executeTakeFirstOrThrow()
  await peer.follow(`${origin}/ap/actors/c${community.id}`)
  await peer.waitFor((a) => a.type === 'Accept')
  return { host, community }
}

test('a community is a Group found by WebFinger as @hashtag@host, with NodeInfo beside it', async (t) => {
  const { app, origin } = await listeningApp(t)
  const host = await person(app, 'Olu')
  await createCommunity(host)
  const community = await app.db.selectFrom('communities').selectAll().executeTakeFirstOrThrow()
  const hostName = new URL(origin).host

  const finger = await getJson(`${origin}/.well-known/webfinger?resource=${encodeURIComponent(`acct:lgovsm@${hostName}`)}`, 'application/jrd+json')
  assert.equal(finger.status, 200)
  assert.equal(finger.json.subject, `acct:lgovsm@${hostName}`)
  const self = (finger.json.links as { rel: string; type?: string; href: string }[]).find((link) => link.rel === 'self')
  assert.equal(self?.type, 'application/activity+json')
  assert.equal(self?.href, `${origin}/ap/actors/c${community.id}`)
  assert.equal((await getJson(`${origin}/.well-known/webfinger?resource=acct:nobody@${hostName}`, 'application/jrd+json')).status, 404)

  const actor = await getJson(self!.href)
  assert.equal(actor.status, 200)
  assert.equal(actor.json.type, 'Group')
  assert.equal(actor.json.preferredUsername, 'lgovsm')
  assert.equal(actor.json.name, 'Local gov social media')
  assert.match(actor.json.summary, /<strong>local government<\/strong>/)
  assert.equal(actor.json.url, `${origin}/communities/${community.slug}`)
  assert.equal(actor.json.inbox, `${self!.href}/inbox`)
  assert.equal(actor.json.outbox, `${self!.href}/outbox`)
  assert.equal(actor.json.followers, `${self!.href}/followers`)
  assert.equal(actor.json.endpoints.sharedInbox, `${origin}/ap/inbox`)
  assert.match(actor.json.publicKey.publicKeyPem, /^-----BEGIN PUBLIC KEY-----/)
  assert.equal(actor.json.assertionMethod.length, 2, 'an RSA and an Ed25519 key')
  const keys = await app.db.selectFrom('federation_keys').select(['algorithm']).execute()
  assert.deepEqual(keys.map((k) => k.algorithm).sort(), ['Ed25519', 'RSASSA-PKCS1-v1_5'])
  assert.doesNotMatch(JSON.stringify(actor.json), /"d":/, 'no private key part in the actor')
  assert.equal((await getJson(`${origin}/ap/actors/c999`)).status, 404)
  // Opened in a browser, the actor's address leads to the community page.
  const browsed = await fetch(self!.href, { headers: { accept: 'text/html' }, redirect: 'manual' })
  assert.equal(browsed.status, 303)
  assert.equal(browsed.headers.get('location'), `/communities/${community.slug}`)

  const wellKnown = await getJson(`${origin}/.well-known/nodeinfo`, 'application/json')
  const nodeInfoUrl = (wellKnown.json.links as { href: string }[])[0]!.href
  assert.equal(nodeInfoUrl, `${origin}/nodeinfo/2.1`)
  const nodeInfo = await getJson(nodeInfoUrl, 'application/json')
  assert.equal(nodeInfo.json.software.name, 'hashcamp')
  assert.match(nodeInfo.json.software.version, /^\d+\.\d+\.\d+$/)
  assert.deepEqual(nodeInfo.json.protocols, ['activitypub'])
  assert.equal(nodeInfo.json.usage.users.total, 1)

  // The community page says how to follow it from Mastodon, in English and in Welsh.
  const page = await fetch(`${origin}/communities/${community.slug}`)
  const html = await page.text()
  assert.match(html, /<h2[^>]*>Follow from Mastodon<\/h2>/)
  assert.match(html, new RegExp(`value="@lgovsm@${hostName.replaceAll('.', '\\.')}"`))
  const welsh = await (await fetch(`${origin}/communities/${community.slug}`, { headers: { 'accept-language': 'cy' } })).text()
  assert.match(welsh, /Dilyn o Mastodon/)
})

test('a follower on another server is accepted, and hears of a new meetup, an edit and a cancellation, until it unfollows', async (t) => {
  const { app, origin } = await listeningApp(t)
  const peer = await withPeer(t)
  const host = await person(app, 'Olu')
  await createCommunity(host)
  const community = await app.db.selectFrom('communities').selectAll().executeTakeFirstOrThrow()
  const actorUrl = `${origin}/ap/actors/c${community.id}`

  const target = await peer.follow(actorUrl)
  const accept = await peer.waitFor((a) => a.type === 'Accept')
  assert.equal(accept.json.actor, actorUrl)
  const followers = await app.db.selectFrom('federation_followers').selectAll().execute()
  assert.equal(followers.length, 1)
  assert.equal(followers[0]!.actor_id, peer.actorId.href)
  assert.equal(followers[0]!.target_actor, `c${community.id}`)
  const collection = await getJson(`${actorUrl}/followers`)
  assert.equal(collection.json.totalItems, 1)

  // A new meetup in the community: Create(Event).
  assert.equal((await createMeetup(host, { communitySlug: community.slug, venueAddress: '1 High Street, Leeds' })).status, 303)
  const meetup = await app.db.selectFrom('meetups').selectAll().executeTakeFirstOrThrow()
  const create = await peer.waitFor((a) => a.type === 'Create')
  assert.equal(create.json.actor, actorUrl)
  const event = create.json.object as Doc
  assert.equal(event.type, 'Event')
  assert.equal(event.id, `${origin}/ap/meetups/${meetup.id}`)
  assert.equal(event.name, 'Lunch on Saturday')
  assert.equal(new Date(event.startTime).toISOString(), meetup.starts_at)
  assert.equal(new Date(event.endTime).toISOString(), meetup.ends_at)
  assert.equal(event.url, `${origin}/meetups/${meetup.slug}`)
  assert.equal(event.location.type, 'Place')
  assert.equal(event.location.name, 'The Café (demo), 1 High Street, Leeds')
  assert.match(event.content, /#<span>lgovsm<\/span>/)
  assert.match(event.content, new RegExp(`href="${origin}/meetups/${meetup.slug}"`))
  assert.equal(icalStatus(event), 'CONFIRMED')
  assert.ok((create.json.cc as string[] | string).includes(`${actorUrl}/followers`))
  // The Event can be fetched at its id, as Mastodon does; there it says ical:status as Mobilizon does.
  const fetched = await getJson(event.id)
  assert.equal(fetched.json.name, 'Lunch on Saturday')
  assert.equal(fetched.json['ical:status'], 'CONFIRMED')

  // An edit: Update with the new title.
  const edit = await host.submit(`/meetups/${meetup.slug}/edit`, `/meetups/${meetup.slug}/edit`, { ...lunchForm, title: 'Lunch on Sunday', slug: meetup.slug, communitySlug: community.slug })
  assert.equal(edit.status, 303)
  const update = await peer.waitFor((a) => a.type === 'Update')
  assert.equal((update.json.object as Doc).name, 'Lunch on Sunday')

  // A cancellation: an Update that says so.
  assert.equal((await host.submit(`/meetups/${meetup.slug}/cancel`, `/meetups/${meetup.slug}/cancel`, { reason: 'Rain' })).status, 303)
  const cancelled = await peer.waitFor((a) => a.type === 'Update' && icalStatus(a.json.object as Doc) === 'CANCELLED')
  assert.equal((cancelled.json.object as Doc).name, 'Cancelled: Lunch on Sunday')

  // The outbox lists what was sent, newest first.
  const outbox = await getJson(`${actorUrl}/outbox`)
  assert.equal(outbox.json.totalItems, 3)

  // Undo(Follow): no longer a follower.
  await peer.unfollow(target)
  await waitUntil(() => app.db.selectFrom('federation_followers').selectAll().execute(), (rows) => rows.length === 0, 'the follower to be removed')
})

test('deliveries queued while no worker ran are sent by the next app process as soon as it is ready', async (t) => {
  // Fedify loads on first use (src/plugins/federation.ts): a process that starts with
  // deliveries waiting must load it and send them without anything else asking.
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const { config, drop } = await testConfig({ baseUrl: origin, port, allowPrivatePeers: true, federationWorker: true })
  const running = new Set<App>()
  const start = async (settings: Config) => {
    const app = await appOn(settings)
    running.add(app)
    return app
  }
  const stop = async (app: App) => {
    running.delete(app)
    await app.close()
  }
  // Every app closed before its database is dropped, whatever failed.
  t.after(async () => {
    for (const app of running) await app.close()
    await drop()
  })
  const peer = await withPeer(t)
  const first = await start(config)
  const { host, community } = await followedCommunity(first, origin, peer)
  await createMeetup(host, { communitySlug: community.slug })
  await peer.waitFor((a) => a.type === 'Create')
  await stop(first)

  // A process without a worker queues an edit's Update and stops before anyone sends it.
  const second = await start({ ...config, federationWorker: false })
  const meetup = await second.db.selectFrom('meetups').selectAll().executeTakeFirstOrThrow()
  await second.db.updateTable('meetups').set({ title: 'Lunch moved indoors' }).where('id', '=', meetup.id).execute()
  await second.fediverse.meetupChanged(meetup.id)
  assert.ok((await second.db.selectFrom('fedify_queue').select('id').execute()).length > 0, 'the Update waits in the queue')
  await stop(second)

  await start(config)
  const update = await peer.waitFor((a) => a.type === 'Update')
  assert.equal((update.json.object as Doc).name, 'Lunch moved indoors')
})

test('a deleted meetup is deleted on the follower’s server too', async (t) => {
  const { app, origin } = await listeningApp(t)
  const peer = await withPeer(t)
  const { host, community } = await followedCommunity(app, origin, peer)
  await createMeetup(host, { communitySlug: community.slug })
  const meetup = await app.db.selectFrom('meetups').selectAll().executeTakeFirstOrThrow()
  await peer.waitFor((a) => a.type === 'Create')
  // Nobody has replied: its host may delete it.
  const deleted = await host.submit(`/meetups/${meetup.slug}/delete`, `/meetups/${meetup.slug}/delete`, { confirm: 'yes' })
  assert.equal(deleted.status, 303)
  const del = await peer.waitFor((a) => a.type === 'Delete')
  assert.equal((del.json.object as Doc).id, `${origin}/ap/meetups/${meetup.id}`)
  assert.equal((del.json.object as Doc).type, 'Tombstone')
  assert.equal((await getJson(`${origin}/ap/meetups/${meetup.id}`)).status, 404)
})

test('a meetup a moderator hides is deleted on the follower’s server, and comes back when restored', async (t) => {
  const { app, origin } = await listeningApp(t)
  const peer = await withPeer(t)
  const { host, community } = await followedCommunity(app, origin, peer)
  const member = await person(app, 'Mo')
  await member.submit(`/communities/${community.slug}`, `/communities/${community.slug}/join`, {})
  assert.equal((await createMeetup(member, { communitySlug: community.slug })).status, 303)
  const meetup = await app.db.selectFrom('meetups').selectAll().executeTakeFirstOrThrow()
  await peer.waitFor((a) => a.type === 'Create')

  const reporter = await person(app, 'Bryn')
  await reporter.get(`/report/meetup/${meetup.id}`)
  assert.equal((await reporter.post(`/report/meetup/${meetup.id}`, { reason: 'Not a real picnic' })).status, 303)
  const report = await app.db.selectFrom('reports').select('id').executeTakeFirstOrThrow()
  await host.get(`/moderation/reports/${report.id}`)
  assert.equal((await host.post(`/moderation/reports/${report.id}/hide`, { reason: 'Picnics need a venue' })).status, 303)
  const del = await peer.waitFor((a) => a.type === 'Delete')
  assert.equal((del.json.object as Doc).id, `${origin}/ap/meetups/${meetup.id}`)
  assert.equal((await getJson(`${origin}/ap/meetups/${meetup.id}`)).status, 404, 'a hidden meetup is not served either')

  await host.get(`/moderation/reports/${report.id}`)
  assert.equal((await host.post(`/moderation/reports/${report.id}/restore`, {})).status, 303)
  await peer.waitFor((a) => a.type === 'Create' && peer.received.indexOf(a) > peer.received.indexOf(del))
})

test('a public event is a Group too, found by its slug, and its followers hear of the meetups listed on it and of its published schedule', async (t) => {
  const { app, origin } = await listeningApp(t)
  const peer = await withPeer(t)
  const admin = await person(app, 'Site Admin')
  const org = await organiser(app, admin, 'Ola Organiser')
  assert.equal((await createEvent(org)).status, 303)
  const event = await app.db.selectFrom('events').selectAll().executeTakeFirstOrThrow()
  const hostName = new URL(origin).host
  const finger = (slug: string) => getJson(`${origin}/.well-known/webfinger?resource=${encodeURIComponent(`acct:${slug}@${hostName}`)}`, 'application/jrd+json')
  assert.equal((await finger(event.slug)).status, 404, 'a draft event is no actor')
  assert.doesNotMatch(await (await fetch(`${origin}/events/${event.slug}`)).text(), /Follow from Mastodon/)

  await setPhase(org, event.slug, 'proposals')
  const self = ((await finger(event.slug)).json.links as { rel: string; href: string }[]).find((link) => link.rel === 'self')
  assert.equal(self?.href, `${origin}/ap/actors/e${event.id}`)
  const actor = await getJson(self!.href)
  assert.equal(actor.json.type, 'Group')
  assert.equal(actor.json.name, 'UKGovCamp 2027')
  assert.equal(actor.json.url, `${origin}/events/${event.slug}`)
  assert.match(await (await fetch(`${origin}/events/${event.slug}`)).text(), new RegExp(`value="@${event.slug}@${hostName.replaceAll('.', '\\.')}"`))

  await peer.follow(self!.href)
  await peer.waitFor((a) => a.type === 'Accept' && a.json.actor === self!.href)
  // An organiser lists a meetup on it: listed at once, and sent by the event.
  assert.equal((await createMeetup(org, { eventSlug: event.slug })).status, 303)
  const create = await peer.waitFor((a) => a.type === 'Create')
  assert.equal(create.json.actor, self!.href)
  assert.equal((create.json.object as Doc).name, 'Lunch on Saturday')
  assert.match((create.json.object as Doc).content, /#<span>ukgc27<\/span>/)

  // Publishing the schedule is news: a Note, once, however often the phase steps back and forth.
  await setPhase(org, event.slug, 'pitching', 'published', 'pitching', 'published')
  const note = await peer.waitFor((a) => a.type === 'Create' && (a.json.object as Doc).type === 'Note')
  assert.equal(note.json.actor, self!.href)
  assert.match((note.json.object as Doc).content, /The schedule for UKGovCamp 2027 is published\./)
  assert.match((note.json.object as Doc).content, new RegExp(`href="${origin}/events/${event.slug}/schedule"`))
  await new Promise((resolve) => setTimeout(resolve, 300))
  assert.equal(peer.received.filter((a) => (a.json.object as Doc | undefined)?.type === 'Note').length, 1)
})

test('followers hear the topic of an upcoming chat when the hosts choose it, change it or clear it', async (t) => {
  const { app, origin } = await listeningApp(t)
  const peer = await withPeer(t)
  const { host, community } = await followedCommunity(app, origin, peer)
  for (const title of ['Crisis comms', 'Video on a budget']) {
    await host.submit('/communities/lgovsm/topics/new', '/communities/lgovsm/topics', { title, description: '' })
  }
  const ids = Object.fromEntries((await app.db.selectFrom('topics').select(['id', 'title']).execute()).map((r) => [r.title, r.id]))
  const chats = await host.get('/communities/lgovsm/chats')
  const next = /\/chats\/(\d{4}-\d{2}-\d{2})\/move/.exec(chats.html)![1]!
  const notesAbout = (type: string) => peer.received.filter((a) => a.type === type && ((a.json.object as Doc | undefined)?.type === 'Note' || type === 'Delete'))

  await host.post(`/communities/lgovsm/chats/${next}/topic`, { topicId: String(ids['Crisis comms']) })
  const created = await peer.waitFor((a) => a.type === 'Create' && (a.json.object as Doc).type === 'Note')
  const note = created.json.object as Doc
  assert.equal(note.id, `${origin}/ap/notes/chat-${community.id}-${next}`)
  assert.match(note.content, /#<span>lgovsm<\/span>/)
  // The chat's day and time in the community's zone (Wednesdays at 20:00, London), then the topic.
  assert.match(note.content, /Next chat: Wednesday, \d{1,2} \w+ \d{4}, 20:00 (Greenwich Mean Time|British Summer Time)\. Topic: Crisis comms/)
  assert.match(note.content, new RegExp(`href="${origin}/communities/lgovsm/chats"`))

  await host.post(`/communities/lgovsm/chats/${next}/topic`, { topicId: String(ids['Video on a budget']) })
  const updated = await peer.waitFor((a) => a.type === 'Update' && (a.json.object as Doc).type === 'Note')
  assert.match((updated.json.object as Doc).content, /Topic: Video on a budget/)

  await host.post(`/communities/lgovsm/chats/${next}/topic`, { topicId: '' })
  const deleted = await peer.waitFor((a) => a.type === 'Delete')
  assert.equal(((deleted.json.object as Doc).id ?? deleted.json.object) as string, note.id)
  assert.equal(notesAbout('Create').length, 1)
  assert.equal(notesAbout('Update').length, 1)
})

test('once the schedule is published, its followers hear each change in the changelog’s words, and never the same change twice', async (t) => {
  const { app, origin } = await listeningApp(t)
  const peer = await withPeer(t)
  const { org, slug } = await campWithRooms(app, [{ name: 'Hall' }, { name: 'Snug' }])
  const event = await app.db.selectFrom('events').selectAll().executeTakeFirstOrThrow()
  // Proposed by someone else, so the organiser may moderate it below.
  const alt = await propose(await person(app, 'Sam'), slug, 'Alt text that helps')
  const plain = await propose(org, slug, 'Plain English')
  const { rooms, sessionSlots } = await gridIds(app, slug)
  await place(org, slug, alt, sessionSlots[0]!, rooms.Hall!)
  await place(org, slug, plain, sessionSlots[0]!, rooms.Snug!)
  await peer.follow(`${origin}/ap/actors/e${event.id}`)
  await peer.waitFor((a) => a.type === 'Accept')
  await setPhase(org, slug, 'pitching', 'published')
  await peer.waitFor((a) => a.type === 'Create' && /is published/.test((a.json.object as Doc).content ?? ''))
  // Each session on the grid is an Event of its own, as Mobilizon shows an event's programme.
  const sessionEvents = () => peer.received.filter((a) => (a.json.object as Doc | undefined)?.type === 'Event')
  await waitUntil(async () => sessionEvents().length, (n) => n === 2, 'two session Events')
  const altEvent = sessionEvents().find((a) => (a.json.object as Doc).name === 'Alt text that helps')!
  assert.equal(altEvent.type, 'Create')
  const altObject = altEvent.json.object as Doc
  assert.equal(altObject.id, `${origin}/ap/sessions/${alt}`)
  assert.equal(altObject.url, `${origin}/events/${slug}/proposals/${alt}`)
  assert.equal(altObject.location.name, `Hall, ${event.venue_name}`)
  assert.equal(icalStatus(altObject), 'CONFIRMED')
  const slotsById = new Map((await app.db.selectFrom('slots').select(['id', 'starts_at', 'ends_at']).execute()).map((row) => [row.id, row]))
  assert.equal(new Date(altObject.startTime).toISOString(), slotsById.get(sessionSlots[0]!)!.starts_at)
  // Fetched at its id by a Fediverse server it is the same Event; a browser is sent to the page.
  const fetched = await getJson(altObject.id)
  assert.equal(fetched.status, 200)
  assert.equal(fetched.json.name, 'Alt text that helps')
  assert.equal(fetched.json['ical:status'], 'CONFIRMED')
  const inBrowser = await fetch(altObject.id, { redirect: 'manual', headers: { accept: 'text/html' } })
  assert.equal(inBrowser.status, 303)
  assert.equal(inBrowser.headers.get('location'), `/events/${slug}/proposals/${alt}`)
  assert.equal((await getJson(`${origin}/ap/sessions/999999`)).status, 404)

  // Before publishing, placing sessions was not news; after it, a move and a cancellation are.
  await place(org, slug, alt, sessionSlots[2]!, rooms.Hall!)
  const moved = await peer.waitFor((a) => a.type === 'Create' && /Changes to the schedule/.test((a.json.object as Doc).content ?? ''))
  // The session's Event is updated to its new time (an edit of the post Mastodon already has).
  const altUpdate = await peer.waitFor((a) => a.type === 'Update' && (a.json.object as Doc).id === altObject.id)
  assert.equal(new Date((altUpdate.json.object as Doc).startTime).toISOString(), slotsById.get(sessionSlots[2]!)!.starts_at)
  assert.equal(moved.json.actor, `${origin}/ap/actors/e${event.id}`)
  assert.match((moved.json.object as Doc).content, /“Alt text that helps” moved from Hall, 10:00 to Hall, 12:00/)
  assert.match((moved.json.object as Doc).content, new RegExp(`href="${origin}/events/${slug}/schedule"`))

  await org.get(`/events/${slug}/schedule/edit`)
  await org.post(`/events/${slug}/schedule/unassign`, { proposal: String(plain) })
  const cancelled = await peer.waitFor((a) => a.type === 'Create' && /cancelled \(was Snug, 10:00\)/.test((a.json.object as Doc).content ?? ''))
  const plainCancelled = await peer.waitFor((a) => a.type === 'Update' && (a.json.object as Doc).id === `${origin}/ap/sessions/${plain}`)
  assert.equal(icalStatus(plainCancelled.json.object as Doc), 'CANCELLED')
  assert.match((plainCancelled.json.object as Doc).name, /^Cancelled: Plain English/)
  // Each Note carries only what the last one did not.
  assert.doesNotMatch((cancelled.json.object as Doc).content, /moved from Hall/)
  const changeNotes = () => peer.received.filter((a) => a.type === 'Create' && /Changes to the schedule/.test((a.json.object as Doc).content ?? ''))
  assert.equal(changeNotes().length, 2)
  // A grid change that records nothing (pinning) sends nothing.
  await org.post(`/events/${slug}/schedule/pin`, { proposal: String(alt), pinned: '1' })
  await new Promise((resolve) => setTimeout(resolve, 300))
  assert.equal(changeNotes().length, 2)

  // A session a moderator hides is deleted on the follower's server, and sent again when restored.
  const reporter = await person(app, 'Bryn')
  await reporter.get(`/report/proposal/${alt}`)
  assert.equal((await reporter.post(`/report/proposal/${alt}`, { reason: 'Spam' })).status, 303)
  const report = await app.db.selectFrom('reports').select('id').executeTakeFirstOrThrow()
  await org.get(`/moderation/reports/${report.id}`)
  assert.equal((await org.post(`/moderation/reports/${report.id}/hide`, { reason: 'Off topic' })).status, 303)
  const hidden = await peer.waitFor((a) => a.type === 'Delete' && ((a.json.object as Doc).id ?? a.json.object) === altObject.id)
  assert.equal((await getJson(altObject.id)).status, 404, 'a hidden session is not served either')
  await org.get(`/moderation/reports/${report.id}`)
  assert.equal((await org.post(`/moderation/reports/${report.id}/restore`, {})).status, 303)
  await peer.waitFor((a) => a.type === 'Create' && (a.json.object as Doc).id === altObject.id && peer.received.indexOf(a) > peer.received.indexOf(hidden))
})

test('an unsigned inbox POST, or one signed with a key that is not the actor’s, is refused and nothing is stored', async (t) => {
  const { app, origin } = await listeningApp(t)
  const peer = await withPeer(t)
  const host = await person(app, 'Olu')
  await createCommunity(host)
  const community = await app.db.selectFrom('communities').selectAll().executeTakeFirstOrThrow()
  const actorUrl = `${origin}/ap/actors/c${community.id}`
  const body = JSON.stringify(peer.followJson(actorUrl))
  const post = () => new Request(`${actorUrl}/inbox`, { method: 'POST', headers: { 'content-type': 'application/activity+json' }, body })

  const unsigned = await fetch(post())
  assert.equal(unsigned.status, 401)
  const forged = await fetch(await peer.signWithWrongKey(post()))
  assert.equal(forged.status, 401)
  // Given the queue time to run anything it might have taken in.
  await new Promise((resolve) => setTimeout(resolve, 300))
  assert.equal((await app.db.selectFrom('federation_followers').selectAll().execute()).length, 0)
  assert.equal(peer.received.length, 0, 'no Accept went out')
})

test('with private peers not allowed, the app will not fetch from the loopback interface', async (t) => {
  const { app, origin } = await listeningApp(t, { allowPrivatePeers: false })
  const peer = await withPeer(t)
  const host = await person(app, 'Olu')
  await createCommunity(host)
  const community = await app.db.selectFrom('communities').selectAll().executeTakeFirstOrThrow()
  // The peer's Follow is signed properly, but its key lives on 127.0.0.1: the app may not fetch it.
  await assert.rejects(peer.follow(`${origin}/ap/actors/c${community.id}`))
  await new Promise((resolve) => setTimeout(resolve, 300))
  assert.equal((await app.db.selectFrom('federation_followers').selectAll().execute()).length, 0)
})
