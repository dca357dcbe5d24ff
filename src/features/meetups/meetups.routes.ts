// Meetups: the list, creating and editing, the page with its RSVP form and attendee list,
// RSVPs, cancelling, and the hosts' CSV of who is coming.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { formatInstant } from '../../i18n/format.js'
import { keptValues, withError, type FormErrors } from '../../lib/forms.js'
import { ownCodePath } from '../conduct/conduct.view-models.js'
import { CsrfField } from '../../lib/schema-fields.js'
import { requireSignIn } from '../../plugins/auth.js'
import { findUserByTypedHandle } from '../accounts/users.queries.js'
import { insertInvitation, listPendingNames } from '../invitations/invitations.queries.js'
import { listCommunities } from '../communities/communities.queries.js'
import { DEFAULT_TIME_ZONE } from '../communities/communities.schemas.js'
import { listEvents } from '../events/events.queries.js'
import { personPath } from '../people/people.view-models.js'
import { answersByPerson, attendeesCsv, visibleAttendees } from './attendees.js'
import { CANCEL_REASON_MAX_LENGTH, CancelBody, MeetupBody, MeetupSlugParams, RsvpBody, VISIBILITIES, meetupMessages, readAnswers, readMeetupForm, type MeetupInput } from './meetups.schemas.js'
import { hostOnly, meetupOr404, meetupToReply } from './meetup-access.js'
import { UNCANCEL_WINDOW_MS, cancelMeetup, createMeetup, editMeetup, uncancelMeetup, uncancelRefusal } from './meetups.service.js'
import { findMyAnswers, listAnswers, listQuestions } from './questions.queries.js'
import { UnusableInputError } from '../../lib/http-errors.js'
import { findMyRsvp, listAttendees, listMeetupHosts, listUpcomingMeetups, setHideName } from './meetups.queries.js'
import { meetupPath, meetupStart, seatsLeft, toMeetupView } from './meetups.view-models.js'
import { meetupEditPage, meetupImage } from './edit-page.js'
import { rsvpGoing, rsvpNotGoing, waitlistPosition } from './rsvps.service.js'
import { eventJsonLd, pageCard, shareLinks } from '../cards/cards.js'
import { meetupDeletion } from '../deletions/deletions.service.js'
import { qrSvg } from '../cards/qr.js'

const HideBody = Type.Object({ hide: Type.Union([Type.Literal('1'), Type.Literal('0')]), _csrf: CsrfField })
const HostBody = Type.Object({ who: Type.String({ maxLength: 254 }), _csrf: CsrfField })

function repliesClosedReason(meetup: { starts_at: string; rsvp_opens_at: string | null; rsvp_closes_at: string | null }, now: Date): string | null {
  const at = now.toISOString()
  if (meetup.starts_at <= at) return 'rsvp.refused.past'
  if (meetup.rsvp_opens_at && at < meetup.rsvp_opens_at) return 'rsvp.refused.notOpen'
  if (meetup.rsvp_closes_at && at >= meetup.rsvp_closes_at) return 'rsvp.refused.closed'
  return null
}

/** A start the clocks show twice was taken as the first: the page after saving says which. */
function flashRepeatedTime(request: FastifyRequest, reply: FastifyReply, input: MeetupInput): boolean {
  if (!input.repeatedTime) return false
  reply.flash('meetup.savedRepeatedTime', { when: formatInstant(request.i18n.locale, input.repeatedTime, input.timeZone, 'dateTimeWithZone') })
  return true
}

const meetupsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app
  const formData = async (userId: number | null) => ({
    visibilities: VISIBILITIES,
    communities: await listCommunities(db, ''),
    events: await listEvents(db, userId),
  })


  app.get('/meetups', async (request, reply) => {
    const locale = request.i18n.locale
    const meetups = (await listUpcomingMeetups(db, new Date())).map((m) => ({ ...m, when: meetupStart(locale, m), seatsLeft: seatsLeft(m) }))
    return reply.viewAsync('meetups/index', { meetups })
  })

  app.get('/meetups/new', { preHandler: requireSignIn }, async (request, reply) => {
    const values = { timeZone: DEFAULT_TIME_ZONE, maxPartySize: '1', attendeeVisibility: 'attendees', capacity: '' }
    return reply.viewAsync('meetups/new', { values, errors: {}, ...(await formData(request.currentUser!.id)) })
  })

  app.post('/meetups', { preHandler: requireSignIn, schema: { body: MeetupBody }, attachValidation: true }, async (request, reply) => {
    const render = async (errors: FormErrors) =>
      reply.code(400).viewAsync('meetups/new', { values: keptValues(request.body), errors, ...(await formData(request.currentUser!.id)) })
    const { input, errors } = readMeetupForm(request.body, request.validationError?.validation)
    if (!input) return render(errors)
    if (input.startsAt <= new Date().toISOString()) return render(withError({}, meetupMessages, 'startsAt', { key: 'meetup.startsAt.past' }))
    const result = await createMeetup(db, input, request.currentUser!, new Date())
    if (!result.ok) return render(withError({}, meetupMessages, result.field, { key: result.key }))
    await app.fediverse.meetupChanged(result.meetup.id)
    if (!flashRepeatedTime(request, reply, input)) reply.flash('meetup.created', { title: result.meetup.title })
    return reply.redirect(meetupPath(result.meetup), 303)
  })

  app.get('/meetups/:slug', { config: { keptPage: true }, schema: { params: MeetupSlugParams } }, async (request, reply) => {
    const { meetup, isHost } = await meetupOr404(db, request.params.slug, request.currentUser)
    const me = request.currentUser
    const [hosts, attendees, mine, image] = await Promise.all([
      listMeetupHosts(db, meetup.id),
      listAttendees(db, meetup.id),
      me ? findMyRsvp(db, meetup.id, me.id) : undefined,
      // A hidden meetup's image is not served (images.routes.ts): its page shows none either.
      meetup.hidden_at ? null : meetupImage(db, app.config.baseUrl, meetup.id),
    ])
    const position = mine?.status === 'waitlisted' ? await waitlistPosition(db, meetup.id, mine) : null
    const questions = await listQuestions(db, meetup.id)
    const myAnswers = me && questions.length ? await findMyAnswers(db, meetup.id, me.id) : new Map<number, string>()
    // The answers are for the hosts alone (issue 22): nobody else's page ever carries them.
    const hostAnswers = isHost && questions.length ? answersByPerson(questions, attendees, await listAnswers(db, meetup.id)) : null
    const view = toMeetupView(request.i18n.locale, meetup)
    const path = meetupPath(meetup)
    const url = app.config.baseUrl + path
    const place = [meetup.venue_name, meetup.venue_address.split('\n')[0]].filter(Boolean).join(', ')
    const seats = view.seatsLeft === null ? '' : ` ${request.i18n.t('seats.left', { count: view.seatsLeft })}.`
    // What the meetup belongs to (its event once the event's organisers approved, else its
    // community): linked from the page, and its hashtag shared.
    const listedEvent = meetup.event_id && meetup.event_approved === 1 ? meetup.event_id : null
    const awaitingEvent = meetup.event_id && meetup.event_approved === 0 && isHost ? await db.selectFrom('events').select('name').where('id', '=', meetup.event_id).executeTakeFirst() : undefined
    const parent = listedEvent
      ? await db.selectFrom('events').select(['slug', 'name', 'hashtag', 'code_of_conduct']).where('id', '=', listedEvent).executeTakeFirst().then((e) => e && { ...e, path: `/events/${e.slug}` })
      : meetup.community_id
        ? await db.selectFrom('communities').select(['slug', 'name', 'hashtag', 'code_of_conduct']).where('id', '=', meetup.community_id).executeTakeFirst().then((c) => c && { ...c, path: `/communities/${c.slug}` })
        : undefined
    const hashtag = parent?.hashtag
    return reply.viewAsync('meetups/show', {
      card: pageCard(app.config.baseUrl, {
        title: meetup.state === 'cancelled' ? request.i18n.t('card.cancelled', { title: meetup.title }) : meetup.title,
        description: (place ? request.i18n.t('card.at', { when: view.when, place }) : view.when) + seats,
        path,
        type: 'event',
        imageAlt: request.i18n.t('card.imageAlt'),
        image,
        jsonLd: eventJsonLd({
          name: meetup.title,
          description: meetup.description,
          url,
          start: new Date(meetup.starts_at),
          end: new Date(meetup.ends_at),
          timeZone: meetup.time_zone,
          place: { name: meetup.venue_name, address: meetup.venue_address.replace(/\n/g, ', ') },
          onlineUrl: meetup.online_url,
          organizers: hosts.map((h) => h.display_name),
          cancelled: meetup.state === 'cancelled',
        }),
      }),
      share: shareLinks({ title: meetup.title, when: view.when, hashtag: hashtag || null, url }),
      qrSvg: await qrSvg(url),
      meetup: view,
      image,
      // The RSVP form links to the code of what the meetup belongs to, when it has its own.
      partOf: parent ? { name: parent.name, path: parent.path, codePath: ownCodePath(parent.path, parent.code_of_conduct) } : null,
      awaitingEvent: awaitingEvent ? { name: awaitingEvent.name } : null,
      pendingHosts: isHost ? await listPendingNames(db, 'meetup', meetup.id) : [],
      hosts: hosts.map((h) => ({ ...h, path: personPath(h) })),
      attendees: visibleAttendees(attendees, { isHost, viewerId: me?.id ?? null, visibility: meetup.attendee_visibility }),
      waitlistCount: attendees.filter((a) => a.status === 'waitlisted').length,
      mine: mine && mine.status !== 'not_going' ? { status: mine.status, partySize: mine.party_size, hideName: mine.hide_name === 1, position } : null,
      // Seats are free but the party first in the queue is bigger: offer it the seats there are,
      // rather than passing it over silently (everyone behind who fitted has had a seat).
      smallerPartyOffer:
        mine?.status === 'waitlisted' && position === 1 && view.seatsLeft !== null && view.seatsLeft > 0 && view.seatsLeft < mine.party_size ? view.seatsLeft : null,
      // Nothing left: the form's button says what it really does.
      full: view.seatsLeft === 0,
      // Why replies are not taken now, if they are not (the form is then not shown at all).
      repliesClosed: repliesClosedReason(meetup, new Date()),
      isHost,
      questions: questions.map((q) => ({ id: q.id, question: q.question, answer: myAnswers.get(q.id) ?? '' })),
      hostAnswers,
      // Hosts may take a cancellation back within the day (the POST asks again).
      uncancelUntil:
        isHost && meetup.cancelled_at && uncancelRefusal(meetup, new Date()) === null
          ? formatInstant(request.i18n.locale, new Date(new Date(meetup.cancelled_at).getTime() + UNCANCEL_WINDOW_MS).toISOString(), meetup.time_zone, 'dateTimeWithZone')
          : null,
      hiddenReason: meetup.hidden_at ? meetup.hidden_reason : null,
      report: me && !meetup.hidden_at ? `/report/meetup/${meetup.id}` : null,
      // Offered only when the rules allow it (no replies, or cancelled 30 days ago); the POST asks again.
      canDelete: isHost && (await meetupDeletion(db, meetup, new Date())) === null,
    })
  })

  app.get('/meetups/:slug/edit', { preHandler: requireSignIn, schema: { params: MeetupSlugParams } }, async (request, reply) => {
    const { meetup } = await hostOnly(db, request.params.slug, request.currentUser)
    return reply.viewAsync('meetups/edit', await meetupEditPage(db, app.config.baseUrl, request.i18n.locale, meetup, request.currentUser!.id))
  })

  app.post('/meetups/:slug/edit', { preHandler: requireSignIn, schema: { params: MeetupSlugParams, body: MeetupBody }, attachValidation: true }, async (request, reply) => {
    const { meetup } = await hostOnly(db, request.params.slug, request.currentUser)
    const render = async (errors: FormErrors) =>
      reply.code(400).viewAsync('meetups/edit', {
        meetup: toMeetupView(request.i18n.locale, meetup),
        values: keptValues(request.body),
        errors,
        ...(await formData(request.currentUser!.id)),
        image: await meetupImage(db, app.config.baseUrl, meetup.id),
      })
    const { input, errors } = readMeetupForm({ ...request.body, slug: meetup.slug }, request.validationError?.validation)
    if (!input) return render(errors)
    if (input.capacity !== null && input.capacity < meetup.seats_taken) {
      return render(withError({}, meetupMessages, 'capacity', { key: 'meetup.capacity.belowTaken', params: { count: meetup.seats_taken } }))
    }
    const result = await editMeetup(db, meetup, input, request.currentUser!, new Date())
    if (!result.ok) return render(withError({}, meetupMessages, result.field, { key: result.key }))
    await app.fediverse.meetupChanged(meetup.id)
    if (!flashRepeatedTime(request, reply, input)) reply.flash('meetup.saved')
    return reply.redirect(meetupPath(meetup), 303)
  })

  app.post('/meetups/:slug/rsvp', { preHandler: requireSignIn, schema: { params: MeetupSlugParams, body: RsvpBody } }, async (request, reply) => {
    // One read: the meetup, this person's reply so far, whether they hear about it by email.
    const { meetup, seen } = await meetupToReply(db, request.params.slug, request.currentUser!)
    const userId = request.currentUser!.id
    if (request.body.going === 'no') {
      // Their answers to the meetup's questions go with the reply, in its transaction (issue 22).
      await rsvpNotGoing(db, meetup.id, userId, new Date(), { hears: seen?.hears })
      reply.flash('rsvp.notGoing')
    } else {
      // Most meetups ask nothing: the count on the meetup's row saves reading the questions.
      const questions = meetup.question_count > 0 ? await listQuestions(db, meetup.id) : []
      const answers = readAnswers(request.body, questions)
      if (!answers) throw new UnusableInputError('rsvp.answers.tooLong')
      // The answers are saved with the reply, in its transaction: a refused reply saves none.
      const outcome = await rsvpGoing(db, meetup.id, userId, Number(request.body.partySize ?? '1'), new Date(), { seen, answers: answers.size ? { questions, values: answers } : undefined })
      // Only the party first in the queue is offered the seats left (the page shows the offer).
      if (outcome.status === 'waitlisted' && outcome.seatsLeft && outcome.position === 1) reply.flash('rsvp.waitlistedBiggerParty', { count: outcome.seatsLeft, position: outcome.position })
      else if (outcome.status === 'waitlisted') reply.flash('rsvp.waitlisted', { count: outcome.position })
      else reply.flash('rsvp.nowGoing')
    }
    // Back to the reply panel, not the top of the page. No `next` is read: there is nowhere
    // else to go, so nothing a form (or an attacker's copy of it) sends can send anyone off-site.
    return reply.redirect(meetupPath(meetup, '#rsvp'), 303)
  })

  app.post('/meetups/:slug/hide-name', { preHandler: requireSignIn, schema: { params: MeetupSlugParams, body: HideBody } }, async (request, reply) => {
    const { meetup } = await meetupOr404(db, request.params.slug, request.currentUser)
    await setHideName(db, meetup.id, request.currentUser!.id, request.body.hide === '1')
    reply.flash(request.body.hide === '1' ? 'rsvp.nameHidden' : 'rsvp.nameShown')
    return reply.redirect(meetupPath(meetup, '#rsvp'), 303)
  })

  // "I can't come any more" asks first: a seat given up goes to the waitlist at once, so
  // there is no taking it back afterwards (issue 22). The page posts the usual "no" reply.
  app.get('/meetups/:slug/leave', { preHandler: requireSignIn, schema: { params: MeetupSlugParams } }, async (request, reply) => {
    const { meetup } = await meetupOr404(db, request.params.slug, request.currentUser)
    const mine = await findMyRsvp(db, meetup.id, request.currentUser!.id)
    if (!mine || mine.status === 'not_going' || meetup.state === 'cancelled') return reply.redirect(meetupPath(meetup), 303)
    const answers = await findMyAnswers(db, meetup.id, request.currentUser!.id)
    return reply.viewAsync('meetups/leave', { meetup: toMeetupView(request.i18n.locale, meetup), status: mine.status, hasAnswers: answers.size > 0 })
  })

  // Cancelling asks first, with an optional reason for the email: a host cancelling on the
  // morning because they are ill should not have to explain (issue 22).
  app.get('/meetups/:slug/cancel', { preHandler: requireSignIn, schema: { params: MeetupSlugParams } }, async (request, reply) => {
    const { meetup } = await hostOnly(db, request.params.slug, request.currentUser)
    if (meetup.state === 'cancelled') return reply.redirect(meetupPath(meetup), 303)
    return reply.viewAsync('meetups/cancel', { meetup: toMeetupView(request.i18n.locale, meetup), values: { reason: '' }, errors: {} })
  })

  app.post('/meetups/:slug/cancel', { preHandler: requireSignIn, schema: { params: MeetupSlugParams, body: CancelBody } }, async (request, reply) => {
    const { meetup } = await hostOnly(db, request.params.slug, request.currentUser)
    const reason = (request.body.reason ?? '').replace(/\r\n/g, '\n').trim()
    if (reason.length > CANCEL_REASON_MAX_LENGTH) {
      const errors = withError({}, { reason: { default: 'meetup.cancelReason.tooLong' } }, 'reason', { key: 'meetup.cancelReason.tooLong' })
      return reply.code(400).viewAsync('meetups/cancel', { meetup: toMeetupView(request.i18n.locale, meetup), values: { reason: request.body.reason ?? '' }, errors })
    }
    await cancelMeetup(db, meetup.id, new Date(), reason || null)
    await app.fediverse.meetupChanged(meetup.id)
    reply.flash('meetup.cancelledFlash')
    return reply.redirect(meetupPath(meetup), 303)
  })

  app.post('/meetups/:slug/uncancel', { preHandler: requireSignIn, schema: { params: MeetupSlugParams, body: Type.Object({ _csrf: CsrfField }) } }, async (request, reply) => {
    const { meetup } = await hostOnly(db, request.params.slug, request.currentUser)
    await uncancelMeetup(db, meetup.id, new Date())
    await app.fediverse.meetupChanged(meetup.id)
    reply.flash('meetup.uncancelledFlash')
    return reply.redirect(meetupPath(meetup), 303)
  })

  app.post('/meetups/:slug/hosts', { preHandler: requireSignIn, schema: { params: MeetupSlugParams, body: HostBody } }, async (request, reply) => {
    const { meetup } = await hostOnly(db, request.params.slug, request.currentUser)
    const person = await findUserByTypedHandle(db, request.body.who)
    if (person) {
      await insertInvitation(db, { kind: 'meetup', targetId: meetup.id, userId: person.id, invitedBy: request.currentUser!.id }, new Date().toISOString())
      reply.flash('invitations.sent', { name: person.display_name })
    } else {
      reply.flash('proposals.hosts.notFound', { who: request.body.who })
    }
    return reply.redirect(meetupPath(meetup), 303)
  })

  app.get('/meetups/:slug/attendees.csv', { preHandler: requireSignIn, schema: { params: MeetupSlugParams } }, async (request, reply) => {
    const { meetup } = await hostOnly(db, request.params.slug, request.currentUser)
    const [attendees, questions] = await Promise.all([listAttendees(db, meetup.id), listQuestions(db, meetup.id)])
    const answers = questions.length ? await listAnswers(db, meetup.id) : []
    const csv = attendeesCsv(request.i18n, attendees, questions, answers)
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${meetup.slug}-attendees.csv"`)
      .header('cache-control', 'no-store')
      .send(csv)
  })
}

export default meetupsRoutes
