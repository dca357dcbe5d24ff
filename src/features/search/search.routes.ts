// Site-wide search: communities, events and meetups, each section ranked and capped.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { eventDates } from '../events/events.view-models.js'
import { meetupStart } from '../meetups/meetups.view-models.js'
import { searchTerms, typedSearch } from './search-terms.js'
import { searchCommunities, searchEvents, searchMeetups } from './search.queries.js'

/** Each section shows this many, and says how many more there are. */
export const SEARCH_SECTION_LIMIT = 20

/** Anything at all: a search box takes whatever is typed (or sent twice), and never answers with an error. */
export const SearchQuery = Type.Object({ q: Type.Optional(Type.Unknown()) })

const searchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, dialect } = app

  // Not a kept page: nearly every search is typed once, so keeping them would only push the
  // pages many people read (home, lists, grids) out of the kept pages' bounded store.
  app.get('/search', { schema: { querystring: SearchQuery } }, async (request, reply) => {
    const locale = request.i18n.locale
    const typed = typedSearch(request.query.q)
    const { words, shortened } = searchTerms(typed)
    const viewer = request.currentUser ? { id: request.currentUser.id, role: request.currentUser.role } : null
    const [communities, events, meetups] = words.length
      ? await Promise.all([
          searchCommunities(db, dialect, words, SEARCH_SECTION_LIMIT),
          searchEvents(db, dialect, words, viewer, SEARCH_SECTION_LIMIT),
          searchMeetups(db, dialect, words, SEARCH_SECTION_LIMIT),
        ])
      : [null, null, null]
    return reply.viewAsync('search/index', {
      typed,
      searched: words.length > 0,
      shortened,
      limit: SEARCH_SECTION_LIMIT,
      communities,
      events: events && { ...events, items: events.items.map((e) => ({ ...e, datesLabel: eventDates(locale, e) })) },
      meetups: meetups && { ...meetups, items: meetups.items.map((m) => ({ ...m, when: meetupStart(locale, m) })) },
      // Results pages are many and alike: search engines are better sent to the things themselves.
      noindex: typed !== '',
    })
  })
}

export default searchRoutes
