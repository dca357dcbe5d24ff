// Events and proposals → what their templates show, in the reader's language.
import type { EventRow, ProposalRow } from '../../db/database.js'
import { formatInstant, formatLocalDate, zoneName } from '../../i18n/format.js'
import type { Locale } from '../../i18n/i18n.js'
import { hashtagLinks, type HashtagLink } from '../../lib/hashtags.js'
import { renderMarkdown } from '../../lib/markdown.js'
import { zonedToUtc } from '../../lib/zoned-time.js'
import { needsList } from './events.schemas.js'
import { ownCodePath } from '../conduct/conduct.view-models.js'

export function eventPath(event: Pick<EventRow, 'slug'>, rest = ''): string {
  return `/events/${event.slug}${rest}`
}

/** The venue on OpenStreetMap: the link the organisers gave, or a search for the address. */
export function mapLink(event: Pick<EventRow, 'map_url' | 'venue_name' | 'venue_address'>): string | null {
  if (event.map_url) return event.map_url
  const query = [event.venue_name, event.venue_address.replace(/\n/g, ', ')].filter(Boolean).join(', ')
  return query ? `https://www.openstreetmap.org/search?query=${encodeURIComponent(query)}` : null
}

/** "Saturday, 16 January 2027" or "16 January 2027 – 17 January 2027". */
export function eventDates(locale: Locale, event: Pick<EventRow, 'first_day' | 'last_day'>): string {
  if (event.first_day === event.last_day) return formatLocalDate(locale, event.first_day)
  return `${formatLocalDate(locale, event.first_day, 'shortDate')} – ${formatLocalDate(locale, event.last_day, 'shortDate')}`
}

export interface EventHeader {
  slug: string
  name: string
  hashtag: string
  hashtagLinks: HashtagLink[]
  phase: EventRow['phase']
  schedulePublished: boolean
  datesLabel: string
  hoursLabel: string
  startIso: string
  venueName: string
  venueAddressLines: string[]
  mapUrl: string | null
  descriptionHtml: string
  timeZone: string
  /** The page of its own code of conduct; null when the site's applies alone. */
  codeOfConductPath: string | null
}

export function toEventHeader(locale: Locale, event: EventRow): EventHeader {
  const start = zonedToUtc(event.first_day, event.day_starts, event.time_zone)
  const end = zonedToUtc(event.first_day, event.day_ends, event.time_zone)
  return {
    slug: event.slug,
    name: event.name,
    hashtag: event.hashtag,
    hashtagLinks: event.hashtag ? hashtagLinks(event.hashtag) : [],
    phase: event.phase,
    schedulePublished: event.schedule_published_at !== null,
    datesLabel: eventDates(locale, event),
    hoursLabel: `${formatInstant(locale, start, event.time_zone, 'time')}–${formatInstant(locale, end, event.time_zone, 'time')} (${zoneName(locale, event.time_zone, start)})`,
    startIso: start.toISOString(),
    venueName: event.venue_name,
    venueAddressLines: event.venue_address.split('\n').filter(Boolean),
    mapUrl: mapLink(event),
    descriptionHtml: renderMarkdown(event.description),
    timeZone: event.time_zone,
    codeOfConductPath: ownCodePath(eventPath(event), event.code_of_conduct),
  }
}

export function eventFormValues(event: EventRow, communitySlug: string | null): Record<string, string> {
  return {
    name: event.name,
    slug: event.slug,
    hashtag: event.hashtag ? `#${event.hashtag}` : '',
    communitySlug: communitySlug ?? '',
    venueName: event.venue_name,
    venueAddress: event.venue_address,
    mapUrl: event.map_url ?? '',
    timeZone: event.time_zone,
    firstDay: event.first_day,
    lastDay: event.last_day,
    dayStarts: event.day_starts,
    dayEnds: event.day_ends,
    description: event.description,
    codeOfConduct: event.code_of_conduct,
  }
}

export function proposalFormValues(proposal: ProposalRow): Record<string, string | string[]> {
  return { title: proposal.title, description: proposal.description, format: proposal.format, needs: needsList(proposal.needs) }
}
