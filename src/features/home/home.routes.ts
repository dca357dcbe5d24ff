import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

const homeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', async (_request, reply) => reply.viewAsync('home/index', {}))
}

export default homeRoutes
