// The member list, and hosts making other members hosts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { requireSignIn } from '../../plugins/auth.js'
import { personPath } from '../people/people.view-models.js'
import { SlugParams } from './communities.schemas.js'
import { listMembers, memberCounts } from './communities.queries.js'
import { changeHostRole } from './communities.service.js'
import { communityPath, toCommunityHeader } from './communities.view-models.js'
import { assertHost, communityOr404 } from './community-access.js'
import { CsrfField, Id, Slug } from '../../lib/schema-fields.js'

const MemberParams = Type.Object({ slug: Slug, userId: Id })
const RoleBody = Type.Object({ role: Type.Union([Type.Literal('host'), Type.Literal('member')]), _csrf: CsrfField })

const membersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app

  app.get('/communities/:slug/members', { schema: { params: SlugParams } }, async (request, reply) => {
    const context = await communityOr404(db, request.params.slug, request.currentUser)
    const [members, counts] = await Promise.all([
      // Hosts see everyone (to manage them); everybody else sees hosts and those who chose to be listed.
      listMembers(db, context.community.id, context.isHost),
      memberCounts(db, context.community.id),
    ])
    return reply.viewAsync('communities/members', {
      community: toCommunityHeader(context.community),
      members: members.map((m) => ({ ...m, path: personPath({ id: m.user_id, handle: m.handle }), isMe: m.user_id === request.currentUser?.id })),
      counts,
      unlisted: counts.members - members.length,
      context: { isMember: context.isMember, isHost: context.isHost, listed: context.membership?.listed ?? false },
    })
  })

  app.post(
    '/communities/:slug/members/:userId/role',
    { preHandler: requireSignIn, schema: { params: MemberParams, body: RoleBody } },
    async (request, reply) => {
      const context = await communityOr404(db, request.params.slug, request.currentUser)
      assertHost(context)
      const { userId } = request.params
      const { role } = request.body
      const result = await changeHostRole(db, context.community.id, userId, role)
      if (result === 'last-host') reply.flash('community.members.lastHost')
      if (result === 'made-host') reply.flash('community.members.madeHost')
      if (result === 'made-member') reply.flash('community.members.madeMember')
      return reply.redirect(communityPath(context.community, '/members'), 303)
    },
  )
}

export default membersRoutes
