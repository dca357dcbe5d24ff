// Events: the list, creating and editing one, and its public page.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { keptValues, withError, type FormErrors } from '../../lib/forms.js'
import { requireRole, requireSignIn } from '../../plugins/auth.js'
import { listCommunities } from '../communities/communities.queries.js'
import { DEFAULT_TIME_ZONE } from '../communities/communities.schemas.js'
import { EventBody, EventSlugParams, eventMessages, readEventForm } from './events.schemas.js'
import { createEvent, editEvent } from './events.service.js'
import { liveTopic } from '../schedule/schedule-access.js'
import { listEvents, listOrganisers } from './events.queries.js'
import { eventDates, eventPath, toEventHeader } from './events.view-models.js'
import { eventEditPage, eventImage } from './edit-page.js'
import { eventFediverseHandle } from '../federation/event-handle.js'
import { assertOrganiser, eventOr404 } from './event-access.js'
import { countProposals } from './proposals.queries.js'
import { personPath } from '../people/people.view-models.js'
import { utcToZoned, zonedToUtc } from '../../lib/zoned-time.js'
import { eventJsonLd, pageCard, shareLinks } from '../cards/cards.js'
import { listUpcomingMeetups } from '../meetups/meetups.queries.js'
import { meetupStart, seatsLeft } from '../meetups/meetups.view-models.js'


const eventsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app
  // Creating an event takes the site's organiser role; running one takes being one of its organisers.
  const organisersOnly = requireRole('organiser')
  const formData = async () => ({ communities: await listCommunities(db, '') })

  app.get('/events', async (request, reply) => {
    const locale = request.i18n.locale
    const now = new Date()
    // "Past" in each event's own time zone: a camp in Auckland ends before one in London.
    const events = (await listEvents(db, request.currentUser?.id ?? null, request.currentUser?.role === 'admin')).map((e) => ({
      ...e,
      datesLabel: eventDates(locale, e),
      past: e.last_day < utcToZoned(now, e.time_zone).date,
    }))
    return reply.viewAsync('events/index', { upcoming: events.filter((e) => !e.past), past: events.filter((e) => e.past).reverse() })
  })

  app.get('/events/new', { preHandler: organisersOnly }, async (_request, reply) => {
    const values = { timeZone: DEFAULT_TIME_ZONE, dayStarts: '09:00', dayEnds: '17:30', communitySlug: '' }
    return reply.viewAsync('events/new', { values, errors: {}, ...(await formData()) })
  })

  app.post('/events', { preHandler: organisersOnly, schema: { body: EventBody }, attachValidation: true }, async (request, reply) => {
    const render = async (errors: FormErrors) => reply.code(400).viewAsync('events/new', { values: keptValues(request.body), errors, ...(await formData()) })
    const { input, errors } = readEventForm(request.body, request.validationError?.validation)
    if (!input) return render(errors)
    const result = await createEvent(db, input, request.currentUser!, new Date())
    if (!result.ok) return render(withError({}, eventMessages, result.field, { key: result.key }))
    reply.flash('event.created', { name: result.event.name })
    return reply.redirect(eventPath(result.event), 303)
  })

  app.get('/events/:slug', { config: { keptPage: true }, schema: { params: EventSlugParams } }, async (request, reply) => {
    const { event, isOrganiser } = await eventOr404(db, request.params.slug, request.currentUser)
    const [organisers, proposals, community, meetups, image, handle] = await Promise.all([
      listOrganisers(db, event.id),
      countProposals(db, event.id),
      event.community_id ? db.selectFrom('communities').select(['slug', 'name']).where('id', '=', event.community_id).executeTakeFirst() : undefined,
      listUpcomingMeetups(db, new Date(), { eventId: event.id }),
      eventImage(db, app.config.baseUrl, event.id),
      eventFediverseHandle(db, app.config.baseUrl, event),
    ])
    const header = toEventHeader(request.i18n.locale, event)
    const path = eventPath(event)
    const place = [event.venue_name, event.venue_address.split('\n')[0]].filter(Boolean).join(', ')
    const when = `${header.datesLabel}, ${header.hoursLabel}`
    return reply.viewAsync('events/show', {
      fediverseHandle: handle,
      card: pageCard(app.config.baseUrl, {
        title: event.name,
        description: place ? request.i18n.t('card.at', { when, place }) : when,
        path,
        type: 'event',
        imageAlt: request.i18n.t('card.imageAlt'),
        image,
        jsonLd: eventJsonLd({
          name: event.name,
          description: event.description,
          url: app.config.baseUrl + path,
          start: zonedToUtc(event.first_day, event.day_starts, event.time_zone),
          end: zonedToUtc(event.last_day, event.day_ends, event.time_zone),
          timeZone: event.time_zone,
          place: { name: event.venue_name, address: event.venue_address.replace(/\n/g, ', ') },
          onlineUrl: null,
          organizers: organisers.map((o) => o.display_name),
          cancelled: false,
        }),
      }),
      share: shareLinks({ title: event.name, when: header.datesLabel, hashtag: event.hashtag || null, url: app.config.baseUrl + path }),
      event: header,
      organisers: organisers.map((o) => ({ ...o, path: personPath(o) })),
      proposals,
      community: community ?? null,
      meetups: meetups.map((m) => ({ ...m, when: meetupStart(request.i18n.locale, m), seatsLeft: seatsLeft(m) })),
      isOrganiser,
      image,
    })
  })

  app.get('/events/:slug/edit', { preHandler: requireSignIn, schema: { params: EventSlugParams } }, async (request, reply) => {
    const context = await eventOr404(db, request.params.slug, request.currentUser)
    assertOrganiser(context)
    return reply.viewAsync('events/edit', await eventEditPage(db, app.config.baseUrl, request.i18n.locale, context.event))
  })

  app.post('/events/:slug/edit', { preHandler: requireSignIn, schema: { params: EventSlugParams, body: EventBody }, attachValidation: true }, async (request, reply) => {
    const context = await eventOr404(db, request.params.slug, request.currentUser)
    assertOrganiser(context)
    const render = async (errors: FormErrors) =>
      reply.code(400).viewAsync('events/edit', {
        event: toEventHeader(request.i18n.locale, context.event),
        values: keptValues(request.body),
        errors,
        ...(await formData()),
        image: await eventImage(db, app.config.baseUrl, context.event.id),
      })
    // The slug stays: links to the event must keep working.
    const { input, errors } = readEventForm({ ...request.body, slug: context.event.slug }, request.validationError?.validation)
    if (!input) return render(errors)
    const result = await editEvent(db, context.event, input, request.currentUser!, new Date())
    if (!result.ok) return render(withError({}, eventMessages, result.field, { key: result.key }))
    // A new time zone moves every slot: open schedule pages catch up.
    await app.live.publish(liveTopic(context.event.id))
    reply.flash('event.saved')
    return reply.redirect(eventPath(context.event), 303)
  })
}

export default eventsRoutes
