// Site administration: the admin decides who may create events (organisers), finds people,
// suspends and lifts suspensions, and reads the moderation audit log. Communities and meetups
// need no role: anyone signed in may create them.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { ReportRow, UserRow } from '../../db/database.js'
import { errorsFromValidation, keptValues, type FieldMessages, type FormErrors } from '../../lib/forms.js'
import { NotFoundError } from '../../lib/http-errors.js'
import { pageCount, pagination } from '../../lib/pagination.js'
import { requireRole } from '../../plugins/auth.js'
import { findUserById, setUserRole } from '../accounts/users.queries.js'
import { findItems, itemKey, listLog, listReportsAbout, listReportsBy } from '../moderation/moderation.queries.js'
import { CsrfBody, REASON_MAX_LENGTH, ReasonBody } from '../moderation/moderation.schemas.js'
import { suspendPerson, unsuspendPerson } from '../moderation/moderation.service.js'
import { personPath } from '../people/people.view-models.js'
import { CsrfField, Id } from '../../lib/schema-fields.js'
import { searchUsers } from './admin.queries.js'
import { deleteAccount } from '../accounts/erasure.service.js'
import { CONTENT_CHOICES } from '../accounts/my-data.schemas.js'
import { insertLog } from '../moderation/moderation.queries.js'
import { mailFolder } from '../../lib/mailer.js'

const PersonParams = Type.Object({ id: Id })
/** Deleting someone else's account: what becomes of their proposals and topics, as when they leave themselves. */
const DeletePersonBody = Type.Object({ content: Type.Union(CONTENT_CHOICES.map((c) => Type.Literal(c))), _csrf: CsrfField })
const RoleBody = Type.Object({ role: Type.Union([Type.Literal('member'), Type.Literal('organiser')]), _csrf: CsrfField })
const PeopleQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })), page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })) })
const AuditQuery = Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })) })
const suspendMessages: FieldMessages = { reason: { required: 'admin.suspend.reasonRequired', maxLength: 'report.reason.tooLong', default: 'admin.suspend.reasonRequired' } }

const PEOPLE_PER_PAGE = 50
const LOG_PER_PAGE = 100

