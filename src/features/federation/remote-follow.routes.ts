// "Follow from my Mastodon server", without copying a handle: as with sharing, we ask once which
// server the person's account is on, remember it in the same cookie, and send them to that
// server's own "follow this account?" page (authorize_interaction), where they confirm.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { Type } from 'typebox'
import { usesHttps } from '../../config.js'
import { errorsFromValidation, keptValues, type FieldMessages, type FormErrors } from '../../lib/forms.js'
import { NotFoundError } from '../../lib/http-errors.js'
import { CsrfField } from '../../lib/schema-fields.js'
import { allowFormToOtherSites } from '../../plugins/security.js'
import { MASTODON_COOKIE, normaliseServer } from '../cards/share.routes.js'

const Handle = Type.String({ maxLength: 300 })
const FollowQuery = Type.Object({ handle: Handle, change: Type.Optional(Type.String({ maxLength: 1 })) })
const FollowBody = Type.Object({ handle: Handle, server: Type.String({ minLength: 1, maxLength: 253 }), _csrf: CsrfField })
const serverMessages: FieldMessages = { server: { required: 'federation.remoteFollow.server.invalid', default: 'federation.remoteFollow.server.invalid' } }

/** Mastodon's page for following an account it has not seen yet. */
function interactionUrl(server: string, account: string): string {
  return `https://${server}/authorize_interaction?${new URLSearchParams({ uri: account })}`
}

const remoteFollowRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const host = new URL(app.config.baseUrl).host
  /** "lgovsm@host" from "@lgovsm@host": only handles of this site, so the page is no open redirect. */
  const ourAccount = (handle: string): string => {
    const match = /^@?([a-z0-9][a-z0-9_-]{0,99})@(.+)$/i.exec(handle.trim())
    if (!match || match[2]!.toLowerCase() !== host.toLowerCase()) throw new NotFoundError('not a handle of this site')
    return `${match[1]!.toLowerCase()}@${host}`
  }
  const render = (reply: FastifyReply, status: number, values: Record<string, string>, errors: FormErrors) => {
    allowFormToOtherSites(reply)
    return reply.code(status).viewAsync('federation/remote-follow', { values, errors, noindex: true })
  }

  app.get('/follow/mastodon', { schema: { querystring: FollowQuery } }, async (request, reply) => {
    const account = ourAccount(request.query.handle)
    const remembered = normaliseServer(request.cookies[MASTODON_COOKIE] ?? '')
    if (remembered && !request.query.change) return reply.redirect(interactionUrl(remembered, account), 303)
    return render(reply, 200, { handle: `@${account}`, server: remembered ?? '' }, {})
  })

  app.post('/follow/mastodon', { schema: { body: FollowBody }, attachValidation: true }, async (request, reply) => {
    const values = keptValues(request.body)
    const account = ourAccount(request.body?.handle ?? '')
    const server = request.validationError ? null : normaliseServer(request.body.server)
    if (!server) {
      const errors = request.validationError
        ? errorsFromValidation(request.validationError.validation, serverMessages, request.body)
        : { server: { key: 'federation.remoteFollow.server.invalid' as const } }
      return render(reply, 400, values, errors)
    }
    reply.setCookie(MASTODON_COOKIE, server, { path: '/', maxAge: 365 * 24 * 3600, sameSite: 'lax', httpOnly: true, secure: usesHttps(app.config) })
    return reply.redirect(interactionUrl(server, account), 303)
  })
}

export default remoteFollowRoutes
