// Delete what you made (issue 20): for a meetup, a draft event and an empty community, a
// confirmation page (GET, changes nothing) and a POST that re-checks the rule inside the
// transaction. A refusal is a 409 page that says why and where to go instead.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { formatInstant } from '../../i18n/format.js'
import type { MessageKey } from '../../i18n/catalogues/en.js'
import { GoneError } from '../../lib/http-errors.js'
import { CsrfField, Slug } from '../../lib/schema-fields.js'
import { requireSignIn } from '../../plugins/auth.js'
import { assertHost, communityOr404 } from '../communities/community-access.js'
import { assertOrganiser, eventOr404 } from '../events/event-access.js'
import { hostOnly } from '../meetups/meetup-access.js'
import { countEventParts, countReplies } from './deletions.queries.js'
import { removeImageFiles } from '../images/images.service.js'
import { communityRefusal, deletableFrom, deleteCommunity, deleteEvent, deleteMeetup, eventRefusal, meetupRefusal, type CommunityRefusal, type EventRefusal, type MeetupRefusal } from './deletions.service.js'

const SlugOnly = Type.Object({ slug: Slug })
const ConfirmBody = Type.Object({ _csrf: CsrfField })

const deletionsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app

  /** The 409 page: why not, and the way on (for a meetup with replies: cancelling it). */
  const refused = (request: FastifyRequest, reply: FastifyReply, reason: string, alternative: { path: string; label: string }) =>
    reply.code(409).header('cache-control', 'no-store').viewAsync('deletions/refused', { reason, alternative, title: request.i18n.t('deletion.refusedTitle') })

  // --- Meetups ---

  const meetupRefused = (request: FastifyRequest, reply: FastifyReply, meetup: { slug: string; updated_at: string; time_zone: string }, refusal: MeetupRefusal) => {
    const { t, locale } = request.i18n
    const date = formatInstant(locale, deletableFrom(meetup).toISOString(), meetup.time_zone, 'dateTimeWithZone')
    const alternative =
      refusal === 'deletion.refused.meetupReplies'
        ? { path: `/meetups/${meetup.slug}#cancel-meetup`, label: t('deletion.alternative.cancelMeetup') }
        : { path: `/meetups/${meetup.slug}`, label: t('deletion.alternative.meetup') }
    return refused(request, reply, t(refusal, { date }), alternative)
  }

  app.get('/meetups/:slug/delete', { preHandler: requireSignIn, schema: { params: SlugOnly } }, async (request, reply) => {
    const { meetup } = await hostOnly(db, request.params.slug, request.currentUser)
    const replies = await countReplies(db, meetup.id)
    const refusal = meetupRefusal(meetup, replies, new Date())
    if (refusal) return meetupRefused(request, reply, meetup, refusal)
    const { t } = request.i18n
    return reply.viewAsync('deletions/confirm', {
      heading: t('deletion.meetup.title', { title: meetup.title }),
      lost: t('deletion.meetup.lost'),
      details: [...(replies ? [t('deletion.meetup.replies', { count: replies })] : []), t('deletion.meetup.calendars')],
      action: `/meetups/${meetup.slug}/delete`,
      button: t('deletion.meetup.button'),
      backPath: `/meetups/${meetup.slug}`,
    })
  })

  app.post('/meetups/:slug/delete', { preHandler: requireSignIn, schema: { params: SlugOnly, body: ConfirmBody } }, async (request, reply) => {
    const { meetup } = await hostOnly(db, request.params.slug, request.currentUser)
    const result = await deleteMeetup(db, meetup.id, new Date())
    if (!result.ok && result.refusal === 'gone') throw new GoneError('deleted by someone else first')
    if (!result.ok) return meetupRefused(request, reply, meetup, result.refusal)
    await removeImageFiles(app.config.dataDir, result.imageKeys ?? [])
    await app.fediverse.meetupChanged(meetup.id)
    reply.flash('deletion.meetup.done', { title: meetup.title })
    const community = meetup.community_id ? await db.selectFrom('communities').select('slug').where('id', '=', meetup.community_id).executeTakeFirst() : undefined
    return reply.redirect(community ? `/communities/${community.slug}` : '/me', 303)
  })

  // --- Events ---

  const eventRefused = (request: FastifyRequest, reply: FastifyReply, slug: string, refusal: EventRefusal) =>
    refused(request, reply, request.i18n.t(refusal), { path: `/events/${slug}/manage`, label: request.i18n.t('deletion.alternative.event') })

  app.get('/events/:slug/delete', { preHandler: requireSignIn, schema: { params: SlugOnly } }, async (request, reply) => {
    const context = await eventOr404(db, request.params.slug, request.currentUser)
    assertOrganiser(context)
    const { event } = context
    const refusal = await eventRefusal(db, event)
    if (refusal) return eventRefused(request, reply, event.slug, refusal)
    const parts = await countEventParts(db, event.id)
    const { t } = request.i18n
    return reply.viewAsync('deletions/confirm', {
      heading: t('deletion.event.title', { name: event.name }),
      lost: t('deletion.event.lost'),
      details: [t('deletion.event.counts', parts), t('deletion.event.meetups')],
      action: `/events/${event.slug}/delete`,
      button: t('deletion.event.button'),
      backPath: `/events/${event.slug}/manage`,
    })
  })

  app.post('/events/:slug/delete', { preHandler: requireSignIn, schema: { params: SlugOnly, body: ConfirmBody } }, async (request, reply) => {
    const context = await eventOr404(db, request.params.slug, request.currentUser)
    assertOrganiser(context)
    const result = await deleteEvent(db, context.event.id, new Date())
    if (!result.ok && result.refusal === 'gone') throw new GoneError('deleted by someone else first')
    if (!result.ok) return eventRefused(request, reply, context.event.slug, result.refusal)
    await removeImageFiles(app.config.dataDir, result.imageKeys ?? [])
    reply.flash('deletion.event.done', { name: context.event.name })
    return reply.redirect('/events', 303)
  })

  // --- Communities ---

  const communityRefused = (request: FastifyRequest, reply: FastifyReply, slug: string, refusal: CommunityRefusal) =>
    refused(request, reply, request.i18n.t(refusal as MessageKey), { path: `/communities/${slug}`, label: request.i18n.t('deletion.alternative.community') })

  app.get('/communities/:slug/delete', { preHandler: requireSignIn, schema: { params: SlugOnly } }, async (request, reply) => {
    const context = await communityOr404(db, request.params.slug, request.currentUser)
    assertHost(context)
    const { community } = context
    const refusal = await communityRefusal(db, community.id, request.currentUser!.id, new Date())
    if (refusal) return communityRefused(request, reply, community.slug, refusal)
    const { t } = request.i18n
    return reply.viewAsync('deletions/confirm', {
      heading: t('deletion.community.title', { name: community.name }),
      lost: t('deletion.community.lost'),
      details: [t('deletion.community.address', { slug: community.slug })],
      action: `/communities/${community.slug}/delete`,
      button: t('deletion.community.button'),
      backPath: `/communities/${community.slug}/edit`,
    })
  })

  app.post('/communities/:slug/delete', { preHandler: requireSignIn, schema: { params: SlugOnly, body: ConfirmBody } }, async (request, reply) => {
    const context = await communityOr404(db, request.params.slug, request.currentUser)
    assertHost(context)
    const result = await deleteCommunity(db, context.community.id, request.currentUser!.id, new Date())
    if (!result.ok && result.refusal === 'gone') throw new GoneError('deleted by someone else first')
    if (!result.ok) return communityRefused(request, reply, context.community.slug, result.refusal)
    reply.flash('deletion.community.done', { name: context.community.name })
    return reply.redirect('/communities', 303)
  })
}

export default deletionsRoutes
