// /privacy: what the site keeps about people and why, in the reader's language. The same
// facts, with the tables named, are in docs/privacy.md.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

const privacyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/privacy', async (_request, reply) => reply.viewAsync('privacy/index', {}))
}

export default privacyRoutes
