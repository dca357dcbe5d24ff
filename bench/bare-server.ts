// The machine's limit: a bare Fastify server that answers with a static response, prepared
// once. The bench gives it each page's response as the app served it (PUT /bodies/:id: the
// status and headers in x-bare-status and x-bare-headers, the body as the body) and measures
// GET /bodies/:id beside the app's page. The same bytes, not just the same size: the load
// generator shares the machine, and its work depends on what it reads. autocannon decodes
// every body into a string, and a page with non-ASCII text (a dash, Welsh) costs it several
// times what as many "x"s do; it parses headers in JavaScript, which is most of a 304's cost.
// A body of the same size with other content measured the load generator, not the server.
import Fastify from 'fastify'

const bodies = new Map<string, { status: number; headers: Record<string, string | string[]>; body: Buffer }>()
const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 })
app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body))
app.put<{ Params: { id: string }; Body: Buffer }>('/bodies/:id', async (request, reply) => {
  bodies.set(request.params.id, {
    status: Number(request.headers['x-bare-status'] ?? 200),
    headers: JSON.parse(String(request.headers['x-bare-headers'] ?? '{}')) as Record<string, string | string[]>,
    body: request.body ?? Buffer.alloc(0),
  })
  return reply.code(204).send()
})
app.get<{ Params: { id: string } }>('/bodies/:id', async (request, reply) => {
  const stored = bodies.get(request.params.id)
  if (!stored) return reply.code(404).send()
  return reply.code(stored.status).headers(stored.headers).send(stored.body)
})
// The old comparison, kept to show the difference: as many ASCII bytes as the page, as text/html.
const ascii = new Map<number, Buffer>()
app.get<{ Params: { n: string } }>('/ascii/:n', async (request, reply) => {
  const n = Number(request.params.n)
  let body = ascii.get(n)
  if (!body) ascii.set(n, (body = Buffer.alloc(n, 'x')))
  return reply.type('text/html; charset=utf-8').send(body)
})
const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' })
process.stdout.write(`listening ${address}\n`)
