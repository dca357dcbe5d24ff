// Sharing to Mastodon without JavaScript: there is no one Mastodon, so the first time we
// ask which server the person uses, remember it in a cookie, and from then on send them
// straight to their server's share page.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { usesHttps } from '../../config.js'
import { errorsFromValidation, keptValues, type FieldMessages } from '../../lib/forms.js'
import { CsrfField } from '../../lib/schema-fields.js'
import { allowFormToOtherSites } from '../../plugins/security.js'

export const MASTODON_COOKIE = 'hashcamp_mastodon'
const SERVER_PATTERN = '^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,}$'
const ShareQuery = Type.Object({ text: Type.String({ maxLength: 1000 }), change: Type.Optional(Type.String({ maxLength: 1 })) })
const ServerBody = Type.Object({ server: Type.String({ minLength: 1, maxLength: 253 }), text: Type.String({ maxLength: 1000 }), _csrf: CsrfField })
const serverMessages: FieldMessages = { server: { default: 'share.mastodon.server.invalid' } }

/** The host of a Mastodon server from what people type: a host, a URL, or a full handle. */
export function normaliseServer(raw: string): string | null {
  const host = raw.trim().replace(/^https?:\/\//, '').replace(/\/.*$/, '').replace(/^@?[^@]*@/, '').toLowerCase()
  return new RegExp(SERVER_PATTERN).test(host) ? host : null
}

function mastodonShareUrl(server: string, text: string): string {
  return `https://${server}/share?${new URLSearchParams({ text })}`
}

const shareRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/share/mastodon', { schema: { querystring: ShareQuery } }, async (request, reply) => {
    const remembered = normaliseServer(request.cookies[MASTODON_COOKIE] ?? '')
    if (remembered && !request.query.change) return reply.redirect(mastodonShareUrl(remembered, request.query.text), 303)
    allowFormToOtherSites(reply)
    return reply.viewAsync('share/mastodon', { values: { server: remembered ?? '', text: request.query.text }, errors: {}, noindex: true })
  })

  app.post('/share/mastodon', { schema: { body: ServerBody }, attachValidation: true }, async (request, reply) => {
    const server = request.validationError ? null : normaliseServer(request.body.server)
    if (!server) {
      const errors = request.validationError
        ? errorsFromValidation(request.validationError.validation, serverMessages, request.body)
        : { server: { key: 'share.mastodon.server.invalid' as const } }
      allowFormToOtherSites(reply)
      return reply.code(400).viewAsync('share/mastodon', { values: keptValues(request.body), errors })
    }
    reply.setCookie(MASTODON_COOKIE, server, { path: '/', maxAge: 365 * 24 * 3600, sameSite: 'lax', httpOnly: true, secure: usesHttps(app.config) })
    return reply.redirect(mastodonShareUrl(server, request.body.text), 303)
  })
}

export default shareRoutes
