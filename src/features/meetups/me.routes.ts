// /me: the signed-in person's own things. For now, the meetups they are going to,
// waiting for, or hosting.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { requireSignIn } from '../../plugins/auth.js'
import { listInvitationsFor } from '../invitations/invitations.queries.js'
import { listMyMeetups } from './meetups.queries.js'
import { meetupStart } from './meetups.view-models.js'

const meRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/me', { preHandler: requireSignIn }, async (request, reply) => {
    const locale = request.i18n.locale
    const [mine, invitations] = await Promise.all([listMyMeetups(app.db, request.currentUser!.id, new Date()), listInvitationsFor(app.db, request.currentUser!.id)])
    const meetups = mine.map((m) => ({ ...m, when: meetupStart(locale, m) }))
    return reply.viewAsync('me/index', { meetups, invitations })
  })
}

export default meRoutes
