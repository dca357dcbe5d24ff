// Answering an invitation to host, from /me: accept (then shown as a host) or decline.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { CsrfField, Id } from '../../lib/schema-fields.js'
import { requireSignIn } from '../../plugins/auth.js'
import { liveTopic } from '../schedule/schedule-access.js'
import { answerInvitation } from './invitations.service.js'

const AnswerParams = Type.Object({ id: Id })
const AnswerBody = Type.Object({ answer: Type.Union([Type.Literal('accept'), Type.Literal('decline')]), _csrf: CsrfField })

const invitationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/me/invitations/:id', { preHandler: requireSignIn, schema: { params: AnswerParams, body: AnswerBody } }, async (request, reply) => {
    const accept = request.body.answer === 'accept'
    const answered = await answerInvitation(app.db, request.params.id, request.currentUser!.id, accept, new Date())
    // schedule.json and .xml list a proposal's hosts.
    if (accept && answered.eventId !== null) await app.live.publish(liveTopic(answered.eventId))
    reply.flash(accept ? 'invitations.accepted' : 'invitations.declined')
    return reply.redirect('/me#invitations', 303)
  })
}

export default invitationsRoutes
