import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { isLocale, translator, type Locale, type Translator } from '../i18n/i18n.js'
import { LANGUAGE_COOKIE, negotiateLocale } from '../i18n/negotiate.js'

declare module 'fastify' {
  interface FastifyRequest {
    i18n: Translator
  }
}

/** The language the person chose with the switch (cookie), if any. */
export function chosenLocale(request: FastifyRequest): Locale | null {
  const value = request.cookies?.[LANGUAGE_COOKIE]
  return isLocale(value) ? value : null
}

/**
 * Gives each request its own translator, picked from the address, the account, the
 * language cookie and Accept-Language (src/i18n/negotiate.ts). Nothing about the
 * language is global, so concurrent requests in English and Welsh never mix.
 */
export default fp(
  async (app) => {
    app.decorateRequest('i18n', null as unknown as Translator)
    app.addHook('onRequest', (request, _reply, done) => {
      const locale = negotiateLocale({
        query: (request.query as Record<string, unknown> | undefined)?.lang,
        account: request.currentUser?.locale,
        cookie: request.cookies?.[LANGUAGE_COOKIE],
        acceptLanguage: request.headers['accept-language'],
      })
      request.i18n = translator(locale)
      done()
    })
    // Callback style, not async: it runs for every response, and a promise each time shows.
    app.addHook('onSend', (request, reply, payload, done) => {
      if (request.i18n) {
        reply.header('content-language', request.i18n.locale)
        // Caches must keep one copy per language choice.
        const vary = reply.getHeader('vary')
        reply.header('vary', vary ? `${String(vary)}, Accept-Language, Cookie` : 'Accept-Language, Cookie')
      }
      done(null, payload)
    })
  },
  { name: 'i18n', dependencies: ['session', 'auth'] },
)
