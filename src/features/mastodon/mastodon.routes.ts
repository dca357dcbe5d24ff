// Sign in with Mastodon (issue 21): the person names their server, we register with it once,
// send them through OAuth 2 (authorisation code + PKCE), read who they are, and revoke the token.
import crypto from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { errorsFromValidation, keptValues, type FormErrors } from '../../lib/forms.js'
import { safeNextPath } from '../../plugins/auth.js'
import { allowFormToOtherSites } from '../../plugins/security.js'
import { LIMITS, buckets, recordAttempt } from '../accounts/sign-in-throttle.js'
import { completeSignIn } from '../identities/identities.service.js'
import { rememberAttempt, startedHere } from '../identities/oauth-browser.js'
import { createAttempt, findAttemptByState, useAttempt } from '../identities/oauth-attempts.queries.js'
import { problemPage } from '../identities/problem-page.js'
import { GrantRefused, ServerMisbehaved, ServerUnreachable, discover, exchangeCode, leastScope, registerApp, revokeToken, verifyCredentials } from './mastodon.client.js'
import { MastodonCallbackQuery, MastodonStartBody, mastodonStartMessages } from './mastodon.schemas.js'
import { checkServerAddress, parseServer, type MastodonServer } from './mastodon-server.js'
import { findClient, saveClient } from './oauth-clients.queries.js'
import { NextQuery } from '../accounts/accounts.schemas.js'

const mastodonRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app
  const redirectUri = `${config.baseUrl}/sign-in/mastodon/callback`

  // The form's answer is a redirect to the person's own server.
  const renderForm = (request: FastifyRequest, reply: FastifyReply, status: number, values: Record<string, unknown>, errors: FormErrors) => {
    allowFormToOtherSites(reply, { http: config.allowPrivatePeers })
    return reply.code(status).viewAsync('mastodon/start', { values, errors, linking: request.currentUser !== null && request.currentUser !== undefined })
  }

  /** The kept registration at this server, or a new one (POST /api/v1/apps), made once per server. */
  async function clientFor(server: MastodonServer, scope: string) {
    const kept = await findClient(db, server.host, redirectUri)
    if (kept) return kept
    const registered = await registerApp(server, { redirectUri, scopes: scope, website: config.baseUrl })
    return saveClient(db, { server: server.host, client_id: registered.clientId, client_secret: registered.clientSecret, redirect_uri: redirectUri, scopes: scope, created_at: new Date().toISOString() })
  }

  app.get('/sign-in/mastodon', { schema: { querystring: NextQuery } }, async (request, reply) =>
    renderForm(request, reply, 200, { next: request.query.next ?? '' }, {}),
  )

  app.post('/sign-in/mastodon', { schema: { body: MastodonStartBody }, attachValidation: true }, async (request, reply) => {
    const values = keptValues(request.body)
    const invalid = (status: number, key: 'mastodon.server.invalid' | 'mastodon.server.private' | 'mastodon.tooMany') =>
      renderForm(request, reply, status, values, key === 'mastodon.tooMany' ? { _form: { key } } : { server: { key } })
    if (request.validationError) return renderForm(request, reply, 400, values, errorsFromValidation(request.validationError.validation, mastodonStartMessages, request.body))
    const now = new Date()
    // Each start makes requests to a server someone named: limited per address like password guesses,
    // in a bucket of its own so that signing in this way never counts as a failed password.
    if (config.rateLimits && (await recordAttempt(db, buckets.remoteSignInIp(request.ip), LIMITS.remoteSignInsPerIp, now)).limited) return invalid(429, 'mastodon.tooMany')

    const server = parseServer(request.body.server, config.allowPrivatePeers)
    if (!server) return invalid(400, 'mastodon.server.invalid')
    const address = await checkServerAddress(server, config.allowPrivatePeers)
    if (address === 'private') return invalid(400, 'mastodon.server.private')
    if (address === 'unreachable') return problemPage(reply, 502, 'unreachable', 'mastodon', server.host)

    try {
      const endpoints = await discover(server)
      const scope = leastScope(endpoints)
      const client = await clientFor(server, scope)
      const codeVerifier = crypto.randomBytes(32).toString('base64url')
      const attempt = await createAttempt(
        db,
        { provider: 'mastodon', server: server.host, codeVerifier, linkUserId: request.currentUser?.id ?? null, nextPath: safeNextPath(request.body.next) },
        now,
      )
      rememberAttempt(request, attempt.state)
      const url = new URL(endpoints.authorization)
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: client.client_id,
        redirect_uri: redirectUri,
        scope: client.scopes,
        state: attempt.state,
        code_challenge: crypto.createHash('sha256').update(codeVerifier).digest('base64url'),
        code_challenge_method: 'S256',
      }).toString()
      return reply.redirect(url.toString(), 303)
    } catch (error) {
      if (error instanceof ServerUnreachable || error instanceof ServerMisbehaved) {
        request.log.warn({ server: server.host, problem: error.message }, 'mastodon sign-in could not start')
        return problemPage(reply, 502, 'unreachable', 'mastodon', server.host)
      }
      throw error
    }
  })

  app.get('/sign-in/mastodon/callback', { schema: { querystring: MastodonCallbackQuery } }, async (request, reply) => {
    const now = new Date()
    const { state, code, error } = request.query
    const attempt = state ? await findAttemptByState(db, state) : undefined
    // Unknown, another browser's, expired or already used: the same page, and nothing happens.
    const ours = attempt && attempt.provider === 'mastodon' && startedHere(request, attempt.state)
    if (!attempt || !ours || attempt.expires_at <= now.toISOString() || !(await useAttempt(db, attempt.id, now))) {
      return problemPage(reply, 400, 'state', 'mastodon', attempt?.server ?? '')
    }
    if (error === 'access_denied') return problemPage(reply, 200, 'denied', 'mastodon', attempt.server)
    if (error || !code) return problemPage(reply, 400, 'cancelled', 'mastodon', attempt.server)

    const server = parseServer(attempt.server, config.allowPrivatePeers)
    const client = await findClient(db, attempt.server, redirectUri)
    if (!server || !client) return problemPage(reply, 400, 'state', 'mastodon', attempt.server)
    const registered = { clientId: client.client_id, clientSecret: client.client_secret, redirectUri }
    try {
      const endpoints = await discover(server)
      const { accessToken } = await exchangeCode(endpoints, registered, code, attempt.code_verifier)
      let account
      try {
        account = await verifyCredentials(server, accessToken)
      } finally {
        // Sign-in only: the token has done its one job.
        if (!(await revokeToken(endpoints, registered, accessToken))) request.log.warn({ server: server.host }, 'mastodon token not revoked')
      }
      return await completeSignIn(
        db,
        request,
        reply,
        {
          provider: 'mastodon',
          subject: `${server.host}/${account.id}`,
          handle: `${account.username}@${server.host}`,
          profileUrl: account.url,
          displayName: account.displayName || null,
        },
        attempt,
      )
    } catch (failure) {
      if (failure instanceof GrantRefused) {
        request.log.warn({ server: server.host, problem: failure.message }, 'mastodon sign-in refused by the server')
        return problemPage(reply, 400, 'rejected', 'mastodon', server.host)
      }
      if (failure instanceof ServerUnreachable || failure instanceof ServerMisbehaved) {
        request.log.warn({ server: server.host, problem: failure.message }, 'mastodon sign-in failed')
        return problemPage(reply, 502, 'unreachable', 'mastodon', server.host)
      }
      throw failure
    }
  })
}

export default mastodonRoutes
