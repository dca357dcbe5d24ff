// Site administration: the admin decides who may create events (organisers).
// Communities and meetups need no role: anyone signed in may create them.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { requireRole } from '../../plugins/auth.js'
import { findUserById, listUsers, setUserRole } from '../accounts/users.queries.js'
import { personPath } from '../people/people.view-models.js'
import { CsrfField, Id } from '../../lib/schema-fields.js'

const RoleParams = Type.Object({ id: Id })
const RoleBody = Type.Object({ role: Type.Union([Type.Literal('member'), Type.Literal('organiser')]), _csrf: CsrfField })

const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app
  const adminOnly = requireRole('admin')

  app.get('/admin/people', { preHandler: adminOnly }, async (_request, reply) => {
    const people = (await listUsers(db)).map((user) => ({
      id: user.id,
      displayName: user.display_name,
      email: user.email,
      role: user.role,
      path: personPath(user),
    }))
    return reply.viewAsync('admin/people', { people })
  })

  app.post('/admin/people/:id/role', { preHandler: adminOnly, schema: { params: RoleParams, body: RoleBody } }, async (request, reply) => {
    const person = await findUserById(db, request.params.id)
    if (!person) return reply.callNotFound()
    // Admins are not demoted from here: the site must always keep its admin.
    if (person.role === 'admin') {
      reply.flash('admin.people.cannotChangeAdmin', { name: person.display_name })
      return reply.redirect('/admin/people', 303)
    }
    await setUserRole(db, person.id, request.body.role, new Date().toISOString())
    reply.flash(request.body.role === 'organiser' ? 'admin.people.madeOrganiser' : 'admin.people.madeMember', { name: person.display_name })
    return reply.redirect('/admin/people', 303)
  })
}

export default adminRoutes
