// The public side of the schedule: the grid (a table on wide screens, a list by time on
// phones), the projector view, the changelog and its Atom feed, and the live-update stream
// that open grid and projector pages listen to.
import { Readable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { EVENT_CACHE_TTL_MS, VersionedCache } from '../../lib/versioned-cache.js'
import { formatInstant, INTL_LOCALE } from '../../i18n/format.js'
import type { Locale } from '../../i18n/i18n.js'
import { atomXml, tagUri } from '../../lib/atom.js'
import { isValidDate, isValidTime, zonedToUtc } from '../../lib/zoned-time.js'
import { absolute } from '../cards/cards.js'
import { subscribeLinks } from '../calendars/subscribe.js'
import { qrSvg } from '../cards/qr.js'
import { eventOr404 } from '../events/event-access.js'
import { EventSlugParams } from '../events/events.schemas.js'
import { eventPath, toEventHeader } from '../events/events.view-models.js'
import { isSchedulePublished, phaseAllows } from '../events/phases.js'
import { loadGrid } from './grid-data.js'
import { listChanges } from './grid.queries.js'
import { liveTopic } from './schedule-access.js'
import { NowQuery, PublicGridQuery } from './schedule.schemas.js'
import { changeText, toGrid, type GridView } from './schedule.view-models.js'

/** How often a page without JavaScript reloads itself to catch up (seconds). */
const GRID_REFRESH = 60
const PROJECTOR_REFRESH = 30
/** SSE comment lines keep proxies from closing a quiet stream. */
const HEARTBEAT_MS = 25_000

/** "2027-01-16T10:30" in the event's zone → that instant; anything else → null (now). */
function previewInstant(at: string | undefined, timeZone: string): Date | null {
  const [date, time] = (at ?? '').split('T')
  if (date && time && isValidDate(date) && isValidTime(time)) return zonedToUtc(date, time, timeZone)
  return null
}

/**
 * Before a day starts (nothing on now, and the next slot is its day's first): when that slot
 * starts, and the first slot with sessions, so the wall says "Starts at 09:30" and what is on
 * first, rather than a column of "now" with nothing in it. Null once the day is under way.
 */
function upcomingOf(grid: GridView, at: Date, locale: Locale, timeZone: string) {
  if (grid.nowSlot) return null
  const iso = at.toISOString()
  const day = grid.days.find((d) => d.slots.some((slot) => slot.startsAt > iso))
  if (!day || day.slots[0]!.startsAt <= iso) return null
  const later = grid.days.flatMap((d) => d.slots).filter((slot) => slot.startsAt > iso)
  const first = later[0]!
  const dayOf = (instant: string | Date) => formatInstant(locale, instant, timeZone, 'shortDate')
  return {
    time: formatInstant(locale, first.startsAt, timeZone, 'time'),
    day: formatInstant(locale, first.startsAt, timeZone, 'date'),
    sameDay: dayOf(first.startsAt) === dayOf(at),
    firstSessions: later.find((slot) => slot.takesSessions) ?? null,
  }
}

/** Stands for the CSRF token in a kept page; it cannot occur in escaped HTML. */
const TOKEN_MARK = '\u0000csrf\u0000'

const scheduleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app
  const publicGrids = new VersionedCache<string>({ ttlMs: EVENT_CACHE_TTL_MS, maxEntries: 50 })
  const publicPages = new VersionedCache<Buffer[]>({ ttlMs: EVENT_CACHE_TTL_MS, maxEntries: 50 })

  app.get('/events/:slug/schedule', { schema: { params: EventSlugParams, querystring: PublicGridQuery } }, async (request, reply) => {
    const context = await eventOr404(db, request.params.slug, request.currentUser)
    const { event } = context
    const published = isSchedulePublished(event)
    const viewerId = request.currentUser?.id ?? null
    const mine = request.query.mine === '1' && viewerId !== null
    const canStar = viewerId !== null && phaseAllows(event.phase, 'star')
    const gridOf = async () => toGrid(request.i18n, event, await loadGrid(db, event, viewerId, { withInterest: false }), { at: new Date(), viewerId, mine, showCancelled: true })
    // Signed out, the grid is the same for everyone: rendered once per change of the event.
    const gridHtml =
      published && viewerId === null
        ? await publicGrids.get(`${request.i18n.locale}:${event.id}`, app.live.version(liveTopic(event.id)), async () =>
            app.view('schedule/_public-grid', { t: request.i18n.t, yourTimeNote: () => '', grid: await gridOf(), event: { slug: event.slug, name: event.name, timeZone: event.time_zone }, canStar: false, listPath: eventPath(event, '/schedule') }) as Promise<string>,
          )
        : null
    const page = async () => ({
      event: toEventHeader(request.i18n.locale, event),
      isOrganiser: context.isOrganiser,
      published,
      grid: published && !gridHtml ? await gridOf() : null,
      gridHtml,
      mine,
      canStar,
      refreshSeconds: GRID_REFRESH,
      listPath: request.url,
      subscribe: subscribeLinks(config.baseUrl, eventPath(event, '/schedule.ics')),
    })
    // The page most people open on the day, signed out, is the same for all of them but for
    // its CSRF token (the language switch is a form): the whole page is kept, cut where the
    // token goes, and joined with each visitor's own token.
    if (gridHtml && !context.isOrganiser && request.url === eventPath(event, '/schedule') && !request.session?.get('flash')) {
      const parts = await publicPages.get(`${request.i18n.locale}:${event.id}`, app.live.version(liveTopic(event.id)), async () => {
        const html = (await app.view('schedule/grid', { ...reply.locals, csrfToken: () => TOKEN_MARK, takeFlash: () => null, ...(await page()) })) as string
        return html.split(TOKEN_MARK).map((part) => Buffer.from(part))
      })
      const token = Buffer.from(reply.generateCsrf())
      // Streamed as the kept buffers themselves: nothing the size of the page is copied per visitor.
      const chunks = parts.flatMap((part, i) => (i === 0 ? [part] : [token, part]))
      reply.header('content-length', chunks.reduce((sum, chunk) => sum + chunk.length, 0))
      return reply.type('text/html; charset=utf-8').send(Readable.from(chunks))
    }
    return reply.viewAsync('schedule/grid', await page())
  })

  app.get('/events/:slug/now', { schema: { params: EventSlugParams, querystring: NowQuery } }, async (request, reply) => {
    const context = await eventOr404(db, request.params.slug, request.currentUser)
    const { event } = context
    const { locale } = request.i18n
    const preview = previewInstant(request.query.at, event.time_zone)
    const at = preview ?? new Date()
    const published = isSchedulePublished(event)
    const data = published ? await loadGrid(db, event, null, { withInterest: false }) : null
    const grid = data ? toGrid(request.i18n, event, data, { at, viewerId: null, mine: false, showCancelled: false }) : null
    const scheduleUrl = absolute(config.baseUrl, eventPath(event, '/schedule'))
    return reply.viewAsync('schedule/now', {
      event: toEventHeader(locale, event),
      published,
      clock: formatInstant(locale, at, event.time_zone, 'time'),
      // The page's clock ticks on in the browser (static/js/projector-clock.js), not in a preview.
      timeZone: event.time_zone,
      clockLocale: INTL_LOCALE[locale],
      preview: preview ? formatInstant(locale, preview, event.time_zone, 'dateTime') : null,
      nowSlot: grid?.nowSlot ?? null,
      nextSlot: grid?.nextSlot ?? null,
      upcoming: grid ? upcomingOf(grid, at, locale, event.time_zone) : null,
      rooms: grid?.rooms ?? [],
      scheduleUrl,
      qrSvg: await qrSvg(scheduleUrl),
      refreshSeconds: PROJECTOR_REFRESH,
    })
  })

  const changesFor = async (slug: string, user: Parameters<typeof eventOr404>[2]) => {
    const context = await eventOr404(db, slug, user)
    if (!isSchedulePublished(context.event) && !context.isOrganiser) return { context, changes: [] }
    return { context, changes: await listChanges(db, context.event.id) }
  }

  app.get('/events/:slug/schedule/changes', { schema: { params: EventSlugParams } }, async (request, reply) => {
    const { context, changes } = await changesFor(request.params.slug, request.currentUser)
    const { event } = context
    return reply.viewAsync('schedule/changes', {
      event: toEventHeader(request.i18n.locale, event),
      isOrganiser: context.isOrganiser,
      published: isSchedulePublished(event),
      changes: changes.map((c) => ({ id: c.id, kind: c.kind, text: changeText(request.i18n, event, c), when: formatInstant(request.i18n.locale, c.created_at, event.time_zone, 'dateTime'), iso: c.created_at })),
    })
  })

  app.get('/events/:slug/schedule/changes.atom', { schema: { params: EventSlugParams } }, async (request, reply) => {
    const { context, changes } = await changesFor(request.params.slug, request.currentUser)
    const { event } = context
    const pageUrl = absolute(config.baseUrl, eventPath(event, '/schedule'))
    const xml = atomXml({
      id: tagUri(config.baseUrl, `event-${event.id}-schedule-changes`),
      title: request.i18n.t('schedule.changes.feedTitle', { name: event.name }),
      selfUrl: absolute(config.baseUrl, eventPath(event, '/schedule/changes.atom')),
      pageUrl,
      updated: changes[0]?.created_at ?? event.updated_at,
      lang: request.i18n.locale,
      entries: changes.map((c) => {
        const text = changeText(request.i18n, event, c)
        return { id: tagUri(config.baseUrl, `schedule-change-${c.id}`), title: text, updated: c.created_at, link: absolute(config.baseUrl, eventPath(event, `/schedule/changes#change-${c.id}`)), summary: text }
      }),
    })
    return reply.type('application/atom+xml; charset=utf-8').send(xml)
  })

  // Open live connections per client address: each holds a socket for hours, so one address
  // (or everyone together) may hold only so many (config.liveLimits).
  const liveByAddress = new Map<string, number>()

  // Server-Sent Events: one "schedule" message per change of this event's grid. The page
  // fetches itself again on each; the message carries no data worth keeping secret.
  app.get('/events/:slug/schedule/live', { schema: { params: EventSlugParams } }, async (request, reply) => {
    const { event } = await eventOr404(db, request.params.slug, request.currentUser)
    const { perAddress, total } = config.liveLimits
    const fromHere = liveByAddress.get(request.ip) ?? 0
    // A refused EventSource stops retrying; the page still refreshes itself every minute.
    if (fromHere >= perAddress) {
      return reply.code(429).header('retry-after', '60').header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(request.i18n.t('schedule.live.tooManyFromHere', { limit: String(perAddress) }))
    }
    if (app.live.streams.size >= total) {
      return reply.code(503).header('retry-after', '60').header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(request.i18n.t('schedule.live.full'))
    }
    liveByAddress.set(request.ip, fromHere + 1)
    reply.hijack()
    const stream = reply.raw
    stream.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    })
    stream.write('retry: 3000\n\n')
    const unsubscribe = app.live.subscribe(liveTopic(event.id), () => stream.write(`event: schedule\ndata: ${Date.now()}\n\n`))
    const heartbeat = setInterval(() => stream.write(': keep-alive\n\n'), HEARTBEAT_MS)
    app.live.streams.add(stream)
    request.raw.on('close', () => {
      clearInterval(heartbeat)
      unsubscribe()
      app.live.streams.delete(stream)
      const left = (liveByAddress.get(request.ip) ?? 1) - 1
      if (left > 0) liveByAddress.set(request.ip, left)
      else liveByAddress.delete(request.ip)
    })
  })
}

export default scheduleRoutes
