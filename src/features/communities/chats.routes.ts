// The chats page: upcoming chats with their topics, the archive of past ones, and the
// hosts' tools (skip or move one chat, give a chat its topic).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Kysely } from 'kysely'
import { Type } from 'typebox'
import type { Database } from '../../db/database.js'
import { isUniqueViolation } from '../../db/errors.js'
import { formatLocalDate } from '../../i18n/format.js'
import { chatOccurrences, isScheduledDate, upcomingChats } from '../../lib/chat-recurrence.js'
import { errorsFromValidation, keptValues, withError, type FieldMessages, type FormErrors } from '../../lib/forms.js'
import { NotFoundError } from '../../lib/http-errors.js'
import { isValidDate, isValidTime, utcToZoned, wallTimeProblem } from '../../lib/zoned-time.js'
import { requireSignIn } from '../../plugins/auth.js'
import { deleteException, findSchedule, listExceptions, saveException } from './communities.queries.js'
import { toChatExceptions, toChatSchedule } from './communities.service.js'
import { communityCardAndShare, communityPath, describeSchedule, toChatView, toCommunityHeader } from './communities.view-models.js'
import { assertHost, communityOr404, type CommunityContext } from './community-access.js'
import { findTopic, findTopicForChat, listAssignedTopics, listOpenTopics, updateTopic } from './topics.queries.js'
import { CsrfField, Slug, SlugParams, idFromPath } from '../../lib/schema-fields.js'
import { readDateInput, readTimeInput } from '../../lib/date-input.js'

const ChatParams = Type.Object({ slug: Slug, date: Type.String({ pattern: '^(19|20|21)\\d{2}-\\d{2}-\\d{2}$' }) })
const MoveBody = Type.Object({ newDate: Type.String({ maxLength: 10 }), newTime: Type.String({ maxLength: 5 }), _csrf: CsrfField })
const moveMessages: FieldMessages = { newDate: { default: 'chats.move.date.invalid' }, newTime: { default: 'chats.move.time.invalid' } }
const TopicBody = Type.Object({ topicId: Type.String({ maxLength: 12, pattern: '^$|^\\d+$' }), _csrf: CsrfField })

/** The community's schedule, or a 404: without one there are no chats to change. */
async function scheduleOf(db: Kysely<Database>, context: CommunityContext) {
  const row = await findSchedule(db, context.community.id)
  if (!row) throw new NotFoundError('community has no chat schedule')
  return row
}

const chatsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app

  app.get('/communities/:slug/chats', { schema: { params: SlugParams } }, async (request, reply) => {
    const context = await communityOr404(db, request.params.slug, request.currentUser)
    const { community } = context
    const viewerId = request.currentUser?.id ?? null
    const locale = request.i18n.locale
    const [schedule, exceptions, assigned, openTopics] = await Promise.all([
      findSchedule(db, community.id),
      listExceptions(db, community.id),
      listAssignedTopics(db, community.id, viewerId),
      context.isHost ? listOpenTopics(db, community.id, viewerId) : Promise.resolve([]),
    ])
    const topicByDate = new Map(assigned.map((topic) => [topic.chat_date!, topic]))
    const now = new Date()
    const chatSchedule = schedule ? toChatSchedule(schedule, community.time_zone) : null
    const upcoming = chatSchedule
      ? upcomingChats(chatSchedule, toChatExceptions(exceptions), now, 10).map((o) => toChatView(locale, o, community.time_zone, topicByDate.get(o.date)))
      : []
    // The archive: chats that have happened, each with the topic it had.
    const today = utcToZoned(now, community.time_zone).date
    const skippedDates = new Set(exceptions.filter((e) => e.kind === 'skip').map((e) => e.chat_date))
    const archive = assigned
      .filter((topic) => topic.chat_date! < today && !skippedDates.has(topic.chat_date!))
      .reverse()
      .map((topic) => ({ ...topic, dateLabel: formatLocalDate(locale, topic.chat_date!) }))
    const skipped = exceptions
      .filter((e) => e.kind === 'skip' && e.chat_date >= today)
      .map((e) => ({ date: e.chat_date, dateLabel: formatLocalDate(locale, e.chat_date) }))
    return reply.viewAsync('communities/chats', {
      ...communityCardAndShare(app.config.baseUrl, request.i18n, community, upcoming[0], communityPath(community, '/chats'), request.i18n.t('chats.title', { name: community.name })),
      community: toCommunityHeader(community),
      scheduleText: schedule ? describeSchedule(request.i18n, schedule, community.time_zone, upcoming[0] ? new Date(upcoming[0].startIso) : undefined) : null,
      upcoming,
      archive,
      skipped,
      openTopics,
      context: { isMember: context.isMember, isHost: context.isHost },
    })
  })

  app.post('/communities/:slug/chats/:date/skip', { preHandler: requireSignIn, schema: { params: ChatParams } }, async (request, reply) => {
    const context = await communityOr404(db, request.params.slug, request.currentUser)
    assertHost(context)
    const schedule = toChatSchedule(await scheduleOf(db, context), context.community.time_zone)
    if (!isScheduledDate(schedule, request.params.date)) throw new NotFoundError('no chat on that date')
    const stamp = new Date().toISOString()
    await db.transaction().execute(async (trx) => {
      await saveException(trx, { community_id: context.community.id, chat_date: request.params.date, kind: 'skip', moved_to_date: null, moved_to_time: null, created_at: stamp })
      // A skipped chat has no topic: the topic goes back to the list, to be chosen again.
      const topic = await findTopicForChat(trx, context.community.id, request.params.date)
      if (topic) await updateTopic(trx, topic.id, { chat_date: null, updated_at: stamp })
    })
    await app.fediverse.chatTopicChanged(context.community.id, request.params.date)
    reply.flash('chats.skipped')
    return reply.redirect(communityPath(context.community, '/chats'), 303)
  })

  app.post('/communities/:slug/chats/:date/restore', { preHandler: requireSignIn, schema: { params: ChatParams } }, async (request, reply) => {
    const context = await communityOr404(db, request.params.slug, request.currentUser)
    assertHost(context)
    await deleteException(db, context.community.id, request.params.date)
    await app.fediverse.chatTopicChanged(context.community.id, request.params.date)
    reply.flash('chats.restored')
    return reply.redirect(communityPath(context.community, '/chats'), 303)
  })

  const moveFormData = async (context: CommunityContext, date: string, locale: 'en' | 'cy') => {
    const schedule = toChatSchedule(await scheduleOf(db, context), context.community.time_zone)
    if (!isScheduledDate(schedule, date)) throw new NotFoundError('no chat on that date')
    const [occurrence] = chatOccurrences(schedule, [], new Date(`${date}T00:00:00Z`), new Date(Date.parse(`${date}T00:00:00Z`) + 2 * 86400000)).filter((o) => o.date === date)
    return {
      community: toCommunityHeader(context.community),
      date,
      chat: occurrence ? toChatView(locale, occurrence, context.community.time_zone, undefined) : null,
      startTime: schedule.startTime,
    }
  }

  app.get('/communities/:slug/chats/:date/move', { preHandler: requireSignIn, schema: { params: ChatParams } }, async (request, reply) => {
    const context = await communityOr404(db, request.params.slug, request.currentUser)
    assertHost(context)
    const data = await moveFormData(context, request.params.date, request.i18n.locale)
    return reply.viewAsync('communities/move-chat', { ...data, values: { newDate: request.params.date, newTime: data.startTime }, errors: {} })
  })

  app.post(
    '/communities/:slug/chats/:date/move',
    { preHandler: requireSignIn, schema: { params: ChatParams, body: MoveBody }, attachValidation: true },
    async (request, reply) => {
      const context = await communityOr404(db, request.params.slug, request.currentUser)
      assertHost(context)
      const data = await moveFormData(context, request.params.date, request.i18n.locale)
      let errors: FormErrors = request.validationError ? errorsFromValidation(request.validationError.validation, moveMessages, request.body) : {}
      const posted = request.body ?? { newDate: '', newTime: '' }
      const body = { newDate: readDateInput(posted.newDate ?? ''), newTime: readTimeInput(posted.newTime ?? '') }
      if (!errors.newDate && !isValidDate(body.newDate ?? '')) errors = withError(errors, moveMessages, 'newDate', { key: 'chats.move.date.invalid' })
      if (!errors.newTime && !isValidTime(body.newTime ?? '')) errors = withError(errors, moveMessages, 'newTime', { key: 'chats.move.time.invalid' })
      if (!errors.newDate && !errors.newTime) {
        const problem = wallTimeProblem(body.newDate, body.newTime, context.community.time_zone)
        if (problem?.kind === 'gap') errors = withError(errors, moveMessages, 'newTime', { key: 'time.gap', params: { date: body.newDate, time: body.newTime, zone: context.community.time_zone, from: problem.from, to: problem.to } })
      }
      if (Object.keys(errors).length) return reply.code(400).viewAsync('communities/move-chat', { ...data, values: keptValues(request.body), errors })
      await saveException(db, {
        community_id: context.community.id,
        chat_date: request.params.date,
        kind: 'move',
        moved_to_date: body.newDate,
        moved_to_time: body.newTime,
        created_at: new Date().toISOString(),
      })
      await app.fediverse.chatTopicChanged(context.community.id, request.params.date)
      reply.flash('chats.moved')
      return reply.redirect(communityPath(context.community, '/chats'), 303)
    },
  )

  app.post('/communities/:slug/chats/:date/topic', { preHandler: requireSignIn, schema: { params: ChatParams, body: TopicBody } }, async (request, reply) => {
    const context = await communityOr404(db, request.params.slug, request.currentUser)
    assertHost(context)
    const schedule = toChatSchedule(await scheduleOf(db, context), context.community.time_zone)
    if (!isScheduledDate(schedule, request.params.date)) throw new NotFoundError('no chat on that date')
    const back = communityPath(context.community, '/chats')
    const exceptions = await listExceptions(db, context.community.id)
    if (exceptions.some((e) => e.chat_date === request.params.date && e.kind === 'skip')) throw new NotFoundError('that chat was skipped')
    const current = await findTopicForChat(db, context.community.id, request.params.date)
    const stamp = new Date().toISOString()
    if (!request.body.topicId) {
      if (current) await updateTopic(db, current.id, { chat_date: null, updated_at: stamp })
      await app.fediverse.chatTopicChanged(context.community.id, request.params.date)
      reply.flash('chats.topicCleared')
      return reply.redirect(back, 303)
    }
    const topicId = idFromPath(request.body.topicId)
    const topic = topicId === null ? undefined : await findTopic(db, context.community.id, topicId)
    if (!topic) throw new NotFoundError('no such topic in this community')
    try {
      await db.transaction().execute(async (trx) => {
        if (current && current.id !== topic.id) await updateTopic(trx, current.id, { chat_date: null, updated_at: stamp })
        await updateTopic(trx, topic.id, { chat_date: request.params.date, updated_at: stamp })
      })
    } catch (error) {
      if (!isUniqueViolation(error)) throw error
    }
    await app.fediverse.chatTopicChanged(context.community.id, request.params.date)
    reply.flash('chats.topicSet', { title: topic.title })
    return reply.redirect(back, 303)
  })
}

export default chatsRoutes
