// Stars and the personal agenda: members star the sessions they mean to go to; /me/agenda
// lists those and the ones they run, by time, and warns where two of them clash.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { formatInstant, formatLocalDate } from '../../i18n/format.js'
import { NotFoundError, RefusedError } from '../../lib/http-errors.js'
import { utcToZoned } from '../../lib/zoned-time.js'
import { requireSignIn, safeNextPath } from '../../plugins/auth.js'
import { eventOr404 } from '../events/event-access.js'
import { eventPath } from '../events/events.view-models.js'
import { LIVE_STATES, assertPhaseAllows } from '../events/phases.js'
import { findProposal } from '../events/proposals.queries.js'
import { ItemParams, StarBody } from './schedule.schemas.js'
import { addStar, listAgenda, removeStar, type AgendaRow } from './stars.queries.js'

/** Pairs of placed, live sessions whose times overlap, whatever their events. */
function clashes(rows: readonly AgendaRow[]): Map<number, string[]> {
  const placed = rows.filter((r) => r.starts_at && r.ends_at && !r.cancelled_at)
  const found = new Map<number, string[]>()
  for (const a of placed) {
    const others = placed.filter((b) => b !== a && b.starts_at! < a.ends_at! && a.starts_at! < b.ends_at!).map((b) => b.title)
    if (others.length) found.set(a.proposal_id, others)
  }
  return found
}

const agendaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app

  app.post('/events/:slug/proposals/:id/star', { preHandler: requireSignIn, schema: { params: ItemParams, body: StarBody } }, async (request, reply) => {
    const { event } = await eventOr404(db, request.params.slug, request.currentUser)
    const proposal = await findProposal(db, event.id, request.params.id)
    if (!proposal) throw new NotFoundError('no such proposal')
    const userId = request.currentUser!.id
    if (request.body.starred === '1') {
      assertPhaseAllows(event.phase, 'star')
      if (!LIVE_STATES.includes(proposal.state)) throw new RefusedError('schedule.refused.star', { state: proposal.state })
      await addStar(db, proposal.id, userId, new Date().toISOString())
    } else {
      // Taking a star back is always allowed: it only ever shrinks what someone follows.
      await removeStar(db, proposal.id, userId)
    }
    // No live message: public pages show no interest counts, and a star per click would make
    // every open grid and projector refetch itself. Organisers see new interest on their next load.
    reply.flash(request.body.starred === '1' ? 'schedule.starred' : 'schedule.unstarred', { title: proposal.title })
    return reply.redirect(safeNextPath(request.body.next) ?? eventPath(event, `/proposals/${proposal.id}#star`), 303)
  })

  app.get('/me/agenda', { preHandler: requireSignIn }, async (request, reply) => {
    const { locale, t } = request.i18n
    const today = utcToZoned(new Date(Date.now() - 86_400_000), 'UTC').date
    const rows = await listAgenda(db, request.currentUser!.id, today)
    const clash = clashes(rows)
    const item = (row: AgendaRow) => ({
      proposalId: row.proposal_id,
      title: row.title,
      path: `/events/${row.event_slug}/proposals/${row.proposal_id}`,
      eventName: row.event_name,
      eventPath: `/events/${row.event_slug}/schedule`,
      slug: row.event_slug,
      time: row.starts_at && row.ends_at ? `${formatInstant(locale, row.starts_at, row.time_zone, 'time')}–${formatInstant(locale, row.ends_at, row.time_zone, 'time')}` : null,
      startsAt: row.starts_at,
      timeZone: row.time_zone,
      room: row.room,
      cancelled: row.cancelled_at !== null,
      starred: Boolean(row.starred),
      hosting: Boolean(row.hosting),
      clashesWith: clash.get(row.proposal_id) ?? [],
    })
    const placed = rows.filter((r) => r.starts_at).sort((a, b) => a.starts_at!.localeCompare(b.starts_at!) || a.proposal_id - b.proposal_id)
    const days: { label: string; items: ReturnType<typeof item>[] }[] = []
    for (const row of placed) {
      const label = formatLocalDate(locale, utcToZoned(new Date(row.starts_at!), row.time_zone).date)
      if (days.at(-1)?.label !== label) days.push({ label, items: [] })
      days.at(-1)!.items.push(item(row))
    }
    return reply.viewAsync('me/agenda', {
      title: t('agenda.title'),
      days,
      unplaced: rows.filter((r) => !r.starts_at).map(item),
      clashCount: clash.size,
    })
  })
}

export default agendaRoutes
