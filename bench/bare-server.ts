// The machine's limit: a bare Fastify server that answers GET /bytes/:n with n bytes of a
// static body, prepared once. The app's pages are measured against it at the same size.
import Fastify from 'fastify'

const bodies = new Map<number, Buffer>()
const app = Fastify({ logger: false })
app.get<{ Params: { n: string } }>('/bytes/:n', async (request, reply) => {
  const n = Number(request.params.n)
  let body = bodies.get(n)
  if (!body) {
    body = Buffer.alloc(n, 'x')
    bodies.set(n, body)
  }
  return reply.type('text/html; charset=utf-8').send(body)
})
const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' })
process.stdout.write(`listening ${address}\n`)
