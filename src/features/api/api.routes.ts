// A read-only JSON API for communities, events, sessions and meetups (docs/api.md). Only what
// the public pages show: no email addresses, no attendee lists (so nobody who hid their name
// can be found), no drafts, no unpublished placements. Times are UTC ISO-8601 with the
// thing's own time zone beside them.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { upcomingChats } from '../../lib/chat-recurrence.js'
import { NotFoundError } from '../../lib/http-errors.js'
import { Slug } from '../../lib/schema-fields.js'
import { chatsOf, eventSessions } from '../calendars/calendars.queries.js'
import { findCommunityBySlug, listCommunities } from '../communities/communities.queries.js'
import { toChatExceptions, toChatSchedule } from '../communities/communities.service.js'
import { listCommunityEvents } from '../events/events.queries.js'
import { eventOr404 } from '../events/event-access.js'
import { isSchedulePublished } from '../events/phases.js'
import { findMeetupBySlug, listUpcomingMeetups } from '../meetups/meetups.queries.js'
import { interestCounts, listSessionPeople } from '../schedule/grid.queries.js'
import { waitlistLength } from './api.queries.js'

const SlugOnly = Type.Object({ slug: Slug })

const apiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app
  const base = config.baseUrl
  // Public data, so readable from other sites' scripts; errors are JSON (plugins/errors.ts).
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/api/')) reply.header('access-control-allow-origin', '*')
  })

  app.get('/api/communities', async () => {
    const communities = await listCommunities(db, '')
    return { communities: communities.map((c) => ({ slug: c.slug, name: c.name, hashtag: c.hashtag, url: `${base}/communities/${c.slug}`, api: `${base}/api/communities/${c.slug}` })) }
  })

  app.get('/api/communities/:slug', { schema: { params: SlugOnly } }, async (request) => {
    const community = await findCommunityBySlug(db, request.params.slug)
    if (!community) throw new NotFoundError('no such community')
    const now = new Date()
    const [[chats], events, meetups] = await Promise.all([chatsOf(db, [community.id]), listCommunityEvents(db, community.id), listUpcomingMeetups(db, now, { communityId: community.id })])
    const next = chats && !chats.schedule.stopped_at ? upcomingChats(toChatSchedule(chats.schedule, community.time_zone), toChatExceptions(chats.exceptions), now, 10) : []
    return {
      slug: community.slug,
      name: community.name,
      hashtag: community.hashtag,
      description: community.description,
      timeZone: community.time_zone,
      chat: { place: community.chat_place, url: community.chat_url, upcoming: next.map((o) => ({ date: o.date, start: o.start.toISOString(), end: o.end.toISOString(), moved: o.moved })) },
      url: `${base}/communities/${community.slug}`,
      calendar: `${base}/communities/${community.slug}/calendar.ics`,
      events: events.map((e) => ({ slug: e.slug, name: e.name, firstDay: e.first_day, lastDay: e.last_day, api: `${base}/api/events/${e.slug}` })),
      meetups: meetups.map((m) => ({ slug: m.slug, title: m.title, start: m.starts_at, api: `${base}/api/meetups/${m.slug}` })),
    }
  })

  app.get('/api/events/:slug', { schema: { params: SlugOnly } }, async (request) => {
    // Drafts are 404 for everyone here: the API has no signed-in users.
    const { event } = await eventOr404(db, request.params.slug, null)
    return {
      slug: event.slug,
      name: event.name,
      hashtag: event.hashtag,
      description: event.description,
      phase: event.phase,
      timeZone: event.time_zone,
      firstDay: event.first_day,
      lastDay: event.last_day,
      venue: { name: event.venue_name, address: event.venue_address, map: event.map_url },
      schedulePublished: isSchedulePublished(event),
      url: `${base}/events/${event.slug}`,
      sessions: `${base}/api/events/${event.slug}/sessions`,
      calendar: `${base}/events/${event.slug}/schedule.ics`,
      scheduleXml: `${base}/events/${event.slug}/schedule.xml`,
      scheduleJson: `${base}/events/${event.slug}/schedule.json`,
    }
  })

  app.get('/api/events/:slug/sessions', { schema: { params: SlugOnly } }, async (request) => {
    const { event } = await eventOr404(db, request.params.slug, null)
    const since = new Date(Date.now() - 30 * 86400000).toISOString()
    const [sessions, people, interest] = await Promise.all([eventSessions(db, event.id, since), listSessionPeople(db, event.id), interestCounts(db, event.id)])
    const hosts = new Map<number, string[]>()
    for (const p of people) hosts.set(p.proposal_id, [...(hosts.get(p.proposal_id) ?? []), p.display_name])
    return {
      event: event.slug,
      sessions: sessions.map((s) => ({
        id: s.proposal_id,
        title: s.title,
        description: s.description,
        format: s.format,
        room: s.room,
        start: s.starts_at,
        end: s.ends_at,
        status: s.cancelled_at ? 'cancelled' : 'scheduled',
        hosts: hosts.get(s.proposal_id) ?? [],
        interest: interest.get(s.proposal_id) ?? 0,
        url: `${base}/events/${event.slug}/proposals/${s.proposal_id}`,
      })),
    }
  })

  app.get('/api/meetups/:slug', { schema: { params: SlugOnly } }, async (request) => {
    const meetup = await findMeetupBySlug(db, request.params.slug)
    if (!meetup || meetup.hidden_at) throw new NotFoundError('no such meetup')
    return {
      slug: meetup.slug,
      title: meetup.title,
      description: meetup.description,
      state: meetup.state,
      start: meetup.starts_at,
      end: meetup.ends_at,
      timeZone: meetup.time_zone,
      venue: { name: meetup.venue_name, address: meetup.venue_address, map: meetup.map_url, online: meetup.online_url },
      capacity: meetup.capacity,
      seatsTaken: meetup.seats_taken,
      waitlistLength: await waitlistLength(db, meetup.id),
      url: `${base}/meetups/${meetup.slug}`,
      calendar: `${base}/meetups/${meetup.slug}/calendar.ics`,
    }
  })
}

export default apiRoutes
