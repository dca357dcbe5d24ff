import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sql } from 'kysely'
import { Type } from 'typebox'

const Health = Type.Object({ status: Type.String(), database: Type.String(), dialect: Type.String() })

/** For load balancers and uptime checks: 200 when the database answers, 503 when it does not. */
const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', { schema: { response: { 200: Health, 503: Health } } }, async (request, reply) => {
    reply.header('cache-control', 'no-store')
    try {
      await sql`select 1`.execute(app.db)
      return { status: 'ok', database: 'ok', dialect: app.dialect }
    } catch (error) {
      request.log.error({ err: error }, 'health check: database unreachable')
      return reply.code(503).send({ status: 'error', database: 'unreachable', dialect: app.dialect })
    }
  })
}

export default healthRoutes
