// Hands ActivityPub's requests to Fedify: WebFinger, NodeInfo and everything under /ap/. The
// request is rebuilt as a fetch Request on our public origin (config.baseUrl) with the body's
// exact bytes, since an HTTP signature covers their digest.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.js'
import { parseActor } from './actors.js'

const ACTIVITY_TYPES = /^application\/(activity\+json|ld\+json|json)\b/

function toFetchRequest(request: FastifyRequest, baseUrl: string): Request {
  const headers = new Headers()
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue
    headers.set(name, Array.isArray(value) ? value.join(', ') : value)
  }
  const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : Buffer.isBuffer(request.body) ? new Uint8Array(request.body) : undefined
  return new Request(new URL(request.url, baseUrl), { method: request.method, headers, body })
}

async function sendFetchResponse(reply: FastifyReply, response: Response): Promise<FastifyReply> {
  reply.code(response.status)
  response.headers.forEach((value, name) => {
    if (name !== 'content-length') reply.header(name, value)
  })
  return reply.send(Buffer.from(await response.arrayBuffer()))
}

/**
 * Where a person who opened an actor's or a meetup's ActivityPub address in a browser belongs:
 * its page. Null when there is none (Fedify then answers 406).
 */
async function pageFor(db: Kysely<Database>, pathname: string): Promise<string | null> {
  const actor = /^\/ap\/actors\/([^/]+)$/.exec(pathname)
  const ref = actor ? parseActor(decodeURIComponent(actor[1]!)) : null
  if (ref?.kind === 'community') {
    const community = await db.selectFrom('communities').select('slug').where('id', '=', ref.id).executeTakeFirst()
    return community ? `/communities/${encodeURIComponent(community.slug)}` : null
  }
  if (ref?.kind === 'event') {
    const event = await db.selectFrom('events').select('slug').where('id', '=', ref.id).where('phase', '!=', 'draft').executeTakeFirst()
    return event ? `/events/${encodeURIComponent(event.slug)}` : null
  }
  const meetup = /^\/ap\/meetups\/(\d{1,15})$/.exec(pathname)
  if (meetup) {
    const row = await db.selectFrom('meetups').select('slug').where('id', '=', Number(meetup[1])).where('hidden_at', 'is', null).executeTakeFirst()
    return row ? `/meetups/${encodeURIComponent(row.slug)}` : null
  }
  return null
}

async function sessionPage(db: Kysely<Database>, proposalId: number): Promise<string | null> {
  const row = await db.selectFrom('proposals as p').innerJoin('events as e', 'e.id', 'p.event_id').select(['e.slug']).where('p.id', '=', proposalId).executeTakeFirst()
  return row ? `/events/${encodeURIComponent(row.slug)}/proposals/${proposalId}` : null
}

export default async function federationRoutes(app: FastifyInstance): Promise<void> {
  const { baseUrl } = app.config
  // Only in this plugin's routes: the raw bytes, for Fedify to check the digest.
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser(ACTIVITY_TYPES, { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_request, body, done) => done(null, body))

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const { federation } = await app.fediverse.load()
    const response = await federation.fetch(toFetchRequest(request, baseUrl), {
      contextData: undefined,
      onNotAcceptable: async (fetchRequest) => {
        const page = await pageFor(app.db, new URL(fetchRequest.url).pathname)
        return page ? new Response(null, { status: 303, headers: { location: page, vary: 'Accept' } }) : new Response('Not Acceptable', { status: 406, headers: { vary: 'Accept' } })
      },
    })
    return sendFetchResponse(reply, response)
  }
  // Signed by the sender instead: the inbox has no page of ours to carry a CSRF token.
  const options = { config: { csrf: false as const } }
  app.get('/.well-known/webfinger', handle)
  app.get('/.well-known/nodeinfo', handle)
  app.get('/nodeinfo/2.1', handle)
  // Sessions are Events too, but Fedify takes one object path per class (meetups have Event's):
  // this route serves them, as JSON-LD to Fediverse servers and as a redirect to the page otherwise.
  app.get('/ap/sessions/:id', async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const id = /^[1-9]\d{0,9}$/.test(request.params.id) ? Number(request.params.id) : null
    const document = id === null || id > 2_147_483_647 ? null : await (await app.fediverse.load()).publisher.sessionDocument(id)
    reply.header('vary', 'Accept')
    if (!ACTIVITY_TYPES.test(String(request.headers.accept ?? ''))) {
      const page = document ? await sessionPage(app.db, id!) : null
      return page ? reply.redirect(page, 303) : reply.callNotFound()
    }
    if (!document) return reply.code(404).type('application/json').send({ error: 'not found' })
    return reply.type('application/activity+json').send(JSON.stringify(document))
  })
  app.get('/ap/*', handle)
  app.post('/ap/*', options, handle)
}
