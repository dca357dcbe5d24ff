// Calendars: one-item downloads (a session, a meetup, a chat), subscription feeds (an event's
// schedule; a community's chats and meetups), and each person's private feed. Everything is
// written by src/lib/ics.ts and served with ETag / Last-Modified (src/lib/http-cache.ts).
import crypto from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { calendarText, type CalendarInfo, type CalendarItem } from '../../lib/ics.js'
import { etagOf, feedVersion, sendCacheable, type Cacheable } from '../../lib/http-cache.js'
import { EVENT_CACHE_TTL_MS, VersionedCache } from '../../lib/versioned-cache.js'
import { NotFoundError } from '../../lib/http-errors.js'
import { CsrfField, Id, Slug } from '../../lib/schema-fields.js'
import { isValidDate } from '../../lib/zoned-time.js'
import { requireSignIn } from '../../plugins/auth.js'
import { communityOr404 } from '../communities/community-access.js'
import { eventOr404 } from '../events/event-access.js'
import { isSchedulePublished } from '../events/phases.js'
import { findMeetupBySlug } from '../meetups/meetups.queries.js'
import { deletedCommunityMeetups, deletedPersonalMeetups, findTombstone } from '../deletions/deletions.queries.js'
import { chatItems, deletedMeetupItem, meetupItem, sessionItem, siteOf, windowStart } from './calendar-items.js'
import {
  chatsOf,
  communityMeetups,
  eventSessions,
  findToken,
  findTokenOwner,
  memberCommunityIds,
  oneSession,
  personalMeetups,
  personalSessions,
  replaceToken,
} from './calendars.queries.js'
import { subscribeLinks } from './subscribe.js'
import { frabJson, frabModel, frabXml } from './frab.js'
import { listSessionPeople } from '../schedule/grid.queries.js'
import { listRooms } from '../schedule/rooms.queries.js'

const ICS_TYPE = 'text/calendar; charset=utf-8'
const SlugOnly = Type.Object({ slug: Slug })
const SessionParams = Type.Object({ slug: Slug, id: Id })
const ChatParams = Type.Object({ slug: Slug, date: Type.String({ maxLength: 10 }) })
const TokenParams = Type.Object({ file: Type.String({ maxLength: 80 }) })

/** At least 128 random bits (here 192), URL-safe. */
export function newCalendarToken(): string {
  return crypto.randomBytes(24).toString('base64url')
}

const calendarsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app
  const site = siteOf(app.config.baseUrl)

  /** Serves a calendar: Last-Modified is when this body last changed (see feed_versions). */
  const serve = async (request: FastifyRequest, reply: FastifyReply, key: string, info: CalendarInfo, items: CalendarItem[], extra: { filename?: string; private?: boolean } = {}) => {
    const body = calendarText(info, items)
    const lastModified = await feedVersion(db, `${request.i18n.locale}:${key}`, body, new Date())
    return sendCacheable(request, reply, { body, lastModified, contentType: ICS_TYPE, ...extra })
  }

  // An event's feeds are built once per change of the event: see event-feed-cache.ts.
  const feedOf = (event: { id: number; slug: string; phase: string }) => ({ id: event.id, slug: event.slug, isPublic: event.phase !== 'draft' })

  app.get('/events/:slug/schedule.ics', { schema: { params: SlugOnly } }, async (request, reply) => {
    const { event } = await eventOr404(db, request.params.slug, request.currentUser)
    const built = await app.eventFeeds.get('ics', request.i18n.locale, feedOf(event), async () => {
      const rows = await eventSessions(db, event.id, windowStart(new Date()).toISOString())
      return calendarText({ name: request.i18n.t('calendar.eventName', { name: event.name }) }, rows.map((r) => sessionItem(site, r)))
    })
    return sendCacheable(request, reply, { ...built, contentType: ICS_TYPE })
  })

  // Schedule files for conference apps: published sessions only (no cancelled ones: these
  // formats have no way to say so).
  const frabModelOf = async (event: Awaited<ReturnType<typeof eventOr404>>['event']) => {
    // Until the schedule is published the files show the event and nothing else: rooms and
    // their capacities are the organisers' draft too.
    if (!isSchedulePublished(event)) return frabModel(site, event, [], [], [], event.updated_at)
    const [rooms, sessions, people] = await Promise.all([listRooms(db, event.id), eventSessions(db, event.id, windowStart(new Date()).toISOString()), listSessionPeople(db, event.id)])
    // Cancelled sessions are not in the files, but their cancelling is a change of version.
    const version = [event.updated_at, ...sessions.flatMap((s) => [s.entry_updated, s.proposal_updated, s.slot_updated, s.room_updated])].sort().at(-1)!
    return frabModel(site, event, rooms, sessions, people, version)
  }
  /** schedule.json and schedule.xml, cached like the event's feed. */
  const serveFrab = async (request: FastifyRequest, reply: FastifyReply, slug: string, format: 'json' | 'xml') => {
    const { event } = await eventOr404(db, slug, request.currentUser)
    const built = await app.eventFeeds.get(format, request.i18n.locale, feedOf(event), async () => {
      const model = await frabModelOf(event)
      return format === 'json' ? JSON.stringify(frabJson(model)) : frabXml(model, `${app.config.baseUrl}/events/${event.slug}/schedule.xml`)
    })
    return sendCacheable(request, reply, { ...built, contentType: format === 'json' ? 'application/json; charset=utf-8' : 'application/xml; charset=utf-8' })
  }

  app.get('/events/:slug/schedule.json', { schema: { params: SlugOnly } }, async (request, reply) => serveFrab(request, reply, request.params.slug, 'json'))
  app.get('/events/:slug/schedule.xml', { schema: { params: SlugOnly } }, async (request, reply) => serveFrab(request, reply, request.params.slug, 'xml'))

  app.get('/events/:slug/proposals/:id/calendar.ics', { schema: { params: SessionParams } }, async (request, reply) => {
    const { event } = await eventOr404(db, request.params.slug, request.currentUser)
    const row = await oneSession(db, event.id, request.params.id)
    if (!row) throw new NotFoundError('not on the published schedule')
    const item = sessionItem(site, row)
    return serve(request, reply, `session-${row.proposal_id}`, { name: item.title }, [item], { filename: `${event.slug}-${row.proposal_id}.ics` })
  })

  app.get('/meetups/:slug/calendar.ics', { schema: { params: SlugOnly } }, async (request, reply) => {
    const meetup = await findMeetupBySlug(db, request.params.slug)
    if (!meetup) {
      // Deleted: the file goes on saying so, CANCELLED, to a calendar that subscribed to it.
      const tombstone = await findTombstone(db, 'meetup', request.params.slug)
      if (!tombstone) throw new NotFoundError('no such meetup')
      return serve(request, reply, `meetup-${tombstone.target_id}`, { name: tombstone.title }, [deletedMeetupItem(site, tombstone)], { filename: `${tombstone.slug}.ics` })
    }
    if (meetup.hidden_at) throw new NotFoundError('no such meetup')
    return serve(request, reply, `meetup-${meetup.id}`, { name: meetup.title }, [meetupItem(site, request.i18n.t, meetup)], { filename: `${meetup.slug}.ics` })
  })

  app.get('/communities/:slug/calendar.ics', { schema: { params: SlugOnly } }, async (request, reply) => {
    const { community } = await communityOr404(db, request.params.slug, request.currentUser)
    const now = new Date()
    const since = windowStart(now).toISOString()
    const [chats, meetups, deleted] = await Promise.all([chatsOf(db, [community.id]), communityMeetups(db, community.id, since), deletedCommunityMeetups(db, community.id, since)])
    const items = [
      ...chats.flatMap((c) => chatItems(site, request.i18n.t, c, now)),
      ...meetups.map((m) => meetupItem(site, request.i18n.t, m)),
      ...deleted.map((d) => deletedMeetupItem(site, d)),
    ]
    // A name that already holds the hashtag ("#lgovsm — local gov social media") is the calendar's name as it is.
    const named = community.name.toLowerCase().includes(`#${community.hashtag.toLowerCase()}`)
    const calendarName = named ? community.name : request.i18n.t('calendar.communityName', { hashtag: community.hashtag, name: community.name })
    return serve(request, reply, `community-${community.id}`, { name: calendarName }, byStart(items))
  })

  app.get('/communities/:slug/chats/:date/calendar.ics', { schema: { params: ChatParams } }, async (request, reply) => {
    const { community } = await communityOr404(db, request.params.slug, request.currentUser)
    if (!isValidDate(request.params.date)) throw new NotFoundError('not a date')
    const [chats] = await chatsOf(db, [community.id])
    const items = chats ? chatItems(site, request.i18n.t, chats, new Date(), request.params.date) : []
    if (!items.length) throw new NotFoundError('no chat that day')
    return serve(request, reply, `chat-${community.id}-${request.params.date}`, { name: items[0]!.title }, items, { filename: `${community.slug}-${request.params.date}.ics` })
  })

  // The personal feed: a secret URL, so calendar apps (which cannot sign in) can read it.
  // Built once per data version (src/db/data-version.ts): the token is in the key, and
  // revoking or replacing it is a write, so the old token stops working at once.
  const personalFeeds = new VersionedCache<Cacheable>({ ttlMs: EVENT_CACHE_TTL_MS, maxEntries: 200 })
  app.get('/calendar/:file', { schema: { params: TokenParams } }, async (request, reply) => {
    const token = /^([A-Za-z0-9_-]{32,64})\.ics$/.exec(request.params.file)?.[1]
    if (!token) throw new NotFoundError('no such calendar')
    const feed = await personalFeeds.get(`${request.i18n.locale}:${token}`, app.dataVersion.current(), async () => {
      const userId = await findTokenOwner(db, token)
      if (userId === undefined) throw new NotFoundError('no such calendar')
      const now = new Date()
      const since = windowStart(now).toISOString()
      const [sessions, meetups, deleted, chats] = await Promise.all([
        personalSessions(db, userId, since),
        personalMeetups(db, userId, since),
        deletedPersonalMeetups(db, userId, since),
        memberCommunityIds(db, userId).then((ids) => chatsOf(db, ids)),
      ])
      const items = [
        ...sessions.map((r) => sessionItem(site, r)),
        ...meetups.map((m) => meetupItem(site, request.i18n.t, m, { status: m.personal_status, updated: m.personal_updated })),
        ...deleted.map((d) => deletedMeetupItem(site, d)),
        ...chats.flatMap((c) => chatItems(site, request.i18n.t, c, now)),
      ]
      const text = calendarText({ name: request.i18n.t('calendar.personalName') }, byStart(items))
      const lastModified = await feedVersion(db, `${request.i18n.locale}:person-${userId}`, text, now)
      const body = Buffer.from(text)
      return { body, etag: etagOf(body), lastModified, contentType: ICS_TYPE, private: true }
    })
    return sendCacheable(request, reply, feed)
  })

  app.get('/me/calendar', { preHandler: requireSignIn }, async (request, reply) => {
    const token = await findToken(db, request.currentUser!.id)
    return reply.viewAsync('calendars/me', { title: request.i18n.t('calendar.me.title'), subscribe: token ? subscribeLinks(app.config.baseUrl, `/calendar/${token}.ics`) : null })
  })

  app.post('/me/calendar', { preHandler: requireSignIn, schema: { body: Type.Object({ _csrf: CsrfField }) } }, async (request, reply) => {
    const had = await findToken(db, request.currentUser!.id)
    await replaceToken(db, request.currentUser!.id, newCalendarToken(), new Date().toISOString())
    reply.flash(had ? 'calendar.me.regenerated' : 'calendar.me.created')
    return reply.redirect('/me/calendar', 303)
  })
}

function byStart(items: CalendarItem[]): CalendarItem[] {
  return items.sort((a, b) => a.start.getTime() - b.start.getTime() || a.uid.localeCompare(b.uid))
}

export default calendarsRoutes
