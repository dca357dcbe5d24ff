// /me, "My things": the signed-in person's home. Their next chat, their communities, the
// sessions they run or starred, their meetups, their proposals and their invitations, each
// in date order, with what to do when a list is empty. A fixed handful of queries (each
// starting from the person's own rows, on indexes), whatever they follow.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { requireSignIn } from '../../plugins/auth.js'
import { moderatesAnything, scopeOf } from '../moderation/moderation.service.js'
import { loadHomeRows } from './home.queries.js'
import { toCommunityItems, toMeetupItems, toProposalItems, toSessionItems } from './home.view-models.js'

const meRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app

  app.get('/me', { preHandler: requireSignIn }, async (request, reply) => {
    const { locale, t } = request.i18n
    const user = request.currentUser!
    const now = new Date()
    const [rows, scope] = await Promise.all([loadHomeRows(db, user.id, now), scopeOf(db, user)])
    const communities = toCommunityItems(locale, rows.communities, rows.exceptions, rows.topics, now)
    return reply.viewAsync('me/index', {
      title: t('me.title'),
      nextChat: communities.find((c) => c.next) ?? null,
      communities,
      sessions: toSessionItems(locale, rows.agenda, now),
      meetups: toMeetupItems(locale, rows.meetups),
      proposals: toProposalItems(locale, rows.proposals),
      invitations: rows.invitations,
      // Hosts and organisers find their report queue from here (the admin has it in the admin tabs too).
      moderates: moderatesAnything(scope),
    })
  })
}

export default meRoutes
