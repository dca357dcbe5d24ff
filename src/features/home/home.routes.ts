import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { pageCard } from '../cards/cards.js'

const homeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', { config: { keptPage: true } }, async (request, reply) =>
    reply.viewAsync('home/index', {
      card: pageCard(app.config.baseUrl, { title: 'Hashcamp', description: request.i18n.t('home.lead'), path: '/', imageAlt: request.i18n.t('card.imageAlt') }),
    }),
  )
}

export default homeRoutes
