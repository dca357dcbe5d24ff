// The organisers' desk: phases, deciding in bulk, co-organisers, and the day itself
// (walk-up pitches, the pitch queue, merging duplicates).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { EVENT_PHASES, PROPOSAL_FORMATS } from '../../db/database.js'
import { errorsFromValidation, keptValues, type FieldMessages, type FormErrors } from '../../lib/forms.js'
import { CsrfField, Id, Slug, idFromPath } from '../../lib/schema-fields.js'
import { requireSignIn } from '../../plugins/auth.js'
import { NotFoundError } from '../../lib/http-errors.js'
import { findUserByTypedHandle } from '../accounts/users.queries.js'
import { insertInvitation, listPendingNames } from '../invitations/invitations.queries.js'
import { decideEventListing, listMeetupsAwaitingApproval } from '../meetups/meetups.queries.js'
import { personPath } from '../people/people.view-models.js'
import { EventSlugParams, WalkUpBody, walkUpMessages } from './events.schemas.js'
import { addWalkUpPitch, adjacentPhases, changePhase, decideProposals, mergeProposals, moveInQueue } from './events.service.js'
import { listOrganisers } from './events.queries.js'
import { eventPath, toEventHeader } from './events.view-models.js'
import { assertOrganiser, eventOr404, type EventContext } from './event-access.js'
import { DECIDABLE_STATES, LIVE_STATES, assertPhaseAllows, phaseAllows } from './phases.js'
import { liveTopic } from '../schedule/schedule-access.js'
import { eventRefusal } from '../deletions/deletions.service.js'
import { listProposalsForManaging, listQueue } from './proposals.queries.js'

const PhaseBody = Type.Object({ phase: Type.Union(EVENT_PHASES.map((p) => Type.Literal(p))), _csrf: CsrfField })
const PhaseQuery = Type.Object({ phase: Type.Optional(Type.Union(EVENT_PHASES.map((p) => Type.Literal(p)))) })
const BulkBody = Type.Object({
  action: Type.Union([Type.Literal('accepted'), Type.Literal('declined')]),
  ids: Type.Optional(Type.Union([Type.Array(Id, { maxItems: 2000 }), Id])),
  _csrf: CsrfField,
})
const OrganiserBody = Type.Object({ who: Type.String({ maxLength: 254 }), _csrf: CsrfField })
const QueueParams = Type.Object({ slug: Slug, id: Id })
const QueueBody = Type.Object({
  move: Type.Union([Type.Literal('up'), Type.Literal('down'), Type.Literal('add'), Type.Literal('remove'), Type.Literal('pitched')]),
  _csrf: CsrfField,
})
const MergeBody = Type.Object({ duplicate: Type.String({ maxLength: 12 }), target: Type.String({ maxLength: 12 }), _csrf: CsrfField })
const mergeMessages: FieldMessages = { duplicate: { default: 'merge.duplicate.required' }, target: { default: 'merge.target.required' } }

const ListingParams = Type.Object({ slug: Slug, id: Id })
const ListingBody = Type.Object({ answer: Type.Union([Type.Literal('approve'), Type.Literal('decline')]), _csrf: CsrfField })

const manageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app

  const organiserContext = async (slug: string, user: Parameters<typeof eventOr404>[2]) => {
    const context = await eventOr404(db, slug, user)
    assertOrganiser(context)
    return context
  }

  const renderManage = async (context: EventContext, locale: 'en' | 'cy', extra: { walkUp?: { values: Record<string, string>; errors: FormErrors }; merge?: { values: Record<string, string>; errors: FormErrors } } = {}) => {
    const { event } = context
    const [proposals, queue, organisers, pendingOrganisers, pendingMeetups] = await Promise.all([
      listProposalsForManaging(db, event.id),
      listQueue(db, event.id),
      listOrganisers(db, event.id),
      listPendingNames(db, 'event', event.id),
      listMeetupsAwaitingApproval(db, event.id),
    ])
    return {
      event: toEventHeader(locale, event),
      phases: adjacentPhases(event.phase),
      proposals: proposals.map((p) => ({ ...p, decidable: DECIDABLE_STATES.includes(p.state), queueable: LIVE_STATES.includes(p.state) })),
      queue,
      organisers: organisers.map((o) => ({ ...o, path: personPath(o) })),
      pendingOrganisers,
      pendingMeetups,
      formats: PROPOSAL_FORMATS,
      // Only a draft with nothing of anyone else's (features/deletions); the POST asks again.
      canDelete: (await eventRefusal(db, event)) === null,
      can: { decide: phaseAllows(event.phase, 'decide'), walkUp: phaseAllows(event.phase, 'walkUp'), queue: phaseAllows(event.phase, 'queue'), merge: phaseAllows(event.phase, 'merge') },
      walkUp: extra.walkUp ?? { values: { format: 'discussion' }, errors: {} },
      merge: extra.merge ?? { values: {}, errors: {} },
      errors: { ...(extra.walkUp?.errors ?? {}), ...(extra.merge?.errors ?? {}) },
    }
  }

  app.get('/events/:slug/manage', { preHandler: requireSignIn, schema: { params: EventSlugParams } }, async (request, reply) => {
    const context = await organiserContext(request.params.slug, request.currentUser)
    return reply.viewAsync('events/manage', await renderManage(context, request.i18n.locale))
  })

  // A phase change is felt by everyone (the event appears, the grid is published, votes
  // freeze): the buttons lead here first, and this page's button makes the change (issue 22).
  app.get('/events/:slug/phase', { preHandler: requireSignIn, schema: { params: EventSlugParams, querystring: PhaseQuery } }, async (request, reply) => {
    const context = await organiserContext(request.params.slug, request.currentUser)
    const { previous, next } = adjacentPhases(context.event.phase)
    const to = request.query.phase
    if (!to || (to !== previous && to !== next)) return reply.redirect(eventPath(context.event, '/manage'), 303)
    return reply.viewAsync('events/phase-confirm', { event: toEventHeader(request.i18n.locale, context.event), to })
  })

  app.post('/events/:slug/phase', { preHandler: requireSignIn, schema: { params: EventSlugParams, body: PhaseBody } }, async (request, reply) => {
    const context = await organiserContext(request.params.slug, request.currentUser)
    await changePhase(db, context.event, request.body.phase, new Date())
    await app.fediverse.eventPhaseChanged(context.event.id)
    // Publishing (or unpublishing) makes the grid appear or go on every open schedule page.
    await app.live.publish(liveTopic(context.event.id))
    reply.flash('event.phaseChanged', { phase: request.i18n.t(`events.phase.${request.body.phase}`) })
    return reply.redirect(eventPath(context.event, '/manage'), 303)
  })

  app.post('/events/:slug/proposals/decide', { preHandler: requireSignIn, schema: { params: EventSlugParams, body: BulkBody } }, async (request, reply) => {
    const context = await organiserContext(request.params.slug, request.currentUser)
    assertPhaseAllows(context.event.phase, 'decide')
    const ids = request.body.ids === undefined ? [] : Array.isArray(request.body.ids) ? request.body.ids : [request.body.ids]
    const changed = await decideProposals(db, context.event, ids, request.body.action, new Date())
    reply.flash(request.body.action === 'accepted' ? 'manage.bulk.accepted' : 'manage.bulk.declined', { count: changed })
    return reply.redirect(eventPath(context.event, '/manage'), 303)
  })

  app.post('/events/:slug/organisers', { preHandler: requireSignIn, schema: { params: EventSlugParams, body: OrganiserBody } }, async (request, reply) => {
    const context = await organiserContext(request.params.slug, request.currentUser)
    const person = await findUserByTypedHandle(db, request.body.who)
    if (person) {
      await insertInvitation(db, { kind: 'event', targetId: context.event.id, userId: person.id, invitedBy: request.currentUser!.id }, new Date().toISOString())
      reply.flash('invitations.sent', { name: person.display_name })
    } else {
      reply.flash('proposals.hosts.notFound', { who: request.body.who })
    }
    return reply.redirect(eventPath(context.event, '/manage'), 303)
  })

  // A meetup someone asked to list on this event: an organiser approves it, or it is untied.
  app.post('/events/:slug/meetups/:id/listing', { preHandler: requireSignIn, schema: { params: ListingParams, body: ListingBody } }, async (request, reply) => {
    const context = await organiserContext(request.params.slug, request.currentUser)
    const approve = request.body.answer === 'approve'
    const changed = await decideEventListing(db, context.event.id, request.params.id, approve, new Date().toISOString())
    if (!changed) throw new NotFoundError('no meetup waiting for this event')
    await app.fediverse.meetupChanged(request.params.id)
    reply.flash(approve ? 'manage.meetups.approved' : 'manage.meetups.declined')
    return reply.redirect(eventPath(context.event, '/manage#meetups'), 303)
  })

  app.post('/events/:slug/walk-up', { preHandler: requireSignIn, schema: { params: EventSlugParams, body: WalkUpBody }, attachValidation: true }, async (request, reply) => {
    const context = await organiserContext(request.params.slug, request.currentUser)
    assertPhaseAllows(context.event.phase, 'walkUp')
    if (request.validationError) {
      const errors = errorsFromValidation(request.validationError.validation, walkUpMessages, request.body)
      return reply.code(400).viewAsync('events/manage', await renderManage(context, request.i18n.locale, { walkUp: { values: keptValues(request.body), errors } }))
    }
    const pitch = await addWalkUpPitch(db, context.event.id, request.body, new Date())
    reply.flash('walkUp.added', { title: pitch.title })
    return reply.redirect(eventPath(context.event, '/manage#walk-up'), 303)
  })

  app.post('/events/:slug/queue/:id', { preHandler: requireSignIn, schema: { params: QueueParams, body: QueueBody } }, async (request, reply) => {
    const context = await organiserContext(request.params.slug, request.currentUser)
    assertPhaseAllows(context.event.phase, 'queue')
    await moveInQueue(db, context.event.id, request.params.id, request.body.move, new Date())
    return reply.redirect(eventPath(context.event, '/manage#queue'), 303)
  })

  app.post('/events/:slug/merge', { preHandler: requireSignIn, schema: { params: EventSlugParams, body: MergeBody }, attachValidation: true }, async (request, reply) => {
    const context = await organiserContext(request.params.slug, request.currentUser)
    assertPhaseAllows(context.event.phase, 'merge')
    const duplicate = idFromPath(String(request.body?.duplicate ?? ''))
    const target = idFromPath(String(request.body?.target ?? ''))
    let errors: FormErrors = request.validationError ? errorsFromValidation(request.validationError.validation, mergeMessages, request.body) : {}
    if (!errors.duplicate && duplicate === null) errors = { ...errors, duplicate: { key: 'merge.duplicate.required' } }
    if (!errors.target && target === null) errors = { ...errors, target: { key: 'merge.target.required' } }
    if (!errors.target && duplicate === target) errors = { ...errors, target: { key: 'merge.refused.same' } }
    if (Object.keys(errors).length || duplicate === null || target === null) {
      return reply.code(400).viewAsync('events/manage', await renderManage(context, request.i18n.locale, { merge: { values: keptValues(request.body), errors } }))
    }
    const kept = await mergeProposals(db, context.event.id, duplicate, target, new Date())
    await app.live.publish(liveTopic(context.event.id))
    reply.flash('merge.done', { title: kept.title })
    return reply.redirect(eventPath(context.event, '/manage#merge'), 303)
  })
}

export default manageRoutes
