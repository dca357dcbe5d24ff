// A second ActivityPub server for the federation tests: a real Fedify federation behind a real
// node:http server on 127.0.0.1, with one Person (alice) and her real RSA and Ed25519 keys,
// and an inbox that keeps every activity it accepted, as the JSON that arrived.
import '../../src/features/federation/node20-shims.js'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  Activity,
  type Actor,
  createFederation,
  Endpoints,
  Follow,
  generateCryptoKeyPair,
  isActor,
  MemoryKvStore,
  Person,
  signRequest,
  Undo,
  type Federation,
} from '@fedify/fedify'

export interface Received {
  type: string
  json: Record<string, unknown>
}

export interface Peer {
  origin: string
  actorId: URL
  received: Received[]
  /** Looks an actor up by URL and sends it a signed Follow from alice. */
  follow(actorUrl: string): Promise<Actor>
  /** Takes alice's Follow back. */
  unfollow(target: Actor): Promise<void>
  /** A Follow as JSON from alice, for the tests that post it by hand. */
  followJson(target: string): Record<string, unknown>
  /** Signs a request with a key that is not alice's, under alice's key id. */
  signWithWrongKey(request: Request): Promise<Request>
  /** Waits (bounded) until the inbox holds an activity that matches. */
  waitFor(predicate: (activity: Received) => boolean, timeoutMs?: number): Promise<Received>
  close(): Promise<void>
}

async function readBody(request: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

export async function startPeer(): Promise<Peer> {
  const received: Received[] = []
  const keys = await Promise.all([generateCryptoKeyPair('RSASSA-PKCS1-v1_5'), generateCryptoKeyPair('Ed25519')])
  let federation: Federation<void> | null = null

  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readBody(req)
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`)
      const headers = new Headers()
      for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value)
      const request = new Request(url, { method: req.method, headers, body: req.method === 'POST' ? new Uint8Array(body) : undefined })
      const response = await federation!.fetch(request, { contextData: undefined })
      // What the inbox accepted, as it arrived (Fedify has checked its signature).
      if (req.method === 'POST' && response.status < 300) {
        const json = JSON.parse(body.toString('utf8')) as Record<string, unknown>
        received.push({ type: String(json.type), json })
      }
      res.writeHead(response.status, Object.fromEntries(response.headers))
      res.end(Buffer.from(await response.arrayBuffer()))
    })().catch((error: unknown) => {
      res.writeHead(500)
      res.end(String(error))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  federation = createFederation<void>({ kv: new MemoryKvStore(), origin, allowPrivateAddress: true })
  federation
    .setActorDispatcher('/users/{identifier}', async (ctx, identifier) => {
      if (identifier !== 'alice') return null
      const pairs = await ctx.getActorKeyPairs(identifier)
      return new Person({
        id: ctx.getActorUri(identifier),
        preferredUsername: identifier,
        name: 'Alice on the peer',
        inbox: ctx.getInboxUri(identifier),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        publicKey: pairs[0]!.cryptographicKey,
        assertionMethods: pairs.map((pair) => pair.multikey),
      })
    })
    .setKeyPairsDispatcher((_ctx, identifier) => (identifier === 'alice' ? keys : []))
  // Every activity is kept by the server above; the listeners only make Fedify accept them.
  federation.setInboxListeners('/users/{identifier}/inbox', '/inbox').on(Activity, () => undefined)

  const ctx = () => federation!.createContext(new URL(origin), undefined)
  const actorId = ctx().getActorUri('alice')

  return {
    origin,
    actorId,
    received,
    async follow(actorUrl) {
      const target = await ctx().lookupObject(actorUrl)
      if (!isActor(target) || target.id === null) throw new Error(`no actor at ${actorUrl}`)
      await ctx().sendActivity({ identifier: 'alice' }, target, new Follow({ id: new URL(`${origin}/follows/${Date.now()}`), actor: actorId, object: target.id }))
      return target
    },
    async unfollow(target) {
      const follow = new Follow({ id: new URL(`${origin}/follows/undone`), actor: actorId, object: target.id })
      await ctx().sendActivity({ identifier: 'alice' }, target, new Undo({ id: new URL(`${origin}/undos/${Date.now()}`), actor: actorId, object: follow }))
    },
    followJson(target) {
      return { '@context': 'https://www.w3.org/ns/activitystreams', id: `${origin}/follows/forged-${Date.now()}`, type: 'Follow', actor: actorId.href, object: target }
    },
    async signWithWrongKey(request) {
      const stranger = await generateCryptoKeyPair('RSASSA-PKCS1-v1_5')
      return signRequest(request, stranger.privateKey, new URL(`${actorId.href}#main-key`))
    },
    async waitFor(predicate, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const found = received.find(predicate)
        if (found) return found
        if (Date.now() > deadline) throw new Error(`the peer received nothing that matched; it has: ${received.map((r) => r.type).join(', ') || 'nothing'}`)
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
