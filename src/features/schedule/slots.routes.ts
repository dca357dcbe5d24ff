// Time slots: the grid's rows. Organisers add them one at a time or lay out a whole day.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SLOT_KINDS, type EventRow } from '../../db/database.js'
import { formatLocalDate } from '../../i18n/format.js'
import type { Translator } from '../../i18n/i18n.js'
import { keptValues, type FormErrors } from '../../lib/forms.js'
import { NotFoundError } from '../../lib/http-errors.js'
import { requireSignIn } from '../../plugins/auth.js'
import { EventSlugParams } from '../events/events.schemas.js'
import { eventPath, toEventHeader } from '../events/events.view-models.js'
import { phaseAllows } from '../events/phases.js'
import { liveTopic, scheduleDesk } from './schedule-access.js'
import { ItemParams, PlanBody, SlotBody, planErrorFor, readPlanForm, readSlotForm, slotErrorFor } from './schedule.schemas.js'
import { slotTimeLabel } from './schedule.view-models.js'
import { findSlot, listSlots } from './slots.queries.js'
import { addSlots, editSlot, generateDay, removeSlot } from './slots.service.js'

type Form = { values: Record<string, unknown>; errors: FormErrors }

const slotsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app

  const defaults = (event: EventRow) => ({
    slot: { values: { day: event.first_day, kind: 'session' }, errors: {} },
    plan: { values: { planDay: event.first_day, start: event.day_starts, opening: '30', sessions: '5', length: '45', gap: '15', lunchAfter: '3', lunchLength: '60' }, errors: {} },
  })

  const slotsPage = async (i18n: Translator, event: EventRow, forms: { slot?: Form; plan?: Form } = {}) => {
    const slots = await listSlots(db, event.id)
    const days = [...new Set(slots.map((s) => s.day))].map((day) => ({
      day,
      label: formatLocalDate(i18n.locale, day),
      slots: slots.filter((s) => s.day === day).map((s) => ({ ...s, timeLabel: slotTimeLabel(i18n, event.time_zone, s) })),
    }))
    const blank = defaults(event)
    const slot = forms.slot ?? blank.slot
    const plan = forms.plan ?? blank.plan
    return {
      event: toEventHeader(i18n.locale, event),
      days,
      canEdit: phaseAllows(event.phase, 'schedule'),
      kinds: SLOT_KINDS,
      slot,
      plan,
      // One summary for the page, whichever of its two forms was sent.
      errors: { ...slot.errors, ...plan.errors },
    }
  }

  app.get('/events/:slug/slots', { preHandler: requireSignIn, schema: { params: EventSlugParams } }, async (request, reply) => {
    const { event } = await scheduleDesk(db, request.params.slug, request.currentUser, false)
    return reply.viewAsync('schedule/slots', await slotsPage(request.i18n, event))
  })

  app.post('/events/:slug/slots', { preHandler: requireSignIn, schema: { params: EventSlugParams, body: SlotBody }, attachValidation: true }, async (request, reply) => {
    const { event } = await scheduleDesk(db, request.params.slug, request.currentUser, true)
    const { input, errors } = readSlotForm(request.body, request.validationError?.validation)
    const result = input ? await addSlots(db, event, [input], new Date()) : null
    if (!result?.ok) {
      const allErrors = result && !result.ok ? slotErrorFor(errors, result.problem.field, result.problem.key, result.problem.params) : errors
      return reply.code(400).viewAsync('schedule/slots', await slotsPage(request.i18n, event, { slot: { values: keptValues(request.body), errors: allErrors } }))
    }
    await app.live.publish(liveTopic(event.id))
    await app.fediverse.scheduleChanged(event.id)
    reply.flash('slots.added', { count: 1 })
    return reply.redirect(eventPath(event, '/slots'), 303)
  })

  app.post('/events/:slug/slots/generate', { preHandler: requireSignIn, schema: { params: EventSlugParams, body: PlanBody }, attachValidation: true }, async (request, reply) => {
    const { event } = await scheduleDesk(db, request.params.slug, request.currentUser, true)
    const { input, errors } = readPlanForm(request.body, request.validationError?.validation)
    const { t } = request.i18n
    const labels = { opening: t('slots.generate.openingLabel'), break: t('slots.kind.break'), lunch: t('slots.kind.lunch') }
    const result = input ? await generateDay(db, event, input, labels, new Date()) : null
    if (!result?.ok) {
      // A generated slot's problem is the plan's: point at the day or the first time field.
      const allErrors = result && !result.ok ? planErrorFor(errors, result.problem.field === 'day' ? 'planDay' : result.problem.field === 'sessions' ? 'sessions' : 'start', result.problem.key, 'params' in result.problem ? result.problem.params : undefined) : errors
      return reply.code(400).viewAsync('schedule/slots', await slotsPage(request.i18n, event, { plan: { values: keptValues(request.body), errors: allErrors } }))
    }
    await app.live.publish(liveTopic(event.id))
    await app.fediverse.scheduleChanged(event.id)
    reply.flash('slots.added', { count: result.count })
    return reply.redirect(eventPath(event, '/slots'), 303)
  })

  app.get('/events/:slug/slots/:id/edit', { preHandler: requireSignIn, schema: { params: ItemParams } }, async (request, reply) => {
    const { event } = await scheduleDesk(db, request.params.slug, request.currentUser, false)
    const slot = await findSlot(db, event.id, request.params.id)
    if (!slot) throw new NotFoundError('no such slot')
    const values = { day: slot.day, startTime: slot.start_time, endTime: slot.end_time, kind: slot.kind, label: slot.label }
    return reply.viewAsync('schedule/slot-edit', { event: toEventHeader(request.i18n.locale, event), slot, values, errors: {}, kinds: SLOT_KINDS })
  })

  app.post('/events/:slug/slots/:id', { preHandler: requireSignIn, schema: { params: ItemParams, body: SlotBody }, attachValidation: true }, async (request, reply) => {
    const { event } = await scheduleDesk(db, request.params.slug, request.currentUser, true)
    const slot = await findSlot(db, event.id, request.params.id)
    if (!slot) throw new NotFoundError('no such slot')
    const { input, errors } = readSlotForm(request.body, request.validationError?.validation)
    const result = input ? await editSlot(db, event, slot.id, input, new Date()) : null
    if (!result?.ok) {
      const allErrors = result && !result.ok ? slotErrorFor(errors, result.problem.field, result.problem.key, result.problem.params) : errors
      return reply.code(400).viewAsync('schedule/slot-edit', { event: toEventHeader(request.i18n.locale, event), slot, values: keptValues(request.body), errors: allErrors, kinds: SLOT_KINDS })
    }
    await app.live.publish(liveTopic(event.id))
    await app.fediverse.scheduleChanged(event.id)
    reply.flash('slots.saved')
    return reply.redirect(eventPath(event, '/slots'), 303)
  })

  app.post('/events/:slug/slots/:id/delete', { preHandler: requireSignIn, schema: { params: ItemParams } }, async (request, reply) => {
    const { event } = await scheduleDesk(db, request.params.slug, request.currentUser, true)
    await removeSlot(db, event, request.params.id)
    await app.live.publish(liveTopic(event.id))
    await app.fediverse.scheduleChanged(event.id)
    reply.flash('slots.removed')
    return reply.redirect(eventPath(event, '/slots'), 303)
  })
}

export default slotsRoutes
