// /report/:kind/:id (anyone signed in) and /moderation (hosts, organisers, the admin).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { ReportItemKind, ReportRow } from '../../db/database.js'
import { errorsFromValidation, keptValues, type FormErrors } from '../../lib/forms.js'
import { ForbiddenError, NotFoundError } from '../../lib/http-errors.js'
import { requireSignIn } from '../../plugins/auth.js'
import { liveTopic } from '../schedule/schedule-access.js'
import { findItems, itemKey, listReports, type ReportedItem } from './moderation.queries.js'
import { CsrfBody, REASON_MAX_LENGTH, ReasonBody, ReportIdParams, ReportParams, hideMessages, reportMessages } from './moderation.schemas.js'
import { dismissReported, fileReport, findItem, hideReported, mayModerate, moderatesAnything, reportForModerator, restoreReported, scopeOf } from './moderation.service.js'

const itemView = (item: ReportedItem) => ({ kind: item.kind, id: item.id, title: item.title, path: item.path, hidden: item.hiddenAt !== null, hiddenReason: item.hiddenReason })
const reportView = (report: ReportRow) => ({ id: report.id, reason: report.reason, status: report.status, createdAt: report.created_at })

const moderationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app

  const reportable = async (kind: ReportItemKind, id: number) => {
    const item = await findItem(db, kind, id)
    // A hidden item has been dealt with, and is not there for anyone to report.
    if (!item || item.hiddenAt) throw new NotFoundError(`no visible ${kind} ${id}`)
    return item
  }

  app.get('/report/:kind/:id', { preHandler: requireSignIn, schema: { params: ReportParams } }, async (request, reply) => {
    const item = await reportable(request.params.kind, request.params.id)
    return reply.viewAsync('moderation/report', { item: itemView(item), maxLength: REASON_MAX_LENGTH, values: {}, errors: {} })
  })

  app.post('/report/:kind/:id', { preHandler: requireSignIn, schema: { params: ReportParams, body: ReasonBody }, attachValidation: true }, async (request, reply) => {
    const item = await reportable(request.params.kind, request.params.id)
    if (request.validationError) {
      const errors = errorsFromValidation(request.validationError.validation, reportMessages, request.body)
      return reply.code(400).viewAsync('moderation/report', { item: itemView(item), maxLength: REASON_MAX_LENGTH, values: keptValues(request.body), errors })
    }
    await fileReport(db, request.currentUser!, item, request.body.reason.trim(), new Date())
    reply.flash('report.thanks')
    return reply.redirect(item.path, 303)
  })

  app.get('/moderation', { preHandler: requireSignIn }, async (request, reply) => {
    const scope = await scopeOf(db, request.currentUser!)
    if (!moderatesAnything(scope)) throw new ForbiddenError('moderation is for hosts, organisers and the admin')
    const reports = await listReports(db, ['open', 'hidden'])
    const items = await findItems(db, reports.map((r) => ({ kind: r.item_kind, id: r.item_id })))
    const mine = reports.flatMap((report) => {
      const item = items.get(itemKey(report.item_kind, report.item_id))
      return item && mayModerate(scope, item) ? [{ ...reportView(report), item: itemView(item) }] : []
    })
    return reply.viewAsync('moderation/queue', { open: mine.filter((r) => r.status === 'open'), hidden: mine.filter((r) => r.status === 'hidden') })
  })

  const detail = (report: ReportRow, item: ReportedItem, values: Record<string, string>, errors: FormErrors) => ({
    report: reportView(report),
    item: itemView(item),
    maxLength: REASON_MAX_LENGTH,
    values,
    errors,
  })

  app.get('/moderation/reports/:id', { preHandler: requireSignIn, schema: { params: ReportIdParams } }, async (request, reply) => {
    const { report, item } = await reportForModerator(db, request.currentUser!, request.params.id)
    return reply.viewAsync('moderation/decide', detail(report, item, {}, {}))
  })

  /** Feeds and grids of an event are kept in memory until it changes: a hidden session must leave them. */
  const announce = async (item: ReportedItem) => {
    if (item.eventId !== null) await app.live.publish(liveTopic(item.eventId))
  }

  app.post('/moderation/reports/:id/hide', { preHandler: requireSignIn, schema: { params: ReportIdParams, body: ReasonBody }, attachValidation: true }, async (request, reply) => {
    const { report, item } = await reportForModerator(db, request.currentUser!, request.params.id)
    if (request.validationError) {
      const errors = errorsFromValidation(request.validationError.validation, hideMessages, request.body)
      return reply.code(400).viewAsync('moderation/decide', detail(report, item, keptValues(request.body), errors))
    }
    await hideReported(db, request.currentUser!, report, item, request.body.reason.trim(), new Date())
    if (item.kind === 'meetup') await app.fediverse.meetupChanged(item.id)
    if (item.kind === 'proposal' && item.eventId !== null) await app.fediverse.sessionChanged(item.eventId, item.id)
    await announce(item)
    reply.flash('moderation.hidden', { title: item.title })
    return reply.redirect('/moderation', 303)
  })

  app.post('/moderation/reports/:id/restore', { preHandler: requireSignIn, schema: { params: ReportIdParams, body: CsrfBody } }, async (request, reply) => {
    const { report, item } = await reportForModerator(db, request.currentUser!, request.params.id)
    await restoreReported(db, request.currentUser!, report, item, new Date())
    if (item.kind === 'meetup') await app.fediverse.meetupChanged(item.id)
    if (item.kind === 'proposal' && item.eventId !== null) await app.fediverse.sessionChanged(item.eventId, item.id)
    await announce(item)
    reply.flash('moderation.restored', { title: item.title })
    return reply.redirect('/moderation', 303)
  })

  app.post('/moderation/reports/:id/dismiss', { preHandler: requireSignIn, schema: { params: ReportIdParams, body: CsrfBody } }, async (request, reply) => {
    const { report, item } = await reportForModerator(db, request.currentUser!, request.params.id)
    await dismissReported(db, request.currentUser!, report, item, new Date())
    reply.flash('moderation.dismissed', { title: item.title })
    return reply.redirect('/moderation', 303)
  })
}

export default moderationRoutes
