// Talking to a Mastodon server: discovery, app registration, the token request, the profile
// and revoking the token. Plain fetch, a timeout on every request; nothing here logs a code,
// token or secret, and errors carry only what went wrong, never what was sent.
import type { MastodonServer } from './mastodon-server.js'

const TIMEOUT_MS = 10_000

/** The server did not answer (down, refused, timed out, not HTTP): the person is told which server. */
export class ServerUnreachable extends Error {}
/** The server answered, but not as Mastodon would (a 500, HTML instead of JSON). */
export class ServerMisbehaved extends Error {}
/** The token endpoint refused the code (replayed, expired, or the PKCE verifier does not match). */
export class GrantRefused extends Error {}

export interface MastodonEndpoints {
  authorization: string
  token: string
  revocation: string
  scopesSupported: string[] | null
}

export interface RegisteredApp {
  clientId: string
  clientSecret: string | null
}

export interface MastodonAccount {
  id: string
  username: string
  displayName: string
  url: string | null
}

async function call(url: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) })
  } catch (error) {
    throw new ServerUnreachable(`${new URL(url).host}: ${(error as Error).name}`)
  }
}

async function json(response: Response): Promise<Record<string, unknown>> {
  try {
    const body: unknown = await response.json()
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>
  } catch {
    // Falls through: not JSON.
  }
  throw new ServerMisbehaved(`${new URL(response.url || 'http://unknown').host}: not a JSON object (status ${response.status})`)
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null)
const sameServer = (server: MastodonServer, url: string | null): string | null => {
  if (!url) return null
  try {
    return new URL(url).origin === server.origin ? url : null
  } catch {
    return null
  }
}

/**
 * Mastodon 4.3 and later describe themselves (RFC 8414); older ones have fixed paths. Endpoints
 * elsewhere than the server itself are not followed: the sign-in stays with the server named.
 */
export async function discover(server: MastodonServer): Promise<MastodonEndpoints> {
  const fallback: MastodonEndpoints = {
    authorization: `${server.origin}/oauth/authorize`,
    token: `${server.origin}/oauth/token`,
    revocation: `${server.origin}/oauth/revoke`,
    scopesSupported: null,
  }
  const response = await call(`${server.origin}/.well-known/oauth-authorization-server`, { headers: { accept: 'application/json' } })
  if (response.status === 404) return fallback
  if (!response.ok) throw new ServerMisbehaved(`${server.host}: metadata status ${response.status}`)
  const meta = await json(response)
  const scopes = Array.isArray(meta.scopes_supported) ? meta.scopes_supported.filter((s): s is string => typeof s === 'string') : null
  return {
    authorization: sameServer(server, text(meta.authorization_endpoint)) ?? fallback.authorization,
    token: sameServer(server, text(meta.token_endpoint)) ?? fallback.token,
    revocation: sameServer(server, text(meta.revocation_endpoint)) ?? fallback.revocation,
    scopesSupported: scopes,
  }
}

/** `profile` reads only verify_credentials (Mastodon 4.3+); older servers know only the wider read:accounts. */
export function leastScope(endpoints: MastodonEndpoints): string {
  return endpoints.scopesSupported?.includes('profile') ? 'profile' : 'read:accounts'
}

export async function registerApp(server: MastodonServer, app: { redirectUri: string; scopes: string; website: string }): Promise<RegisteredApp> {
  const response = await call(`${server.origin}/api/v1/apps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ client_name: 'Hashcamp', redirect_uris: app.redirectUri, scopes: app.scopes, website: app.website }),
  })
  if (!response.ok) throw new ServerMisbehaved(`${server.host}: app registration status ${response.status}`)
  const body = await json(response)
  const clientId = text(body.client_id)
  if (!clientId) throw new ServerMisbehaved(`${server.host}: app registration without client_id`)
  return { clientId, clientSecret: text(body.client_secret) }
}

export async function exchangeCode(
  endpoints: MastodonEndpoints,
  app: RegisteredApp & { redirectUri: string },
  code: string,
  codeVerifier: string,
): Promise<{ accessToken: string }> {
  const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: app.redirectUri, client_id: app.clientId, code_verifier: codeVerifier })
  if (app.clientSecret) form.set('client_secret', app.clientSecret)
  const response = await call(endpoints.token, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form })
  if (response.status === 400 || response.status === 401) {
    const body = await json(response).catch(() => ({}) as Record<string, unknown>)
    throw new GrantRefused(`token request refused: ${text(body.error) ?? response.status}`)
  }
  if (!response.ok) throw new ServerMisbehaved(`token status ${response.status}`)
  const body = await json(response)
  const accessToken = text(body.access_token)
  if (!accessToken) throw new ServerMisbehaved('token response without access_token')
  return { accessToken }
}

export async function verifyCredentials(server: MastodonServer, accessToken: string): Promise<MastodonAccount> {
  const response = await call(`${server.origin}/api/v1/accounts/verify_credentials`, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } })
  if (!response.ok) throw new ServerMisbehaved(`${server.host}: verify_credentials status ${response.status}`)
  const body = await json(response)
  const id = typeof body.id === 'number' ? String(body.id) : text(body.id)
  const username = text(body.username)
  if (!id || !username || !/^[A-Za-z0-9_.-]{1,64}$/.test(username)) throw new ServerMisbehaved(`${server.host}: verify_credentials without id or username`)
  const url = text(body.url)
  return { id, username, displayName: text(body.display_name)?.trim() ?? '', url: url && /^https?:\/\//i.test(url) ? url : null }
}

/** We keep no token: once the profile is read, the token is revoked. A failure only leaves it to expire. */
export async function revokeToken(endpoints: MastodonEndpoints, app: RegisteredApp, accessToken: string): Promise<boolean> {
  const form = new URLSearchParams({ token: accessToken, client_id: app.clientId })
  if (app.clientSecret) form.set('client_secret', app.clientSecret)
  try {
    const response = await call(endpoints.revocation, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })
    return response.ok
  } catch {
    return false
  }
}
