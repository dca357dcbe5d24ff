// The machine's limit: a bare Fastify server that answers with a static body, prepared once.
// The bench gives it each page's own bytes (PUT /bodies/:id, the app's response as it was
// served) and measures GET /bodies/:id beside the app's page. The same bytes, not just the
// same size: autocannon decodes every body it reads into a string, and a page with non-ASCII
// text (a dash, Welsh) costs it several times what as many "x"s do, so a body of the same
// size but other content would measure the load generator, not the server.
import Fastify from 'fastify'

const bodies = new Map<string, { type: string; body: Buffer }>()
const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 })
app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body))
app.put<{ Params: { id: string }; Body: Buffer }>('/bodies/:id', async (request, reply) => {
  bodies.set(request.params.id, { type: String(request.headers['content-type'] ?? 'application/octet-stream'), body: request.body ?? Buffer.alloc(0) })
  return reply.code(204).send()
})
app.get<{ Params: { id: string } }>('/bodies/:id', async (request, reply) => {
  const stored = bodies.get(request.params.id)
  if (!stored) return reply.code(404).send()
  return reply.type(stored.type).send(stored.body)
})
const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' })
process.stdout.write(`listening ${address}\n`)
