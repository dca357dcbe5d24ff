// Conditional GET for feeds and files: a strong ETag from the body's bytes and a
// Last-Modified from the data, 304 only when the client's copy really is current. Per RFC
// 9110 §13.2.2, If-None-Match decides when present; If-Modified-Since only otherwise. HEAD
// gets the same headers (fastify answers HEAD from the GET route, without the body).
import crypto from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'

export interface Cacheable {
  /** A Buffer for a body that is kept and sent many times: no copy and no encoding per request. */
  body: string | Buffer
  /** The body's ETag, when it was worked out already (a cached feed keeps it with the body). */
  etag?: string
  /** When the content last changed (any of its data); sent to whole seconds, as HTTP dates are. */
  lastModified: string | Date
  contentType: string
  /** Set for a download ("Add to calendar"); feeds are shown inline to the calendar app. */
  filename?: string
  /** Personal feeds must not sit in shared caches. */
  private?: boolean
}

/** IMF-fixdate, the one form of HTTP-date senders use (RFC 9110 §5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT". */
const HTTP_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/

/** Does an If-None-Match header name this ETag (weakly compared, as RFC 9110 §13.1.2 says)? */
export function namesEtag(ifNoneMatch: string, etag: string): boolean {
  return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)
}

export function etagOf(body: string | Buffer): string {
  return `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`
}

/**
 * When `key`'s body last changed: the stored time if its ETag is the one served last,
 * otherwise now (and that is stored). One read per request, a write only on change.
 */
export async function feedVersion(db: Kysely<Database>, key: string, body: string, now: Date): Promise<string> {
  const etag = etagOf(body)
  const known = await db.selectFrom('feed_versions').select(['etag', 'changed_at']).where('key', '=', key).executeTakeFirst()
  if (known?.etag === etag) return known.changed_at
  // HTTP dates have whole seconds: a change is stamped to the second, and at least a second
  // after the last change, so a client holding the old Last-Modified is never told "unchanged".
  const second = Math.floor(now.getTime() / 1000) * 1000
  const stamp = new Date(Math.max(second, known ? Date.parse(known.changed_at) + 1000 : 0)).toISOString()
  await db
    .insertInto('feed_versions')
    .values({ key, etag, changed_at: stamp })
    .onConflict((oc) => oc.column('key').doUpdateSet({ etag, changed_at: stamp }))
    .execute()
  return stamp
}

export function sendCacheable(request: FastifyRequest, reply: FastifyReply, content: Cacheable): FastifyReply {
  const etag = content.etag ?? etagOf(content.body)
  const modified = Math.floor(new Date(content.lastModified).getTime() / 1000) * 1000
  reply.header('etag', etag)
  reply.header('last-modified', new Date(modified).toUTCString())
  reply.header('cache-control', `${content.private ? 'private' : 'public'}, max-age=300, must-revalidate`)
  const ifNoneMatch = request.headers['if-none-match']
  const ifModifiedSince = request.headers['if-modified-since']
  let fresh = false
  if (ifNoneMatch !== undefined) {
    fresh = namesEtag(ifNoneMatch, etag)
  } else if (ifModifiedSince !== undefined && HTTP_DATE.test(ifModifiedSince.trim())) {
    // A date from the future is no validator (RFC 9110 §13.1.3): ignored, so the body is sent.
    const since = Date.parse(ifModifiedSince)
    fresh = !Number.isNaN(since) && since <= Date.now() && modified <= since
  }
  if (fresh) return reply.code(304).send()
  reply.type(content.contentType)
  if (content.filename) reply.header('content-disposition', `attachment; filename="${content.filename.replace(/[^A-Za-z0-9._-]/g, '-')}"`)
  return reply.send(content.body)
}
