// The organisers' grid editor: rooms × slots, with plain forms for every change (assign,
// move, swap, unassign, pin). Moving without JavaScript is two steps: "Move" on a session
// shows a "Put here" or "Swap" button in every cell. static/js/schedule-editor.js adds drag
// and drop (mouse, touch and keyboard) on top, posting the very same forms. Taking a session
// off the grid offers Undo, which puts it back in the same room and slot.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { requireSignIn } from '../../plugins/auth.js'
import { RefusedError } from '../../lib/http-errors.js'
import { takeFlash } from '../../plugins/flash.js'
import { idFromPath } from '../../lib/schema-fields.js'
import { adjacentPhases } from '../events/events.service.js'
import { EventSlugParams } from '../events/events.schemas.js'
import { eventPath, toEventHeader } from '../events/events.view-models.js'
import { isSchedulePublished, phaseAllows } from '../events/phases.js'
import { loadGrid } from './grid-data.js'
import { listUnscheduled } from './grid.queries.js'
import { pinSession, placeSession, unassignSession } from './grid.service.js'
import { liveTopic, scheduleDesk } from './schedule-access.js'
import { acceptDraft, makeDraft } from './autoschedule.service.js'
import { listRooms } from './rooms.queries.js'
import { AcceptDraftBody, GridQuery, PinBody, PlaceBody, ProposalActionBody, RestoreBody } from './schedule.schemas.js'
import { listSlots } from './slots.queries.js'
import { slotTimeLabel, toGrid } from './schedule.view-models.js'

const gridRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app

  app.get('/events/:slug/schedule/edit', { preHandler: requireSignIn, schema: { params: EventSlugParams, querystring: GridQuery } }, async (request, reply) => {
    const { event } = await scheduleDesk(db, request.params.slug, request.currentUser, false)
    const viewerId = request.currentUser!.id
    const [data, unscheduled] = await Promise.all([loadGrid(db, event, viewerId), listUnscheduled(db, event.id)])
    const grid = toGrid(request.i18n, event, data, { at: new Date(), viewerId, mine: false, showCancelled: false })
    const tray = unscheduled
      .map((p) => ({ proposalId: p.id, title: p.title, state: p.state, walkUp: p.walk_up === 1, interest: data.interest.get(p.id) ?? 0, path: eventPath(event, `/proposals/${p.id}`) }))
      .sort((a, b) => b.interest - a.interest || a.proposalId - b.proposalId)
    // The session being moved, in the two-step move without JavaScript.
    const movingId = idFromPath(request.query.move ?? '')
    const placed = grid.days.flatMap((d) => d.slots.flatMap((s) => s.cells.map((c) => c.session))).find((s) => s?.proposalId === movingId)
    const moving = placed ?? tray.find((p) => p.proposalId === movingId) ?? null
    // The editor shows its own flash, beside the grid, so that taking a session off can carry
    // an Undo button (and the script can swap the message in after a drop without a reload).
    const flash = takeFlash(request)
    const undo = flash?.params?.undoProposal ? { proposal: flash.params.undoProposal, slot: flash.params.undoSlot, room: flash.params.undoRoom, title: flash.params.title } : null
    return reply.viewAsync('schedule/editor', {
      event: toEventHeader(request.i18n.locale, event),
      grid,
      tray,
      notice: flash ? { text: request.i18n.t(flash.key, flash.params), undo: undo && phaseAllows(event.phase, 'schedule') ? undo : null } : null,
      // A session already on the grid may swap places; one still waiting only takes empty cells.
      moving: moving ? { proposalId: moving.proposalId, title: moving.title, placed: moving === placed } : null,
      canEdit: phaseAllows(event.phase, 'schedule'),
      published: isSchedulePublished(event),
      nextPhase: adjacentPhases(event.phase).next,
    })
  })

  const back = (slug: string, anchor = '') => `/events/${slug}/schedule/edit${anchor}`
  /** A posted id, or a 409 that says the thing is not there: ids out of range name nothing of ours. */
  const posted = (value: string): number => {
    const id = idFromPath(value)
    if (id === null) throw new RefusedError('schedule.refused.missing')
    return id
  }

  app.post('/events/:slug/schedule/place', { preHandler: requireSignIn, schema: { params: EventSlugParams, body: PlaceBody } }, async (request, reply) => {
    const { event } = await scheduleDesk(db, request.params.slug, request.currentUser, true)
    const { proposal, slot, room, expected } = request.body
    const placement = { proposalId: posted(proposal), slotId: posted(slot), roomId: posted(room), expected: expected === '' ? null : posted(expected) }
    const placed = await placeSession(db, event, placement, new Date())
    await app.live.publish(liveTopic(event.id))
    await app.fediverse.scheduleChanged(event.id)
    reply.flash('schedule.placed', { title: placed.title })
    return reply.redirect(back(event.slug, `#cell-${slot}-${room}`), 303)
  })

  app.post('/events/:slug/schedule/unassign', { preHandler: requireSignIn, schema: { params: EventSlugParams, body: ProposalActionBody } }, async (request, reply) => {
    const { event } = await scheduleDesk(db, request.params.slug, request.currentUser, true)
    const proposalId = posted(request.body.proposal)
    const removed = await unassignSession(db, event, proposalId, new Date())
    await app.live.publish(liveTopic(event.id))
    await app.fediverse.scheduleChanged(event.id)
    // Where it was rides along with the message: the editor turns it into an Undo button.
    reply.flash(isSchedulePublished(event) ? 'schedule.cancelled' : 'schedule.unassigned', { title: removed.title, undoProposal: proposalId, undoSlot: removed.slotId, undoRoom: removed.roomId })
    return reply.redirect(back(event.slug, '#editor'), 303)
  })

  // Undo for "Take off the grid": back into the same room and slot, if nobody has filled it since.
  app.post('/events/:slug/schedule/restore', { preHandler: requireSignIn, schema: { params: EventSlugParams, body: RestoreBody } }, async (request, reply) => {
    const { event } = await scheduleDesk(db, request.params.slug, request.currentUser, true)
    const { proposal, slot, room } = request.body
    const restored = await placeSession(db, event, { proposalId: posted(proposal), slotId: posted(slot), roomId: posted(room), expected: null }, new Date(), 'restore')
    await app.live.publish(liveTopic(event.id))
    await app.fediverse.scheduleChanged(event.id)
    reply.flash('schedule.restored', { title: restored.title })
    return reply.redirect(back(event.slug, `#cell-${slot}-${room}`), 303)
  })

  // The auto-scheduler: GET makes a draft (nothing changes), POST accepts it.
  app.get('/events/:slug/schedule/auto', { preHandler: requireSignIn, schema: { params: EventSlugParams } }, async (request, reply) => {
    const { event } = await scheduleDesk(db, request.params.slug, request.currentUser, true)
    const draft = await makeDraft(db, app.dialect, event, app.drafts)
    const [slots, rooms] = await Promise.all([listSlots(db, event.id), listRooms(db, event.id)])
    const slotLabel = new Map(slots.map((s) => [s.id, slotTimeLabel(request.i18n, event.time_zone, s)]))
    const roomName = new Map(rooms.map((r) => [r.id, r.name]))
    const cell = (c: { slot: number; room: number } | null) => (c ? `${roomName.get(c.room)}, ${slotLabel.get(c.slot)}` : null)
    return reply.viewAsync('schedule/auto', {
      event: toEventHeader(request.i18n.locale, event),
      draft: { ...draft, moves: draft.moves.map((m) => ({ ...m, fromLabel: cell(m.from), toLabel: cell(m.to) })) },
      placements: draft.placements.map((p) => `${p.proposalId}:${p.to ? `${p.to.slot}:${p.to.room}` : '-'}`),
      published: isSchedulePublished(event),
    })
  })

  app.post('/events/:slug/schedule/auto', { preHandler: requireSignIn, schema: { params: EventSlugParams, body: AcceptDraftBody } }, async (request, reply) => {
    const { event } = await scheduleDesk(db, request.params.slug, request.currentUser, true)
    const raw = request.body.place === undefined ? [] : Array.isArray(request.body.place) ? request.body.place : [request.body.place]
    const placements = raw.map((value) => {
      const [proposal, slot, room] = value.split(':')
      return { proposalId: posted(proposal ?? ''), to: slot === '-' ? null : { slot: posted(slot ?? ''), room: posted(room ?? '') } }
    })
    const changed = await acceptDraft(db, app.dialect, event, request.body.basis, placements, new Date())
    await app.live.publish(liveTopic(event.id))
    await app.fediverse.scheduleChanged(event.id)
    reply.flash('schedule.auto.accepted', { count: changed })
    return reply.redirect(back(event.slug), 303)
  })

  app.post('/events/:slug/schedule/pin', { preHandler: requireSignIn, schema: { params: EventSlugParams, body: PinBody } }, async (request, reply) => {
    const { event } = await scheduleDesk(db, request.params.slug, request.currentUser, true)
    await pinSession(db, event, posted(request.body.proposal), request.body.pinned === '1', new Date())
    await app.live.publish(liveTopic(event.id))
    await app.fediverse.scheduleChanged(event.id)
    return reply.redirect(back(event.slug, `#session-${request.body.proposal}`), 303)
  })
}

export default gridRoutes
