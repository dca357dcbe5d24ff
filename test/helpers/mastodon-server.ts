// A real OAuth 2 authorisation server (oidc-provider) on 127.0.0.1, shaped like Mastodon's:
// /oauth/authorize, /oauth/token, /oauth/revoke, PKCE required, Mastodon's scopes, and in front
// of it POST /api/v1/apps, GET /api/v1/accounts/verify_credentials and the RFC 8414 metadata.
// Its sign-in step does what the test says: sign in one of its accounts and allow, or refuse.
import crypto from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider, { type Adapter, type AdapterPayload } from 'oidc-provider'

export interface MastodonAccountFixture {
  id: string
  username: string
  display_name: string
}

export interface MastodonTestServer {
  origin: string
  /** 127.0.0.1:<port>: what a person types, and what the app calls the server. */
  host: string
  /** Requests to POST /api/v1/apps so far. */
  appRegistrations: number
  /** Requests to the revocation endpoint so far. */
  revocations: number
  /** What the next sign-in step does: sign in this account and allow, or refuse. */
  nextInteraction: { account: MastodonAccountFixture } | 'deny'
  close(): Promise<void>
}

/** A plain in-memory store, one per server: clients registered through /api/v1/apps go here too. */
function memoryAdapterFactory() {
  const stores = new Map<string, Map<string, AdapterPayload>>()
  return class MemoryAdapter implements Adapter {
    private readonly store: Map<string, AdapterPayload>
    constructor(name: string) {
      let store = stores.get(name)
      if (!store) stores.set(name, (store = new Map()))
      this.store = store
    }
    async upsert(id: string, payload: AdapterPayload): Promise<void> {
      this.store.set(id, payload)
    }
    async find(id: string): Promise<AdapterPayload | undefined> {
      return this.store.get(id)
    }
    async findByUserCode(): Promise<AdapterPayload | undefined> {
      return undefined
    }
    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return [...this.store.values()].find((p) => p.uid === uid)
    }
    async consume(id: string): Promise<void> {
      const payload = this.store.get(id)
      if (payload) payload.consumed = Math.floor(Date.now() / 1000)
    }
    async destroy(id: string): Promise<void> {
      this.store.delete(id)
    }
    async revokeByGrantId(grantId: string): Promise<void> {
      for (const [id, payload] of this.store) if (payload.grantId === grantId) this.store.delete(id)
    }
  }
}

const MASTODON_SCOPES = ['profile', 'read', 'read:accounts', 'write', 'follow', 'push']

export async function startMastodonServer(options: { accounts: MastodonAccountFixture[] }): Promise<MastodonTestServer> {
  const server = http.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  const Adapter = memoryAdapterFactory()
  const clients = new Adapter('Client')
  const accounts = new Map(options.accounts.map((a) => [a.id, a]))

  const provider = new Provider(origin, {
    adapter: Adapter,
    routes: { authorization: '/oauth/authorize', token: '/oauth/token', revocation: '/oauth/revoke' },
    scopes: MASTODON_SCOPES,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false }, revocation: { enabled: true } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: [crypto.randomBytes(16).toString('hex')] },
    findAccount: async (_ctx, sub) => (accounts.has(sub) ? { accountId: sub, claims: async () => ({ sub }) } : undefined),
    // Mastodon's codes live ten minutes and are single use; the provider revokes a replayed code's tokens.
    ttl: { AuthorizationCode: 600, AccessToken: 3600, Grant: 3600, Interaction: 600, Session: 3600 },
  })

  const state: MastodonTestServer = {
    origin,
    host: `127.0.0.1:${port}`,
    appRegistrations: 0,
    revocations: 0,
    nextInteraction: 'deny',
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  const callback = provider.callback()

  const sendJson = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  }
  const readBody = async (req: http.IncomingMessage): Promise<string> => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString('utf8')
  }

  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', origin)
    void (async () => {
      if (req.method === 'GET' && url.pathname === '/.well-known/oauth-authorization-server') {
        return sendJson(res, 200, {
          issuer: origin,
          authorization_endpoint: `${origin}/oauth/authorize`,
          token_endpoint: `${origin}/oauth/token`,
          revocation_endpoint: `${origin}/oauth/revoke`,
          scopes_supported: MASTODON_SCOPES,
          response_types_supported: ['code'],
          grant_types_supported: ['authorization_code'],
          code_challenge_methods_supported: ['S256'],
          app_registration_endpoint: `${origin}/api/v1/apps`,
        })
      }
      if (req.method === 'POST' && url.pathname === '/api/v1/apps') {
        state.appRegistrations++
        const raw = await readBody(req)
        const body = (req.headers['content-type'] ?? '').includes('json') ? (JSON.parse(raw) as Record<string, string>) : Object.fromEntries(new URLSearchParams(raw))
        const clientId = crypto.randomBytes(16).toString('base64url')
        const clientSecret = crypto.randomBytes(24).toString('base64url')
        await clients.upsert(clientId, {
          client_id: clientId,
          client_secret: clientSecret,
          client_name: body.client_name,
          redirect_uris: String(body.redirect_uris).split(/\s+/),
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_post',
          scope: body.scopes ?? 'read',
        })
        return sendJson(res, 200, { id: String(state.appRegistrations), name: body.client_name, website: body.website ?? null, client_id: clientId, client_secret: clientSecret, redirect_uri: body.redirect_uris })
      }
      if (req.method === 'GET' && url.pathname === '/api/v1/accounts/verify_credentials') {
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
        const found = token ? await provider.AccessToken.find(token) : undefined
        const account = found?.accountId ? accounts.get(found.accountId) : undefined
        if (!found || !account) return sendJson(res, 401, { error: 'The access token is invalid' })
        return sendJson(res, 200, { id: account.id, username: account.username, acct: account.username, display_name: account.display_name, url: `${origin}/@${account.username}` })
      }
      if (url.pathname.startsWith('/interaction/')) {
        const details = await provider.interactionDetails(req, res)
        const choice = state.nextInteraction
        if (choice === 'deny') {
          return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The resource owner or authorization server denied the request.' }, { mergeWithLastSubmission: false })
        }
        const grant = new provider.Grant({ accountId: choice.account.id, clientId: String(details.params.client_id) })
        grant.addOIDCScope(String(details.params.scope))
        const grantId = await grant.save()
        return provider.interactionFinished(req, res, { login: { accountId: choice.account.id }, consent: { grantId } }, { mergeWithLastSubmission: false })
      }
      if (url.pathname === '/oauth/revoke') state.revocations++
      return callback(req, res)
    })().catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: String(error) })
    })
  })
  return state
}
