// A small AT Protocol world on 127.0.0.1 for the Bluesky sign-in tests: a PLC directory, a
// handle resolver, a PDS and its OAuth authorisation server, in one real HTTP server.
// The authorisation server checks what Bluesky's does, so a client that cuts a corner fails:
// the client metadata document (fetched from the client_id URL), PAR only, PKCE S256, DPoP
// proofs (ES256 signature, htm/htu, iat, jti never reused, the server's nonce) with the code
// bound to the key that pushed the request, single-use codes, and `iss` on the callback.
import crypto from 'node:crypto'
import http from 'node:http'

export interface AtprotoAccount {
  did: string
  handle: string
  displayName: string | null
}

export interface AtprotoServer {
  base: string
  accounts: AtprotoAccount[]
  /** What the person does on the consent screen. */
  decision: 'allow' | 'deny'
  /** Who signs in on the consent screen (a handle of `accounts`). */
  signInAs: string
  /** Set to vouch for another DID than the one signed in (a server lying about who it is for). */
  subOverride: string | null
  /** Every request's method and path, in order. */
  requests: string[]
  /** Codes redeemed, and refusals the token endpoint gave (its `error` values). */
  codesRedeemed: number
  tokenErrors: string[]
  close(): Promise<void>
}

const b64url = (input: Buffer | string) => Buffer.from(input).toString('base64url')
const random = () => crypto.randomBytes(24).toString('base64url')

function thumbprint(jwk: crypto.JsonWebKey): string {
  return b64url(crypto.createHash('sha256').update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).digest())
}

async function readForm(request: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return new URLSearchParams(Buffer.concat(chunks).toString())
}

