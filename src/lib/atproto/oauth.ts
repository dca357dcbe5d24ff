// AT Protocol OAuth (the profile Bluesky uses) for signing in, never for acting on the account:
// the only scope asked is "atproto", which proves who the person is and grants nothing else.
// The profile requires PAR (the request is pushed to the server, the browser carries only its
// id), PKCE and DPoP (tokens bound to a key pair made for this one sign-in). oauth4webapi does
// the protocol; this file adds the AT Protocol rules around it.
import crypto from 'node:crypto'
import * as oauth from 'oauth4webapi'
import { PeerError, peerFetch, peerJson, type PeerOptions } from '../peer-fetch.js'
import { pdsOf, resolveDid, type AtprotoDirectory } from './identity.js'

export const ATPROTO_SCOPE = 'atproto'

/** The client metadata document, served at client_id (the AT Protocol has no registration). */
export function clientMetadata(clientId: string, redirectUri: string, baseUrl: string): Record<string, unknown> {
  return {
    client_id: clientId,
    client_name: 'Hashcamp',
    client_uri: baseUrl,
    application_type: 'web',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: [redirectUri],
    scope: ATPROTO_SCOPE,
    token_endpoint_auth_method: 'none',
    dpop_bound_access_tokens: true,
  }
}

function requestOptions(peer: PeerOptions): { [oauth.allowInsecureRequests]: boolean; [oauth.customFetch]: typeof fetch; signal: () => AbortSignal } {
  return {
    [oauth.allowInsecureRequests]: peer.allowPrivatePeers,
    // Every request oauth4webapi makes goes through the same address check as ours.
    [oauth.customFetch]: ((url: string, init: RequestInit) => peerFetch(url, init, peer)) as typeof fetch,
    signal: () => AbortSignal.timeout(peer.timeoutMs ?? 8_000),
  }
}

/** The authorisation server of a PDS, checked against what the AT Protocol profile requires. */
export async function authorizationServerFor(pds: URL, peer: PeerOptions): Promise<oauth.AuthorizationServer> {
  const resource = await peerJson(new URL('/.well-known/oauth-protected-resource', pds), peer)
  const servers = resource.authorization_servers
  if (!Array.isArray(servers) || typeof servers[0] !== 'string') throw new PeerError('bad-answer', `${pds.origin} names no authorisation server`)
  return authorizationServer(servers[0], peer)
}

/** An issuer's metadata (RFC 8414), checked against what the AT Protocol profile requires. */
export async function authorizationServer(issuerText: string, peer: PeerOptions): Promise<oauth.AuthorizationServer> {
  let as: oauth.AuthorizationServer
  try {
    const issuer = new URL(issuerText)
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...requestOptions(peer) }))
  } catch (error) {
    if (error instanceof PeerError) throw error
    throw new PeerError('bad-answer', `${issuerText}: ${(error as Error).message}`)
  }
  const fits =
    typeof as.pushed_authorization_request_endpoint === 'string' &&
    typeof as.authorization_endpoint === 'string' &&
    typeof as.token_endpoint === 'string' &&
    (as.dpop_signing_alg_values_supported ?? []).includes('ES256') &&
    (as.scopes_supported ?? []).includes(ATPROTO_SCOPE) &&
    as.authorization_response_iss_parameter_supported === true
  if (!fits) throw new PeerError('bad-answer', `${as.issuer} does not offer AT Protocol OAuth (PAR, DPoP ES256, the atproto scope)`)
  return as
}

export interface DpopKey {
  keyPair: CryptoKeyPair
  /** The private key as JWK text, kept with the sign-in attempt: the code is bound to it. */
  privateJwk: string
}

/** A key pair made for one sign-in (ES256, as the AT Protocol profile requires). */
export async function newDpopKey(): Promise<DpopKey> {
  const keyPair = (await crypto.webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair
  return { keyPair, privateJwk: JSON.stringify(await crypto.webcrypto.subtle.exportKey('jwk', keyPair.privateKey)) }
}

async function importDpopKeyPair(privateJwkText: string): Promise<CryptoKeyPair> {
  const privateJwk = JSON.parse(privateJwkText) as JsonWebKey
  const publicJwk: JsonWebKey = { kty: privateJwk.kty, crv: privateJwk.crv, x: privateJwk.x, y: privateJwk.y }
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256' }
  const [privateKey, publicKey] = await Promise.all([
    crypto.webcrypto.subtle.importKey('jwk', privateJwk, algorithm, false, ['sign']),
    crypto.webcrypto.subtle.importKey('jwk', publicJwk, algorithm, true, ['verify']),
  ])
  return { privateKey, publicKey } as CryptoKeyPair
}

/** Sends a request built by `send` with a DPoP proof, once more with the server's nonce if it asks. */
async function withDpopNonce<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send()
  } catch (error) {
    if (oauth.isDPoPNonceError(error)) return send()
    throw error
  }
}

