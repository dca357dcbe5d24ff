import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { pageCard } from '../cards/cards.js'
import { listNextEvents } from '../events/events.queries.js'
import { eventDates } from '../events/events.view-models.js'
import { listNextMeetups } from '../meetups/meetups.queries.js'
import { meetupStart, seatsLeft } from '../meetups/meetups.view-models.js'

/** How many events and meetups "Coming up" shows of each; the lists of all are a link away. */
const COMING_UP_LENGTH = 3

const homeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app

  // Kept for signed-out visitors (src/plugins/kept-pages.ts): "Coming up" moves with the data
  // version, and with the clock within the kept pages' time bound.
  app.get('/', { config: { keptPage: true } }, async (request, reply) => {
    const { locale, t } = request.i18n
    const now = new Date()
    const [events, meetups] = await Promise.all([listNextEvents(db, now, COMING_UP_LENGTH), listNextMeetups(db, now, COMING_UP_LENGTH)])
    return reply.viewAsync('home/index', {
      card: pageCard(app.config.baseUrl, { title: 'Hashcamp', description: t('home.lead'), path: '/', imageAlt: t('card.imageAlt') }),
      events: events.map((event) => ({ ...event, datesLabel: eventDates(locale, event) })),
      meetups: meetups.map((meetup) => ({ ...meetup, when: meetupStart(locale, meetup), seatsLeft: seatsLeft(meetup) })),
    })
  })
}

export default homeRoutes
