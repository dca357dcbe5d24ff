// /me: the signed-in person's own things. For now, the meetups they are going to,
// waiting for, or hosting.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { requireSignIn } from '../../plugins/auth.js'
import { listInvitationsFor } from '../invitations/invitations.queries.js'
import { moderatesAnything, scopeOf } from '../moderation/moderation.service.js'
import { listMyMeetups } from './meetups.queries.js'
import { meetupStart } from './meetups.view-models.js'

const meRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/me', { preHandler: requireSignIn }, async (request, reply) => {
    const locale = request.i18n.locale
    const [mine, invitations, scope] = await Promise.all([
      listMyMeetups(app.db, request.currentUser!.id, new Date()),
      listInvitationsFor(app.db, request.currentUser!.id),
      scopeOf(app.db, request.currentUser!),
    ])
    const meetups = mine.map((m) => ({ ...m, when: meetupStart(locale, m) }))
    // Hosts and organisers find their report queue from here (the admin has it in the admin tabs too).
    return reply.viewAsync('me/index', { meetups, invitations, moderates: moderatesAnything(scope) })
  })
}

export default meRoutes