const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app
  const adminOnly = requireRole('admin')

  app.get('/admin/people', { preHandler: adminOnly, schema: { querystring: PeopleQuery } }, async (request, reply) => {
    const q = (request.query.q ?? '').trim()
    const page = request.query.page ?? 1
    const { people, total } = await searchUsers(db, q, { limit: PEOPLE_PER_PAGE, offset: (page - 1) * PEOPLE_PER_PAGE })
    return reply.viewAsync('admin/people', {
      q,
      total,
      pagination: pagination('/admin/people', { q }, page, pageCount(total, PEOPLE_PER_PAGE)),
      people: people.map((user) => ({
        id: user.id,
        displayName: user.display_name,
        handle: user.handle,
        email: user.email,
        role: user.role,
        suspended: user.suspended_at !== null,
        path: personPath(user),
      })),
    })
  })

  app.post('/admin/people/:id/role', { preHandler: adminOnly, schema: { params: PersonParams, body: RoleBody } }, async (request, reply) => {
    const person = await findUserById(db, request.params.id)
    if (!person) return reply.callNotFound()
    // Admins are not demoted from here: the site must always keep its admin.
    if (person.role === 'admin') {
      reply.flash('admin.people.cannotChangeAdmin', { name: person.display_name })
      return reply.redirect('/admin/people', 303)
    }
    await setUserRole(db, person.id, request.body.role, new Date().toISOString())
    reply.flash(request.body.role === 'organiser' ? 'admin.people.madeOrganiser' : 'admin.people.madeMember', { name: person.display_name })
    return reply.redirect('/admin/people', 303)
  })

  // One person: suspend or lift it, and the reports made by and about them.
  const personPage = async (person: UserRow, values: Record<string, string>, errors: FormErrors) => {
    const [by, about] = await Promise.all([listReportsBy(db, person.id), listReportsAbout(db, person.id)])
    const items = await findItems(db, [...by, ...about].map((r) => ({ kind: r.item_kind, id: r.item_id })))
    const line = (report: ReportRow) => {
      const item = items.get(itemKey(report.item_kind, report.item_id))
      return { id: report.id, kind: report.item_kind, title: item?.title ?? '', path: item?.path ?? null, reason: report.reason, status: report.status, createdAt: report.created_at }
    }
    return {
      person: {
        id: person.id,
        displayName: person.display_name,
        handle: person.handle,
        email: person.email,
        role: person.role,
        path: personPath(person),
        suspendedAt: person.suspended_at,
        suspendedReason: person.suspended_reason,
      },
      reportsBy: by.map(line),
      reportsAbout: about.map(line),
      maxLength: REASON_MAX_LENGTH,
      values,
      errors,
    }
  }

  const personOr404 = async (id: number) => {
    const person = await findUserById(db, id)
    if (!person) throw new NotFoundError(`no person ${id}`)
    return person
  }

  app.get('/admin/people/:id', { preHandler: adminOnly, schema: { params: PersonParams } }, async (request, reply) => {
    const person = await personOr404(request.params.id)
    return reply.viewAsync('admin/person', await personPage(person, {}, {}))
  })

  app.post('/admin/people/:id/suspend', { preHandler: adminOnly, schema: { params: PersonParams, body: ReasonBody }, attachValidation: true }, async (request, reply) => {
    const person = await personOr404(request.params.id)
    if (request.validationError) {
      const errors = errorsFromValidation(request.validationError.validation, suspendMessages, request.body)
      return reply.code(400).viewAsync('admin/person', await personPage(person, keptValues(request.body), errors))
    }
    await suspendPerson(db, request.currentUser!, person, request.body.reason.trim(), new Date())
    await app.fediverse.meetupsOfPersonChanged(person.id)
    reply.flash('admin.suspend.done', { name: person.display_name })
    return reply.redirect(`/admin/people/${person.id}`, 303)
  })

  app.post('/admin/people/:id/unsuspend', { preHandler: adminOnly, schema: { params: PersonParams, body: CsrfBody } }, async (request, reply) => {
    const person = await personOr404(request.params.id)
    await unsuspendPerson(db, request.currentUser!, person, new Date())
    await app.fediverse.meetupsOfPersonChanged(person.id)
    reply.flash('admin.unsuspend.done', { name: person.display_name })
    return reply.redirect(`/admin/people/${person.id}`, 303)
  })

  // The same erasure as "Delete my account" (docs/privacy.md); the audit log keeps only that it
  // happened, by whom, and the account's number, never the address or name.
  app.post('/admin/people/:id/delete', { preHandler: adminOnly, schema: { params: PersonParams, body: DeletePersonBody } }, async (request, reply) => {
    const person = await personOr404(request.params.id)
    const now = new Date()
    await deleteAccount(db, person.id, { withdrawContent: request.body.content === 'withdraw' }, now, mailFolder(config.dataDir))
    await insertLog(db, { actor_id: request.currentUser!.id, action: 'delete', item_kind: 'profile', item_id: person.id, report_id: null, reason: '', created_at: now.toISOString() })
    reply.flash('admin.delete.done')
    return reply.redirect('/admin/people', 303)
  })

  app.get('/admin/audit', { preHandler: adminOnly, schema: { querystring: AuditQuery } }, async (request, reply) => {
    const page = request.query.page ?? 1
    const { lines, total } = await listLog(db, LOG_PER_PAGE, (page - 1) * LOG_PER_PAGE)
    const items = await findItems(
      db,
      lines.flatMap((l) => (isItemKind(l.item_kind) ? [{ kind: l.item_kind, id: l.item_id }] : [])),
    )
    return reply.viewAsync('admin/audit', {
      pagination: pagination('/admin/audit', {}, page, pageCount(total, LOG_PER_PAGE)),
      lines: lines.map((l) => {
        const item = items.get(itemKey(l.item_kind, l.item_id))
        return { ...l, title: item?.title ?? `#${l.item_id}`, path: l.item_kind === 'profile' ? `/admin/people/${l.item_id}` : (item?.path ?? null) }
      }),
    })
  })
}

const isItemKind = (kind: string): kind is ReportRow['item_kind'] => ['proposal', 'topic', 'meetup', 'profile', 'host_message'].includes(kind)

export default adminRoutes
