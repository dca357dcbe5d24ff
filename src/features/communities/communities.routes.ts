// Communities: list and search, create, the community page, edit, join and leave.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { subscribeLinks } from '../calendars/subscribe.js'
import { fediverseHandle } from '../federation/actors.js'
import { Type } from 'typebox'
import { keptValues, withError, type FormErrors } from '../../lib/forms.js'
import { upcomingChats } from '../../lib/chat-recurrence.js'
import { requireSignIn } from '../../plugins/auth.js'
import { CommunityBody, DEFAULT_TIME_ZONE, SearchQuery, SlugParams, communityMessages, readCommunityForm } from './communities.schemas.js'
import { addMember, findSchedule, listCommunities, listExceptions, memberCounts, setListed } from './communities.queries.js'
import { createCommunity, editCommunity, leaveCommunity, toChatExceptions, toChatSchedule } from './communities.service.js'
import { communityCardAndShare, communityFormValues, communityPath, describeSchedule, toChatView, toCommunityHeader } from './communities.view-models.js'
import { assertHost, communityOr404 } from './community-access.js'
import { listAssignedTopics, listOpenTopics } from './topics.queries.js'
import { listCommunityEvents } from '../events/events.queries.js'
import { eventDates } from '../events/events.view-models.js'
import { listUpcomingMeetups } from '../meetups/meetups.queries.js'
import { meetupStart, seatsLeft } from '../meetups/meetups.view-models.js'
import { CsrfField } from '../../lib/schema-fields.js'
import { communityRefusal } from '../deletions/deletions.service.js'
import { isForeignKeyViolation } from '../../db/errors.js'
import { GoneError } from '../../lib/http-errors.js'

const ListedBody = Type.Object({ listed: Type.Optional(Type.String({ maxLength: 1 })), _csrf: CsrfField })

const communitiesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app

  app.get('/communities', { schema: { querystring: SearchQuery } }, async (request, reply) => {
    const q = request.query.q ?? ''
    return reply.viewAsync('communities/index', { q, communities: await listCommunities(db, q) })
  })

  app.get('/communities/new', { preHandler: requireSignIn }, async (_request, reply) => {
    const values = { timeZone: DEFAULT_TIME_ZONE, scheduleKind: 'weekly', weekday: '3', startTime: '20:00', durationMinutes: '60', intervalWeeks: '1', nth: '1', startsOn: new Date().toISOString().slice(0, 10) }
    return reply.viewAsync('communities/new', { values, errors: {} })
  })

  app.post('/communities', { preHandler: requireSignIn, schema: { body: CommunityBody }, attachValidation: true }, async (request, reply) => {
    const values = keptValues(request.body)
    const render = (errors: FormErrors) => reply.code(400).viewAsync('communities/new', { values, errors })
    const { input, errors } = readCommunityForm(request.body, request.validationError?.validation)
    if (!input) return render(errors)
    const result = await createCommunity(db, input, request.currentUser!.id, new Date())
    if (!result.ok) return render(withError({}, communityMessages, 'slug', { key: 'community.slug.taken' }))
    reply.flash('community.created', { name: result.community.name })
    return reply.redirect(communityPath(result.community), 303)
  })

  app.get('/communities/:slug', { config: { keptPage: true }, schema: { params: SlugParams } }, async (request, reply) => {
    const context = await communityOr404(db, request.params.slug, request.currentUser)
    const { community } = context
    const viewerId = request.currentUser?.id ?? null
    const [schedule, exceptions, counts, openTopics, assigned, events, meetups] = await Promise.all([
      findSchedule(db, community.id),
      listExceptions(db, community.id),
      memberCounts(db, community.id),
      listOpenTopics(db, community.id, viewerId, 5),
      listAssignedTopics(db, community.id, viewerId),
      listCommunityEvents(db, community.id),
      listUpcomingMeetups(db, new Date(), { communityId: community.id }),
    ])
    const locale = request.i18n.locale
    const topicByDate = new Map(assigned.map((topic) => [topic.chat_date!, topic]))
    const chats = schedule
      ? upcomingChats(toChatSchedule(schedule, community.time_zone), toChatExceptions(exceptions), new Date(), 5).map((o) =>
          toChatView(locale, o, community.time_zone, topicByDate.get(o.date)),
        )
      : []
    return reply.viewAsync('communities/show', {
      ...communityCardAndShare(app.config.baseUrl, request.i18n, community, chats[0], communityPath(community), community.name),
      community: toCommunityHeader(community),
      subscribe: subscribeLinks(app.config.baseUrl, communityPath(community, '/calendar.ics')),
      scheduleText: schedule ? describeSchedule(request.i18n, schedule, community.time_zone, chats[0] ? new Date(chats[0].startIso) : undefined) : null,
      nextChat: chats[0] ?? null,
      laterChats: chats.slice(1),
      topTopics: openTopics,
      events: events.map((e) => ({ ...e, datesLabel: eventDates(locale, e) })),
      meetups: meetups.map((m) => ({ ...m, when: meetupStart(locale, m), seatsLeft: seatsLeft(m) })),
      counts,
      fediverseHandle: fediverseHandle(app.config.baseUrl, community.hashtag_key),
      context: { isMember: context.isMember, isHost: context.isHost, listed: context.membership?.listed ?? false },
    })
  })

  app.get('/communities/:slug/edit', { preHandler: requireSignIn, schema: { params: SlugParams } }, async (request, reply) => {
    const context = await communityOr404(db, request.params.slug, request.currentUser)
    assertHost(context)
    const schedule = await findSchedule(db, context.community.id)
    return reply.viewAsync('communities/edit', {
      community: toCommunityHeader(context.community),
      values: communityFormValues(context.community, schedule),
      errors: {},
      // Only an empty community may be deleted (features/deletions); the POST asks again.
      canDelete: (await communityRefusal(db, context.community.id, request.currentUser!.id, new Date())) === null,
    })
  })

  app.post(
    '/communities/:slug/edit',
    { preHandler: requireSignIn, schema: { params: SlugParams, body: CommunityBody }, attachValidation: true },
    async (request, reply) => {
      const context = await communityOr404(db, request.params.slug, request.currentUser)
      assertHost(context)
      const values = { ...keptValues(request.body), slug: context.community.slug }
      const render = (errors: FormErrors) =>
        reply.code(400).viewAsync('communities/edit', { community: toCommunityHeader(context.community), values, errors })
      // The slug is not editable: links to the community must keep working.
      const { input, errors } = readCommunityForm({ ...request.body, slug: context.community.slug }, request.validationError?.validation)
      if (!input) return render(errors)
      await editCommunity(db, context.community, input, new Date())
      reply.flash('community.saved')
      return reply.redirect(communityPath(context.community), 303)
    },
  )

  app.post('/communities/:slug/join', { preHandler: requireSignIn, schema: { params: SlugParams, body: ListedBody } }, async (request, reply) => {
    const context = await communityOr404(db, request.params.slug, request.currentUser)
    if (!context.isMember || context.membership === null) {
      try {
        await addMember(db, context.community.id, request.currentUser!.id, 'member', request.body.listed === '1', new Date().toISOString())
      } catch (error) {
        // Its host deleted it (it was empty) while this was on its way.
        if (isForeignKeyViolation(error)) throw new GoneError('community deleted while joining')
        throw error
      }
      reply.flash('community.joined', { name: context.community.name })
    }
    return reply.redirect(communityPath(context.community), 303)
  })

  app.post('/communities/:slug/leave', { preHandler: requireSignIn, schema: { params: SlugParams } }, async (request, reply) => {
    const context = await communityOr404(db, request.params.slug, request.currentUser)
    const result = await leaveCommunity(db, context.community.id, request.currentUser!.id, context.membership?.role ?? null)
    if (result === 'last-host') reply.flash('community.lastHostCannotLeave')
    if (result === 'left') reply.flash('community.left', { name: context.community.name })
    return reply.redirect(communityPath(context.community), 303)
  })

  app.post('/communities/:slug/listing', { preHandler: requireSignIn, schema: { params: SlugParams, body: ListedBody } }, async (request, reply) => {
    const context = await communityOr404(db, request.params.slug, request.currentUser)
    if (context.membership) {
      const listed = request.body.listed === '1'
      await setListed(db, context.community.id, request.currentUser!.id, listed)
      reply.flash(listed ? 'community.nowListed' : 'community.nowUnlisted')
    }
    return reply.redirect(communityPath(context.community, '/members'), 303)
  })
}

export default communitiesRoutes
