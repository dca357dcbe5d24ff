// Topics for the next chats: members propose and vote; hosts mark a chat's topic done
// and link its notes (the archive).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { errorsFromValidation, keptValues, type FieldMessages, type FormErrors } from '../../lib/forms.js'
import { NotFoundError } from '../../lib/http-errors.js'
import { requireSignIn, safeNextPath } from '../../plugins/auth.js'
import { communityPath, toCommunityHeader } from './communities.view-models.js'
import { assertHost, assertMember, communityOr404 } from './community-access.js'
import { findTopic, insertTopic, listAssignedTopics, listMyHiddenTopics, listOpenTopics, setTopicVote, updateTopic } from './topics.queries.js'
import { CsrfField, Id, Slug, SlugParams } from '../../lib/schema-fields.js'

export const MAX_TOPIC_TITLE = 120
export const MAX_TOPIC_DESCRIPTION = 1000

const TopicParams = Type.Object({ slug: Slug, id: Id })
const TopicBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: MAX_TOPIC_TITLE }),
  description: Type.String({ maxLength: MAX_TOPIC_DESCRIPTION }),
  _csrf: CsrfField,
})
const topicMessages: FieldMessages = {
  title: { default: 'topics.title.required', maxLength: 'topics.title.tooLong' },
  description: { default: 'topics.description.tooLong' },
}
const VoteBody = Type.Object({ want: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('0')])), next: Type.Optional(Type.String({ maxLength: 300 })), _csrf: CsrfField })
const DoneBody = Type.Object({ notesUrl: Type.String({ maxLength: 500, pattern: '^$|^https?://\\S+$' }), _csrf: CsrfField })
const doneMessages: FieldMessages = { notesUrl: { default: 'topics.notesUrl.invalid' } }

const topicsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app

  app.get('/communities/:slug/topics', { schema: { params: SlugParams } }, async (request, reply) => {
    const context = await communityOr404(db, request.params.slug, request.currentUser)
    const viewerId = request.currentUser?.id ?? null
    const [open, assigned, myHidden] = await Promise.all([
      listOpenTopics(db, context.community.id, viewerId),
      listAssignedTopics(db, context.community.id, viewerId),
      viewerId === null ? [] : listMyHiddenTopics(db, context.community.id, viewerId),
    ])
    return reply.viewAsync('communities/topics', {
      community: toCommunityHeader(context.community),
      open,
      assigned: assigned.filter((t) => !t.done),
      context: { isMember: context.isMember, isHost: context.isHost },
      // The author of a hidden topic is shown why it is hidden, and nobody else sees it (issue 20).
      myHidden,
    })
  })

  app.get('/communities/:slug/topics/new', { preHandler: requireSignIn, schema: { params: SlugParams } }, async (request, reply) => {
    const context = await communityOr404(db, request.params.slug, request.currentUser)
    assertMember(context)
    return reply.viewAsync('communities/new-topic', { community: toCommunityHeader(context.community), values: {}, errors: {} })
  })

  app.post(
    '/communities/:slug/topics',
    { preHandler: requireSignIn, schema: { params: SlugParams, body: TopicBody }, attachValidation: true },
    async (request, reply) => {
      const context = await communityOr404(db, request.params.slug, request.currentUser)
      assertMember(context)
      if (request.validationError) {
        const errors: FormErrors = errorsFromValidation(request.validationError.validation, topicMessages, request.body)
        return reply.code(400).viewAsync('communities/new-topic', { community: toCommunityHeader(context.community), values: keptValues(request.body), errors })
      }
      const stamp = new Date().toISOString()
      await insertTopic(db, {
        community_id: context.community.id,
        title: request.body.title,
        description: request.body.description.replace(/\r\n/g, '\n'),
        proposed_by: request.currentUser!.id,
        created_at: stamp,
        updated_at: stamp,
      })
      reply.flash('topics.proposed')
      return reply.redirect(communityPath(context.community, '/topics'), 303)
    },
  )

  app.post('/communities/:slug/topics/:id/vote', { preHandler: requireSignIn, schema: { params: TopicParams, body: VoteBody } }, async (request, reply) => {
    const context = await communityOr404(db, request.params.slug, request.currentUser)
    assertMember(context)
    const topic = await findTopic(db, context.community.id, request.params.id)
    if (!topic) throw new NotFoundError('no such topic')
    const voted = await setTopicVote(db, topic.id, request.currentUser!.id, request.body.want !== '0', new Date().toISOString())
    reply.flash(voted ? 'topics.voted' : 'topics.unvoted', { title: topic.title })
    return reply.redirect(safeNextPath(request.body.next) ?? communityPath(context.community, `/topics#topic-${topic.id}`), 303)
  })

  const doneTopic = async (slug: string, id: number, user: Parameters<typeof communityOr404>[2]) => {
    const context = await communityOr404(db, slug, user)
    assertHost(context)
    const topic = await findTopic(db, context.community.id, id)
    if (!topic || !topic.chat_date) throw new NotFoundError('no such topic with a chat')
    return { context, topic }
  }

  app.get('/communities/:slug/topics/:id/done', { preHandler: requireSignIn, schema: { params: TopicParams } }, async (request, reply) => {
    const { context, topic } = await doneTopic(request.params.slug, request.params.id, request.currentUser)
    return reply.viewAsync('communities/topic-done', {
      community: toCommunityHeader(context.community),
      topic,
      values: { notesUrl: topic.notes_url ?? '' },
      errors: {},
    })
  })

  app.post(
    '/communities/:slug/topics/:id/done',
    { preHandler: requireSignIn, schema: { params: TopicParams, body: DoneBody }, attachValidation: true },
    async (request, reply) => {
      const { context, topic } = await doneTopic(request.params.slug, request.params.id, request.currentUser)
      if (request.validationError) {
        return reply.code(400).viewAsync('communities/topic-done', {
          community: toCommunityHeader(context.community),
          topic,
          values: keptValues(request.body),
          errors: errorsFromValidation(request.validationError.validation, doneMessages, request.body),
        })
      }
      await updateTopic(db, topic.id, { done: 1, notes_url: request.body.notesUrl || null, updated_at: new Date().toISOString() })
      reply.flash('topics.markedDone', { title: topic.title })
      return reply.redirect(communityPath(context.community, '/chats'), 303)
    },
  )
}

export default topicsRoutes