export async function startAtprotoServer(accounts: Omit<AtprotoAccount, 'did'>[]): Promise<AtprotoServer> {
  const nonce = random()
  const seenJti = new Set<string>()
  const pushed = new Map<string, { params: URLSearchParams; jkt: string; expires: number }>()
  const codes = new Map<string, { params: URLSearchParams; jkt: string; did: string; used: boolean }>()
  const withDids: AtprotoAccount[] = accounts.map((account) => ({
    ...account,
    did: `did:plc:${crypto.createHash('sha256').update(account.handle).digest('hex').replace(/[^a-z2-7]/g, '').padEnd(24, 'a').slice(0, 24)}`,
  }))
  const world: AtprotoServer = {
    base: '',
    accounts: withDids,
    decision: 'allow',
    signInAs: withDids[0]?.handle ?? '',
    subOverride: null,
    requests: [],
    codesRedeemed: 0,
    tokenErrors: [],
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }

  /** The DPoP proof's key thumbprint when the proof is good; otherwise the error to answer. */
  function checkDpop(request: http.IncomingMessage, htu: string): { jkt: string } | { error: string; status: number } {
    const proof = request.headers.dpop
    if (typeof proof !== 'string') return { error: 'invalid_dpop_proof', status: 400 }
    const [headerPart, payloadPart, signaturePart] = proof.split('.')
    try {
      const header = JSON.parse(Buffer.from(headerPart!, 'base64url').toString()) as { typ?: string; alg?: string; jwk?: crypto.JsonWebKey }
      const payload = JSON.parse(Buffer.from(payloadPart!, 'base64url').toString()) as { htm?: string; htu?: string; iat?: number; jti?: string; nonce?: string }
      if (header.typ !== 'dpop+jwt' || header.alg !== 'ES256' || !header.jwk || 'd' in header.jwk) return { error: 'invalid_dpop_proof', status: 400 }
      const key = crypto.createPublicKey({ key: header.jwk, format: 'jwk' })
      const good = crypto.verify('sha256', Buffer.from(`${headerPart}.${payloadPart}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signaturePart!, 'base64url'))
      if (!good) return { error: 'invalid_dpop_proof', status: 400 }
      if (payload.htm !== request.method || payload.htu !== htu) return { error: 'invalid_dpop_proof', status: 400 }
      if (typeof payload.iat !== 'number' || Math.abs(payload.iat - Date.now() / 1000) > 60) return { error: 'invalid_dpop_proof', status: 400 }
      if (payload.nonce !== nonce) return { error: 'use_dpop_nonce', status: 400 }
      if (!payload.jti || seenJti.has(payload.jti)) return { error: 'invalid_dpop_proof', status: 400 }
      seenJti.add(payload.jti)
      return { jkt: thumbprint(header.jwk) }
    } catch {
      return { error: 'invalid_dpop_proof', status: 400 }
    }
  }

  async function checkClient(clientId: string, redirectUri: string | null): Promise<string | null> {
    // The AT Protocol has no registration: the client_id is the URL of its metadata document.
    const response = await fetch(clientId).catch(() => null)
    if (!response || response.status !== 200) return 'the client metadata document could not be fetched'
    const metadata = (await response.json().catch(() => ({}))) as Record<string, unknown>
    if (metadata.client_id !== clientId) return 'client_id differs from the document URL'
    if (metadata.dpop_bound_access_tokens !== true) return 'tokens must be DPoP-bound'
    if (metadata.token_endpoint_auth_method !== 'none') return 'a public client was expected'
    if (!String(metadata.scope ?? '').split(' ').includes('atproto')) return 'the atproto scope is missing'
    if (redirectUri !== null && !(metadata.redirect_uris as string[] | undefined)?.includes(redirectUri)) return 'redirect_uri is not in the document'
    return null
  }

  const json = (response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'application/json', 'dpop-nonce': nonce, ...headers })
    response.end(JSON.stringify(body))
  }

  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', world.base)
    world.requests.push(`${request.method} ${url.pathname}`)
    const account = (handle: string) => withDids.find((candidate) => candidate.handle === handle)
    try {
      if (request.method === 'GET' && url.pathname === '/xrpc/com.atproto.identity.resolveHandle') {
        const found = account(url.searchParams.get('handle') ?? '')
        return found ? json(response, 200, { did: found.did }) : json(response, 400, { error: 'InvalidRequest', message: 'Unable to resolve handle' })
      }
      if (request.method === 'GET' && url.pathname.startsWith('/did:plc:')) {
        const found = withDids.find((candidate) => candidate.did === url.pathname.slice(1))
        if (!found) return json(response, 404, { message: 'DID not registered' })
        return json(response, 200, {
          '@context': ['https://www.w3.org/ns/did/v1'],
          id: found.did,
          alsoKnownAs: [`at://${found.handle}`],
          verificationMethod: [],
          service: [{ id: '#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: world.base }],
        })
      }
      if (request.method === 'GET' && url.pathname === '/xrpc/com.atproto.repo.getRecord') {
        const found = withDids.find((candidate) => candidate.did === url.searchParams.get('repo'))
        if (!found?.displayName) return json(response, 400, { error: 'RecordNotFound' })
        return json(response, 200, { uri: `at://${found.did}/app.bsky.actor.profile/self`, value: { $type: 'app.bsky.actor.profile', displayName: found.displayName } })
      }
      if (request.method === 'GET' && url.pathname === '/.well-known/oauth-protected-resource') {
        return json(response, 200, { resource: world.base, authorization_servers: [world.base] })
      }
      if (request.method === 'GET' && url.pathname === '/.well-known/oauth-authorization-server') {
        return json(response, 200, {
          issuer: world.base,
          authorization_endpoint: `${world.base}/oauth/authorize`,
          token_endpoint: `${world.base}/oauth/token`,
          pushed_authorization_request_endpoint: `${world.base}/oauth/par`,
          revocation_endpoint: `${world.base}/oauth/revoke`,
          require_pushed_authorization_requests: true,
          response_types_supported: ['code'],
          grant_types_supported: ['authorization_code', 'refresh_token'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['none', 'private_key_jwt'],
          dpop_signing_alg_values_supported: ['ES256'],
          scopes_supported: ['atproto', 'transition:generic'],
          authorization_response_iss_parameter_supported: true,
          client_id_metadata_document_supported: true,
        })
      }
      if (request.method === 'POST' && url.pathname === '/oauth/par') {
        const form = await readForm(request)
        const dpop = checkDpop(request, `${world.base}/oauth/par`)
        if ('error' in dpop) return json(response, dpop.status, { error: dpop.error })
        const problem = await checkClient(form.get('client_id') ?? '', form.get('redirect_uri'))
        if (problem) return json(response, 400, { error: 'invalid_client_metadata', error_description: problem })
        if (form.get('response_type') !== 'code' || form.get('code_challenge_method') !== 'S256' || !form.get('code_challenge') || !form.get('state')) {
          return json(response, 400, { error: 'invalid_request' })
        }
        if (!(form.get('scope') ?? '').split(' ').includes('atproto')) return json(response, 400, { error: 'invalid_scope' })
        const requestUri = `urn:ietf:params:oauth:request_uri:req-${random()}`
        pushed.set(requestUri, { params: form, jkt: dpop.jkt, expires: Date.now() + 60_000 })
        return json(response, 201, { request_uri: requestUri, expires_in: 60 })
      }
      if (request.method === 'GET' && url.pathname === '/oauth/authorize') {
        // PAR is required: the browser brings only the request's id.
        const entry = pushed.get(url.searchParams.get('request_uri') ?? '')
        if (!entry || entry.expires < Date.now() || entry.params.get('client_id') !== url.searchParams.get('client_id') || [...url.searchParams.keys()].length !== 2) {
          response.writeHead(400, { 'content-type': 'text/plain' })
          return response.end('unknown or expired request')
        }
        pushed.delete(url.searchParams.get('request_uri')!)
        const back = new URL(entry.params.get('redirect_uri')!)
        back.searchParams.set('state', entry.params.get('state')!)
        back.searchParams.set('iss', world.base)
        const person = account(world.signInAs)
        if (world.decision === 'deny' || !person) {
          back.searchParams.set('error', 'access_denied')
          back.searchParams.set('error_description', 'Access denied')
        } else {
          const code = `cod-${random()}`
          codes.set(code, { params: entry.params, jkt: entry.jkt, did: world.subOverride ?? person.did, used: false })
          back.searchParams.set('code', code)
        }
        response.writeHead(303, { location: back.href })
        return response.end()
      }
      if (request.method === 'POST' && url.pathname === '/oauth/token') {
        const form = await readForm(request)
        const dpop = checkDpop(request, `${world.base}/oauth/token`)
        const refuse = (error: string, status = 400) => {
          world.tokenErrors.push(error)
          return json(response, status, { error })
        }
        if ('error' in dpop) return refuse(dpop.error, dpop.status)
        const entry = codes.get(form.get('code') ?? '')
        if (form.get('grant_type') !== 'authorization_code' || !entry) return refuse('invalid_grant')
        if (entry.used) return refuse('invalid_grant')
        entry.used = true
        if (entry.jkt !== dpop.jkt) return refuse('invalid_dpop_proof')
        if (entry.params.get('client_id') !== form.get('client_id') || entry.params.get('redirect_uri') !== form.get('redirect_uri')) return refuse('invalid_grant')
        const challenge = b64url(crypto.createHash('sha256').update(form.get('code_verifier') ?? '').digest())
        if (challenge !== entry.params.get('code_challenge')) return refuse('invalid_grant')
        world.codesRedeemed++
        return json(response, 200, { access_token: `at-${random()}`, token_type: 'DPoP', expires_in: 300, scope: 'atproto', sub: entry.did })
      }
      if (request.method === 'POST' && url.pathname === '/oauth/revoke') {
        await readForm(request)
        return json(response, 200, {})
      }
      json(response, 404, { error: 'NotFound' })
    } catch (error) {
      json(response, 500, { error: 'ServerError', message: (error as Error).message })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address() as { port: number }
  world.base = `http://127.0.0.1:${address.port}`
  return world
}
