import fp from 'fastify-plugin'
import { DEFAULT_LOCALE, translator, type Translator } from '../i18n/i18n.js'

declare module 'fastify' {
  interface FastifyRequest {
    i18n: Translator
  }
}

/** Gives each request its own translator; nothing about the language is global. */
export default fp(
  async (app) => {
    app.decorateRequest('i18n', null as unknown as Translator)
    app.addHook('onRequest', async (request) => {
      request.i18n = translator(DEFAULT_LOCALE)
    })
  },
  { name: 'i18n', dependencies: ['session'] },
)
