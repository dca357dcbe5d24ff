// /tags/:hashtag: everything on Hashcamp that uses a hashtag (communities, events, and
// the meetups linked to them), the page a hashtag link in a chat can point at.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { HASHTAG_PATTERN, hashtagKey, hashtagLinks, normaliseHashtag } from '../../lib/hashtags.js'
import { NotFoundError } from '../../lib/http-errors.js'
import { eventDates } from '../events/events.view-models.js'
import { meetupStart, seatsLeft } from '../meetups/meetups.view-models.js'
import { pageCard } from './cards.js'

const TagParams = Type.Object({ hashtag: Type.String({ minLength: 1, maxLength: 61 }) })

const tagsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app

  app.get('/tags/:hashtag', { schema: { params: TagParams } }, async (request, reply) => {
    const tag = normaliseHashtag(request.params.hashtag)
    if (!new RegExp(HASHTAG_PATTERN, 'u').test(tag)) throw new NotFoundError('not a hashtag')
    const key = hashtagKey(tag)
    // One address per hashtag, whatever case it was typed in.
    if (request.params.hashtag !== key) return reply.redirect(`/tags/${encodeURIComponent(key)}`, 301)
    const [communities, events] = await Promise.all([
      db.selectFrom('communities').select(['id', 'slug', 'name']).where('hashtag_key', '=', key).orderBy('name').execute(),
      db
        .selectFrom('events')
        .select(['id', 'slug', 'name', 'first_day', 'last_day'])
        .where('hashtag_key', '=', key)
        .where('phase', '!=', 'draft')
        .orderBy('first_day')
        .execute(),
    ])
    const communityIds = communities.map((c) => c.id)
    const eventIds = events.map((e) => e.id)
    const meetups =
      communityIds.length || eventIds.length
        ? await db
            .selectFrom('meetups')
            .select(['slug', 'title', 'starts_at', 'time_zone', 'capacity', 'seats_taken', 'state'])
            .where('ends_at', '>', new Date().toISOString())
            .where('hidden_at', 'is', null)
            .where((eb) =>
              eb.or([
                ...(communityIds.length ? [eb('community_id', 'in', communityIds)] : []),
                ...(eventIds.length ? [eb('event_id', 'in', eventIds)] : []),
              ]),
            )
            .orderBy('starts_at')
            .execute()
        : []
    const locale = request.i18n.locale
    return reply.viewAsync('tags/show', {
      card: pageCard(app.config.baseUrl, {
        title: `#${tag}`,
        description: request.i18n.t('tags.description', { hashtag: `#${tag}` }),
        path: `/tags/${encodeURIComponent(tag)}`,
        imageAlt: request.i18n.t('card.imageAlt'),
      }),
      tag,
      links: hashtagLinks(tag),
      communities,
      events: events.map((e) => ({ ...e, datesLabel: eventDates(locale, e) })),
      meetups: meetups.map((m) => ({ ...m, when: meetupStart(locale, m), seatsLeft: seatsLeft(m) })),
    })
  })
}

export default tagsRoutes
