// Rooms: the grid's columns. Organisers add, change, reorder and remove them.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { PROPOSAL_NEEDS, type EventRow, type RoomRow } from '../../db/database.js'
import { keptValues, type FormErrors } from '../../lib/forms.js'
import { NotFoundError } from '../../lib/http-errors.js'
import type { Translator } from '../../i18n/i18n.js'
import { requireSignIn } from '../../plugins/auth.js'
import { EventSlugParams, needsList } from '../events/events.schemas.js'
import { eventPath, toEventHeader } from '../events/events.view-models.js'
import { phaseAllows } from '../events/phases.js'
import { findRoom, listRooms } from './rooms.queries.js'
import { moveRoom, removeRoom, saveRoom } from './rooms.service.js'
import { liveTopic, scheduleDesk } from './schedule-access.js'
import { ItemParams, RoomBody, RoomMoveBody, readRoomForm, roomErrorFor } from './schedule.schemas.js'
import { roomView } from './schedule.view-models.js'

function roomFormValues(room: RoomRow): Record<string, string | string[]> {
  return { name: room.name, capacity: String(room.capacity), location: room.location, features: needsList(room.features), accessibilityNotes: room.accessibility_notes }
}

const roomsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app

  const roomsPage = async (i18n: Translator, event: EventRow, form: { values: Record<string, unknown>; errors: FormErrors } = { values: { capacity: '' }, errors: {} }) => ({
    event: toEventHeader(i18n.locale, event),
    rooms: (await listRooms(db, event.id)).map((room) => roomView(i18n.t, room)),
    canEdit: phaseAllows(event.phase, 'schedule'),
    needs: PROPOSAL_NEEDS,
    ...form,
  })

  app.get('/events/:slug/rooms', { preHandler: requireSignIn, schema: { params: EventSlugParams } }, async (request, reply) => {
    const { event } = await scheduleDesk(db, request.params.slug, request.currentUser, false)
    return reply.viewAsync('schedule/rooms', await roomsPage(request.i18n, event))
  })

  app.post('/events/:slug/rooms', { preHandler: requireSignIn, schema: { params: EventSlugParams, body: RoomBody }, attachValidation: true }, async (request, reply) => {
    const { event } = await scheduleDesk(db, request.params.slug, request.currentUser, true)
    const { input, errors } = readRoomForm(request.body, request.validationError?.validation)
    const result = input ? await saveRoom(db, event, null, input, new Date()) : null
    if (!result?.ok) {
      const allErrors = result && !result.ok ? roomErrorFor(errors, result.field, result.key) : errors
      return reply.code(400).viewAsync('schedule/rooms', await roomsPage(request.i18n, event, { values: keptValues(request.body), errors: allErrors }))
    }
    await app.live.publish(liveTopic(event.id))
    reply.flash('rooms.added', { name: input!.name })
    return reply.redirect(eventPath(event, '/rooms'), 303)
  })

  app.get('/events/:slug/rooms/:id/edit', { preHandler: requireSignIn, schema: { params: ItemParams } }, async (request, reply) => {
    const { event } = await scheduleDesk(db, request.params.slug, request.currentUser, false)
    const room = await findRoom(db, event.id, request.params.id)
    if (!room) throw new NotFoundError('no such room')
    return reply.viewAsync('schedule/room-edit', { event: toEventHeader(request.i18n.locale, event), room, values: roomFormValues(room), errors: {}, needs: PROPOSAL_NEEDS })
  })

  app.post('/events/:slug/rooms/:id', { preHandler: requireSignIn, schema: { params: ItemParams, body: RoomBody }, attachValidation: true }, async (request, reply) => {
    const { event } = await scheduleDesk(db, request.params.slug, request.currentUser, true)
    const room = await findRoom(db, event.id, request.params.id)
    if (!room) throw new NotFoundError('no such room')
    const { input, errors } = readRoomForm(request.body, request.validationError?.validation)
    const result = input ? await saveRoom(db, event, room.id, input, new Date()) : null
    if (!result?.ok) {
      const allErrors = result && !result.ok ? roomErrorFor(errors, result.field, result.key) : errors
      return reply.code(400).viewAsync('schedule/room-edit', { event: toEventHeader(request.i18n.locale, event), room, values: keptValues(request.body), errors: allErrors, needs: PROPOSAL_NEEDS })
    }
    await app.live.publish(liveTopic(event.id))
    reply.flash('rooms.saved', { name: input!.name })
    return reply.redirect(eventPath(event, '/rooms'), 303)
  })

  app.post('/events/:slug/rooms/:id/move', { preHandler: requireSignIn, schema: { params: ItemParams, body: RoomMoveBody } }, async (request, reply) => {
    const { event } = await scheduleDesk(db, request.params.slug, request.currentUser, true)
    await moveRoom(db, event, request.params.id, request.body.direction, new Date())
    await app.live.publish(liveTopic(event.id))
    return reply.redirect(eventPath(event, `/rooms#room-${request.params.id}`), 303)
  })

  app.post('/events/:slug/rooms/:id/delete', { preHandler: requireSignIn, schema: { params: ItemParams } }, async (request, reply) => {
    const { event } = await scheduleDesk(db, request.params.slug, request.currentUser, true)
    const name = await removeRoom(db, event, request.params.id)
    await app.live.publish(liveTopic(event.id))
    reply.flash('rooms.removed', { name })
    return reply.redirect(eventPath(event, '/rooms'), 303)
  })
}

export default roomsRoutes
