// Atom feeds: an event's new proposals and a community's new meetups (the schedule's
// changelog feed is in features/schedule). Served with ETag and Last-Modified.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { formatInstant } from '../../i18n/format.js'
import { atomXml, tagUri, type AtomFeed } from '../../lib/atom.js'
import { feedVersion, sendCacheable } from '../../lib/http-cache.js'
import { Slug } from '../../lib/schema-fields.js'
import { communityOr404 } from '../communities/community-access.js'
import { eventOr404 } from '../events/event-access.js'
import { listRecentMeetups, listRecentProposals } from './api.queries.js'

const SlugOnly = Type.Object({ slug: Slug })
const ATOM = 'application/atom+xml; charset=utf-8'

const feedsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app
  const base = config.baseUrl

  const serveAtom = async (request: Parameters<typeof sendCacheable>[0], reply: Parameters<typeof sendCacheable>[1], key: string, feed: AtomFeed) => {
    const body = atomXml(feed)
    const lastModified = await feedVersion(db, `${request.i18n.locale}:${key}`, body, new Date())
    return sendCacheable(request, reply, { body, lastModified, contentType: ATOM })
  }

  app.get('/events/:slug/proposals.atom', { schema: { params: SlugOnly } }, async (request, reply) => {
    const { event } = await eventOr404(db, request.params.slug, request.currentUser)
    const { t } = request.i18n
    const proposals = await listRecentProposals(db, event.id)
    return serveAtom(request, reply, `proposals-${event.id}`, {
      id: tagUri(base, `event-${event.id}-proposals`),
      title: t('feeds.proposals', { name: event.name }),
      selfUrl: `${base}/events/${event.slug}/proposals.atom`,
      pageUrl: `${base}/events/${event.slug}/proposals`,
      updated: proposals[0]?.created_at ?? event.created_at,
      lang: request.i18n.locale,
      entries: proposals.map((p) => ({
        id: tagUri(base, `proposal-${p.id}`),
        title: p.title,
        updated: p.created_at,
        link: `${base}/events/${event.slug}/proposals/${p.id}`,
        summary: [t(`proposals.format.${p.format}`), p.description].filter(Boolean).join('\n\n'),
      })),
    })
  })

  app.get('/communities/:slug/meetups.atom', { schema: { params: SlugOnly } }, async (request, reply) => {
    const { community } = await communityOr404(db, request.params.slug, request.currentUser)
    const { t, locale } = request.i18n
    const meetups = await listRecentMeetups(db, community.id)
    return serveAtom(request, reply, `meetups-${community.id}`, {
      id: tagUri(base, `community-${community.id}-meetups`),
      title: t('feeds.meetups', { name: community.name }),
      selfUrl: `${base}/communities/${community.slug}/meetups.atom`,
      pageUrl: `${base}/communities/${community.slug}`,
      updated: meetups[0]?.created_at ?? community.created_at,
      lang: locale,
      entries: meetups.map((m) => ({
        id: tagUri(base, `meetup-${m.id}`),
        title: m.state === 'cancelled' ? t('feeds.cancelledMeetup', { title: m.title }) : m.title,
        updated: m.created_at,
        link: `${base}/meetups/${m.slug}`,
        summary: [formatInstant(locale, m.starts_at, m.time_zone, 'dateTimeWithZone'), m.venue_name, m.description].filter(Boolean).join('\n\n'),
      })),
    })
  })
}

export default feedsRoutes
