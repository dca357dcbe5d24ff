// Unlinking a Mastodon or Bluesky identity from one's own account (linking starts at the provider's sign-in page).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { RefusedError } from '../../lib/http-errors.js'
import { CsrfField } from '../../lib/schema-fields.js'
import { requireSignIn } from '../../plugins/auth.js'
import { findUserById } from '../accounts/users.queries.js'
import { countIdentitiesOf, unlinkIdentity } from './identities.queries.js'

const IdentityParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,12}$' }) })
const UnlinkBody = Type.Object({ _csrf: CsrfField })

const identitiesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app

  app.post('/me/identities/:id/unlink', { preHandler: requireSignIn, schema: { params: IdentityParams, body: UnlinkBody } }, async (request, reply) => {
    const me = request.currentUser!
    const outcome = await db.transaction().execute(async (trx) => {
      const user = await findUserById(trx, me.id)
      // The last way in stays: without a password, an account needs one identity to sign in with.
      if (user && user.password_hash === null && (await countIdentitiesOf(trx, me.id)) <= 1) return 'last' as const
      return (await unlinkIdentity(trx, me.id, Number(request.params.id))) ? ('done' as const) : ('missing' as const)
    })
    if (outcome === 'last') throw new RefusedError('identities.unlink.lastWayIn')
    if (outcome === 'missing') return reply.callNotFound()
    reply.flash('identities.unlinked')
    return reply.redirect('/me/profile', 303)
  })
}

export default identitiesRoutes