export interface AuthorizationRequest {
  state: string
  codeVerifier: string
  dpopKey: DpopKey
  /** The handle or DID the person typed, so the server can skip asking who they are. */
  loginHint: string | null
}

/** Pushes the authorisation request (PAR); returns where to send the browser. */
export async function startAuthorization(as: oauth.AuthorizationServer, clientId: string, redirectUri: string, request: AuthorizationRequest, peer: PeerOptions): Promise<URL> {
  const client: oauth.Client = { client_id: clientId }
  const DPoP = oauth.DPoP(client, request.dpopKey.keyPair)
  const parameters = new URLSearchParams({
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: ATPROTO_SCOPE,
    state: request.state,
    code_challenge: await oauth.calculatePKCECodeChallenge(request.codeVerifier),
    code_challenge_method: 'S256',
  })
  if (request.loginHint) parameters.set('login_hint', request.loginHint)
  const pushed = await withDpopNonce(async () =>
    oauth.processPushedAuthorizationResponse(as, client, await oauth.pushedAuthorizationRequest(as, client, oauth.None(), parameters, { DPoP, ...requestOptions(peer) })),
  )
  const authorizeUrl = new URL(as.authorization_endpoint!)
  authorizeUrl.searchParams.set('client_id', clientId)
  authorizeUrl.searchParams.set('request_uri', pushed.request_uri)
  return authorizeUrl
}

export interface FinishedAuthorization {
  /** The account's DID, as the server vouched for it. */
  did: string
  accessToken: string
}

/**
 * Checks the callback (state, iss), redeems the code with PKCE and the DPoP key, and returns
 * the DID the token is for. Throws oauth4webapi's AuthorizationResponseError when the person
 * refused, and its ResponseBodyError when the server refuses the code.
 */
export async function finishAuthorization(
  as: oauth.AuthorizationServer,
  clientId: string,
  redirectUri: string,
  callback: URLSearchParams,
  expected: { state: string; codeVerifier: string; dpopPrivateJwk: string },
  peer: PeerOptions,
): Promise<FinishedAuthorization> {
  const client: oauth.Client = { client_id: clientId }
  const parameters = oauth.validateAuthResponse(as, client, callback, expected.state)
  const keyPair = await importDpopKeyPair(expected.dpopPrivateJwk)
  const DPoP = oauth.DPoP(client, keyPair)
  const tokens = await withDpopNonce(async () =>
    oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), parameters, redirectUri, expected.codeVerifier, { DPoP, ...requestOptions(peer) }),
    ),
  )
  const did = tokens.sub
  const scopes = (tokens.scope ?? '').split(' ')
  if (tokens.token_type !== 'dpop' || typeof did !== 'string' || !did.startsWith('did:') || !scopes.includes(ATPROTO_SCOPE)) {
    throw new PeerError('bad-answer', `${as.issuer} answered with a token that is not an AT Protocol one`)
  }
  return { did, accessToken: tokens.access_token }
}

/**
 * The server that issued the token must be the one the DID's own PDS names: otherwise any
 * server could vouch for any DID. Returns the DID document for the caller's use.
 */
export async function checkIssuerSpeaksFor(did: string, issuer: string, directory: AtprotoDirectory): Promise<Awaited<ReturnType<typeof resolveDid>>> {
  const document = await resolveDid(did, directory)
  const as = await authorizationServerFor(pdsOf(document), directory)
  if (as.issuer !== issuer) throw new PeerError('bad-answer', `${issuer} vouched for ${did}, whose PDS names ${as.issuer}`)
  return document
}

/** We keep no token: sign-in only. Revoking is a courtesy; its failure changes nothing. */
export async function revokeToken(as: oauth.AuthorizationServer, clientId: string, finished: FinishedAuthorization, peer: PeerOptions): Promise<void> {
  if (!as.revocation_endpoint) return
  const client: oauth.Client = { client_id: clientId }
  try {
    await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, oauth.None(), finished.accessToken, requestOptions(peer)))
  } catch {
    // The token expires on its own.
  }
}

/** The display name on the account's public Bluesky profile record, if it has one. */
export async function publicDisplayName(pds: URL, did: string, peer: PeerOptions): Promise<string | null> {
  const url = new URL('/xrpc/com.atproto.repo.getRecord', pds)
  url.searchParams.set('repo', did)
  url.searchParams.set('collection', 'app.bsky.actor.profile')
  url.searchParams.set('rkey', 'self')
  try {
    const record = await peerJson(url, { ...peer, timeoutMs: 3_000 })
    const name = (record.value as { displayName?: unknown } | undefined)?.displayName
    return typeof name === 'string' && name.trim() !== '' ? name.trim().slice(0, 80) : null
  } catch {
    return null
  }
}
