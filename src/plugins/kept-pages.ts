// Kept pages: a public page as a signed-out visitor sees it is the same for all of them, so
// it is built once per data version (src/db/data-version.ts: changes after any committed
// write) and kept, and served again until anything in the database changes or EVENT_CACHE_TTL_MS
// passes (the pages also move with the clock: the next chat, upcoming meetups, replies closing).
// A route asks for it with `config: { keptPage: true }`; the route itself stays as it is.
//
// Only what cannot differ between visitors is kept: a GET, nobody signed in, no flash message
// waiting in the session, status 200. The one thing in such a page that is each visitor's own
// is the CSRF token of its forms (the language switch at least): the page is kept cut where
// the token went, and joined with each visitor's own token.
import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { EVENT_CACHE_TTL_MS, VersionedCache } from '../lib/versioned-cache.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** How many kept pages were built and how many requests were answered with one. */
    keptPages: { builds: number; hits: number }
  }
  interface FastifyContextConfig {
    /** Keep this page, signed out, per data version (src/plugins/kept-pages.ts). */
    keptPage?: boolean
  }
}

interface KeptPage {
  /** The page, cut where the CSRF token went. */
  parts: Buffer[]
  contentType: string
}

interface Building {
  token: string
  done: (page: KeptPage | null) => void
}

/** Pages a few tens of kB each: a bound on memory, with filters and pages of lists each their own key. */
const MAX_PAGES = 200

const building = new WeakMap<FastifyRequest, Building>()

export default fp(
  async (app) => {
    const pages = new VersionedCache<KeptPage>({ ttlMs: EVENT_CACHE_TTL_MS, maxEntries: MAX_PAGES })
    const counts = { builds: 0, hits: 0 }
    app.decorate('keptPages', counts)

    const send = (reply: FastifyReply, page: KeptPage, token: string): FastifyReply => {
      const tokenBytes = Buffer.from(token)
      const body = Buffer.concat(page.parts.flatMap((part, i) => (i === 0 ? [part] : [tokenBytes, part])))
      return reply.type(page.contentType).send(body)
    }

    app.addHook('preHandler', async (request, reply) => {
      if (request.routeOptions.config.keptPage !== true || request.method !== 'GET') return
      if (request.currentUser || !request.session || request.session.get('flash')) return
      // Read before the page is built: a write landing meanwhile moves the version on, and
      // the page built now is never served for the new one.
      const version = app.dataVersion.current()
      const key = `${request.routeOptions.url}\u0000${request.i18n.locale}\u0000${request.url}`
      const token = reply.generateCsrf()
      // The page's forms get this visitor's token: found again in the built page by its value.
      reply.locals.csrfToken = () => token
      const miss: { building?: Building } = {}
      const kept = pages.get(key, version, () => {
        return new Promise<KeptPage>((resolve, reject) => {
          miss.building = { token, done: (page) => (page ? resolve(page) : reject(new Error('not kept'))) }
        })
      })
      if (miss.building) {
        // A miss: this request builds the page (the route runs as always) and onSend keeps it.
        building.set(request, miss.building)
        return
      }
      try {
        const page = await kept
        counts.hits += 1
        return send(reply, page, token)
      } catch {
        // The page another request was building was not kept (an error page, a redirect): build our own.
      }
    })

    app.addHook('onSend', (request, reply, payload, done) => {
      const mine = building.get(request)
      if (mine) {
        building.delete(request)
        const keep = reply.statusCode === 200 && typeof payload === 'string'
        if (keep) counts.builds += 1
        mine.done(keep ? { parts: payload.split(mine.token).map((part) => Buffer.from(part)), contentType: String(reply.getHeader('content-type')) } : null)
      }
      done(null, payload)
    })

    // A request that ended without sending (the client went away) lets others build the page.
    const giveUp = (request: FastifyRequest): void => {
      const mine = building.get(request)
      if (!mine) return
      building.delete(request)
      mine.done(null)
    }
    app.addHook('onResponse', (request, _reply, done) => {
      giveUp(request)
      done()
    })
    app.addHook('onRequestAbort', (request, done) => {
      giveUp(request)
      done()
    })
  },
  { name: 'kept-pages', dependencies: ['db', 'session', 'auth', 'i18n', 'csrf', 'flash', 'views'] },
)
