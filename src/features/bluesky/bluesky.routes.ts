// Sign in with Bluesky (AT Protocol OAuth). The person types their handle; we find their PDS
// and its authorisation server, push the request there (PAR, PKCE, DPoP) and send the browser
// to consent. On the way back we redeem the code, check that the server speaks for the DID it
// vouches for, read the handle the DID claims (checked both ways) and sign them in or link it.
// We ask for the "atproto" scope only and keep no token.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import * as oauth from 'oauth4webapi'
import { Type } from 'typebox'
import { errorsFromValidation, keptValues, type FieldMessages, type FormErrors } from '../../lib/forms.js'
import { readAccountName, resolveDid, resolveHandle, pdsOf, verifiedHandle, type AtprotoDirectory } from '../../lib/atproto/identity.js'
import {
  authorizationServer,
  authorizationServerFor,
  checkIssuerSpeaksFor,
  clientMetadata,
  finishAuthorization,
  newDpopKey,
  publicDisplayName,
  revokeToken,
  startAuthorization,
} from '../../lib/atproto/oauth.js'
import { PeerError } from '../../lib/peer-fetch.js'
import { CsrfField } from '../../lib/schema-fields.js'
import { safeNextPath } from '../../plugins/auth.js'
import { allowFormToOtherSites } from '../../plugins/security.js'
import { NextQuery } from '../accounts/accounts.schemas.js'
import { LIMITS, buckets, recordAttempt } from '../accounts/sign-in-throttle.js'
import { completeSignIn } from '../identities/identities.service.js'
import { createAttempt, findAttemptByState, useAttempt } from '../identities/oauth-attempts.queries.js'
import { rememberAttempt, startedHere } from '../identities/oauth-browser.js'
import { problemPage } from '../identities/problem-page.js'

export const BLUESKY_CLIENT_METADATA_PATH = '/oauth/bluesky/client-metadata.json'
const CALLBACK_PATH = '/sign-in/bluesky/callback'

const StartBody = Type.Object({
  handle: Type.String({ minLength: 1, maxLength: 300 }),
  next: Type.Optional(Type.String({ maxLength: 2000 })),
  _csrf: CsrfField,
})
const CallbackQuery = Type.Object({
  state: Type.Optional(Type.String({ maxLength: 200 })),
  code: Type.Optional(Type.String({ maxLength: 2000 })),
  iss: Type.Optional(Type.String({ maxLength: 2000 })),
  error: Type.Optional(Type.String({ maxLength: 200 })),
  error_description: Type.Optional(Type.String({ maxLength: 2000 })),
})
const handleMessages: FieldMessages = { handle: { required: 'bluesky.handle.required', default: 'bluesky.handle.invalid' } }

const blueskyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app
  const redirectUri = `${config.baseUrl}${CALLBACK_PATH}`
  // The AT Protocol names a client by the URL of its metadata document. A site on plain http
  // (a laptop trial) cannot be fetched by Bluesky: the protocol's loopback client stands in.
  const loopbackTrial = new URL(config.baseUrl).protocol === 'http:' && !config.allowPrivatePeers
  const clientId = loopbackTrial
    ? `http://localhost?${new URLSearchParams({ redirect_uri: redirectUri.replace('//localhost', '//127.0.0.1'), scope: 'atproto' })}`
    : `${config.baseUrl}${BLUESKY_CLIENT_METADATA_PATH}`
  const callbackUri = loopbackTrial ? redirectUri.replace('//localhost', '//127.0.0.1') : redirectUri
  const directory: AtprotoDirectory = { ...config.atproto, allowPrivatePeers: config.allowPrivatePeers }

  app.get(BLUESKY_CLIENT_METADATA_PATH, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=3600')
    return reply.type('application/json').send(clientMetadata(clientId, callbackUri, config.baseUrl))
  })

  // Signed in, the same pages link a Bluesky account to the account instead.
  const renderStart = (request: FastifyRequest, reply: FastifyReply, status: number, values: Record<string, string>, errors: FormErrors) => {
    allowFormToOtherSites(reply, { http: config.allowPrivatePeers })
    return reply.code(status).viewAsync('bluesky/start', { values, errors, linking: request.currentUser !== null, noindex: true })
  }

  app.get('/sign-in/bluesky', { schema: { querystring: NextQuery } }, async (request, reply) => renderStart(request, reply, 200, { handle: '', next: request.query.next ?? '' }, {}))

  app.post('/sign-in/bluesky', { schema: { body: StartBody }, attachValidation: true }, async (request, reply) => {
    const values = keptValues(request.body)
    if (request.validationError) return renderStart(request, reply, 400, values, errorsFromValidation(request.validationError.validation, handleMessages, request.body))
    const name = readAccountName(request.body.handle)
    if (!name) return renderStart(request, reply, 400, values, { handle: { key: 'bluesky.handle.invalid' } })
    // Each start makes requests to servers someone named: limited per address like password guesses.
    if (config.rateLimits && (await recordAttempt(db, buckets.remoteSignInIp(request.ip), LIMITS.remoteSignInsPerIp, new Date())).limited) {
      return renderStart(request, reply, 429, values, { _form: { key: 'bluesky.tooMany' } })
    }
    const linkUserId = request.currentUser?.id ?? null
    const shown = name.kind === 'handle' ? name.handle : name.did

    let authorizeUrl: URL
    try {
      const did = name.kind === 'did' ? name.did : await resolveHandle(name.handle, directory)
      if (!did) return renderStart(request, reply, 400, values, { handle: { key: 'bluesky.handle.unknown', params: { handle: shown } } })
      const as = await authorizationServerFor(pdsOf(await resolveDid(did, directory)), directory)
      const dpopKey = await newDpopKey()
      const codeVerifier = oauth.generateRandomCodeVerifier()
      const attempt = await createAttempt(
        db,
        { provider: 'bluesky', server: as.issuer, codeVerifier, linkUserId, nextPath: safeNextPath(request.body.next), dpopPrivateJwk: dpopKey.privateJwk, expectedSubject: did },
        new Date(),
      )
      authorizeUrl = await startAuthorization(as, clientId, callbackUri, { state: attempt.state, codeVerifier, dpopKey, loginHint: shown }, directory)
      rememberAttempt(request, attempt.state)
    } catch (error) {
      if (!(error instanceof PeerError) && !(error instanceof oauth.ResponseBodyError) && !(error instanceof oauth.OperationProcessingError)) throw error
      request.log.warn({ err: { message: (error as Error).message }, handle: shown }, 'Bluesky sign-in could not start')
      if (error instanceof PeerError && error.reason === 'not-allowed') return renderStart(request, reply, 400, values, { handle: { key: 'bluesky.handle.notAllowed', params: { handle: shown } } })
      return problemPage(reply, 502, error instanceof PeerError && error.reason === 'unreachable' ? 'unreachable' : 'unusable', 'bluesky', shown)
    }
    return reply.redirect(authorizeUrl.href, 303)
  })

  app.get(CALLBACK_PATH, { schema: { querystring: CallbackQuery } }, async (request, reply) => {
    const now = new Date()
    const state = request.query.state ?? ''
    const attempt = state ? await findAttemptByState(db, state) : undefined
    // Another browser's attempt, an old one, or one already used (a replayed callback): nobody
    // is signed in. startedHere is asked first so this browser forgets the state either way.
    const mine = startedHere(request, state)
    if (!attempt || attempt.provider !== 'bluesky' || !mine || attempt.expires_at <= now.toISOString() || !(await useAttempt(db, attempt.id, now))) {
      return problemPage(reply, 400, 'state', 'bluesky', attempt?.server ?? 'Bluesky')
    }
    const server = new URL(attempt.server).host
    if (request.query.error) return problemPage(reply, 400, request.query.error === 'access_denied' ? 'denied' : 'rejected', 'bluesky', server)
    if (!request.query.code) return problemPage(reply, 400, 'cancelled', 'bluesky', server)

    try {
      const as = await authorizationServer(attempt.server, directory)
      const callback = new URLSearchParams(request.query as Record<string, string>)
      const finished = await finishAuthorization(as, clientId, callbackUri, callback, { state, codeVerifier: attempt.code_verifier, dpopPrivateJwk: attempt.dpop_private_jwk ?? '' }, directory)
      // Started from a handle: the account that consented must be the one that was named.
      if (attempt.expected_subject && attempt.expected_subject !== finished.did) return problemPage(reply, 400, 'rejected', 'bluesky', server)
      const document = await checkIssuerSpeaksFor(finished.did, as.issuer, directory)
      const [handle, displayName] = await Promise.all([verifiedHandle(finished.did, document, directory), publicDisplayName(pdsOf(document), finished.did, directory)])
      await revokeToken(as, clientId, finished, directory)
      return completeSignIn(
        db,
        request,
        reply,
        { provider: 'bluesky', subject: finished.did, handle: handle ?? finished.did, profileUrl: `https://bsky.app/profile/${encodeURIComponent(handle ?? finished.did)}`, displayName: displayName ?? handle },
        attempt,
      )
    } catch (error) {
      if (error instanceof oauth.AuthorizationResponseError) return problemPage(reply, 400, error.error === 'access_denied' ? 'denied' : 'rejected', 'bluesky', server)
      if (error instanceof oauth.ResponseBodyError || error instanceof oauth.OperationProcessingError) {
        request.log.warn({ err: { message: error.message }, server }, 'Bluesky refused the sign-in')
        return problemPage(reply, 400, 'rejected', 'bluesky', server)
      }
      if (error instanceof PeerError) {
        request.log.warn({ err: { message: error.message }, server }, 'Bluesky sign-in could not finish')
        return problemPage(reply, 502, error.reason === 'unreachable' ? 'unreachable' : 'unusable', 'bluesky', server)
      }
      throw error
    }
  })
}

export default blueskyRoutes
