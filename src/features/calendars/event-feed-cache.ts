// An event's feeds (schedule.ics, .json, .xml) are the same for everyone who may see the
// event, the biggest thing the site serves, and what every calendar app polls: each is
// built once per change of its event (announced on the live channel, plugins/live.ts) and
// kept. A poll that carries the current ETag is then answered from memory in Node's request
// listener (src/lib/early-answers.ts): no Fastify request, no session, no database; the 304
// costs about what a bare server's reply does.
import type { IncomingHttpHeaders } from 'node:http'
import fp from 'fastify-plugin'
import { fromAcceptLanguage } from '../../i18n/negotiate.js'
import { DEFAULT_LOCALE } from '../../i18n/i18n.js'
import { etagOf, feedVersion, namesEtag } from '../../lib/http-cache.js'
import { EVENT_CACHE_TTL_MS, VersionedCache } from '../../lib/versioned-cache.js'
import { liveTopic } from '../schedule/schedule-access.js'

/** Kept as bytes (sent as they are, many times), with its validators. */
interface Cached {
  body: Buffer
  etag: string
  /** When the body last changed (feed_versions). */
  lastModified: string
  lastModifiedHeader: string
  builtAt: number
}

export type FeedFormat = 'ics' | 'json' | 'xml'

interface Known {
  eventId: number
  /** Only feeds of events everyone may see are answered before the access checks. */
  public: boolean
  built: Cached
  version: string
}

export interface EventFeedCache {
  /** The feed as the routes serve it, built by `build` when its event changed; `isPublic`: not a draft. */
  get(format: FeedFormat, locale: string, event: { id: number; slug: string; isPublic: boolean }, build: () => Promise<string>): Promise<Cached>
}

declare module 'fastify' {
  interface FastifyInstance {
    eventFeeds: EventFeedCache
  }
}

const FEED_PATH = /^\/events\/([a-z0-9-]+)\/schedule\.(ics|json|xml)$/
const CACHE_CONTROL = 'public, max-age=300, must-revalidate'

export default fp(
  async (app) => {
    const cache = new VersionedCache<Cached>({ ttlMs: EVENT_CACHE_TTL_MS, maxEntries: 300 })
    // What the early answer needs, by format, slug and language: only the ICS has words in it.
    const known = new Map<string, Known>()
    const knownKey = (format: FeedFormat, slug: string, locale: string) => `${format}:${slug}:${format === 'ics' ? locale : ''}`

    app.decorate('eventFeeds', {
      async get(format, locale, event, build) {
        const version = app.live.version(liveTopic(event.id))
        const built = await cache.get(`${format}:${event.id}:${format === 'ics' ? locale : ''}`, version, async () => {
          const body = await build()
          const lastModified = await feedVersion(app.db, format === 'ics' ? `${locale}:event-${event.id}` : `frab-${format}-${event.id}`, body, new Date())
          const lastModifiedHeader = new Date(Math.floor(Date.parse(lastModified) / 1000) * 1000).toUTCString()
          return { body: Buffer.from(body), etag: etagOf(body), lastModified, lastModifiedHeader, builtAt: Date.now() }
        })
        const key = knownKey(format, event.slug, locale)
        if (known.size > 300 && !known.has(key)) known.clear()
        known.set(key, { eventId: event.id, public: event.isPublic, built, version })
        return built
      },
    })

    /** The headers of a 304 for a cookie-less conditional GET of a public feed whose current ETag it names, or null. */
    const notModified = (method: string | undefined, url: string | undefined, headers: IncomingHttpHeaders): Record<string, string> | null => {
      const ifNoneMatch = headers['if-none-match']
      // Cookies may choose the language or the person; those requests take the full path.
      if (!ifNoneMatch || headers.cookie || (method !== 'GET' && method !== 'HEAD')) return null
      const match = FEED_PATH.exec(url ?? '')
      if (!match) return null
      const format = match[2] as FeedFormat
      const entry = known.get(knownKey(format, match[1]!, fromAcceptLanguage(headers['accept-language']) ?? DEFAULT_LOCALE))
      const fresh = entry && entry.public && entry.version === app.live.version(liveTopic(entry.eventId)) && Date.now() - entry.built.builtAt < EVENT_CACHE_TTL_MS
      if (!fresh || !namesEtag(ifNoneMatch, entry.built.etag)) return null
      return { etag: entry.built.etag, 'last-modified': entry.built.lastModifiedHeader, 'cache-control': CACHE_CONTROL, vary: 'Accept-Language, Cookie' }
    }

    // Over HTTP, in Node's request listener: no Fastify request, no hooks.
    app.earlyAnswers.add((request, response) => {
      const headers = notModified(request.method, request.url, request.headers)
      if (!headers) return false
      response.writeHead(304, headers).end()
      return true
    })
    // app.inject() does not pass through the server: the same answer from the first hook.
    app.addHook('onRequest', (request, reply, done) => {
      const headers = notModified(request.method, request.url, request.headers)
      if (!headers) return done()
      void reply.code(304).headers(headers).send()
    })
  },
  { name: 'event-feed-cache', dependencies: ['db', 'live'] },
)
