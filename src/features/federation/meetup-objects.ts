// A meetup as an ActivityStreams Event, as Mastodon and Mobilizon show one. ActivityStreams
// has no status: a cancelled meetup's name and content say so in words, and the object carries
// iCalendar's status as Mobilizon does (ical:status, CANCELLED or CONFIRMED).
import { Event, Hashtag, Object as ApObject, Place, PUBLIC_COLLECTION } from '@fedify/fedify'
import { Temporal } from '@js-temporal/polyfill'
import type { MeetupRow } from '../../db/database.js'
import { formatInstant } from '../../i18n/format.js'
import { translator } from '../../i18n/i18n.js'
import { renderMarkdown } from '../../lib/markdown.js'
import type { Speaker } from './meetup-audience.js'
import { escapeHtml, hashtagLink } from '../../lib/html.js'

const ICAL = 'http://www.w3.org/2002/12/cal/ical#'


/**
 * Adds iCalendar's status to an Event's serialisation, which Fedify's vocabulary lacks. On its
 * own (the Event fetched at its id) it reads "ical:status" with the prefix in the context, as
 * Mobilizon writes it; inside an activity Fedify asks for expanded JSON-LD and compacts the
 * whole against its own context, where the same property comes out under its full IRI.
 */
export function withIcalStatus<T extends ApObject>(object: T, status: 'CONFIRMED' | 'CANCELLED'): T {
  const original = object.toJsonLd.bind(object)
  object.toJsonLd = async (options) => {
    const json = await original(options)
    if (Array.isArray(json)) {
      const [node] = json as Record<string, unknown>[]
      if (node) node[`${ICAL}status`] = [{ '@value': status }]
      return json
    }
    const compact = json as Record<string, unknown>
    if (compact['@context'] === undefined) return { ...compact, [`${ICAL}status`]: status }
    const context = Array.isArray(compact['@context']) ? compact['@context'] : [compact['@context']]
    return { ...compact, '@context': [...context, { ical: ICAL }], 'ical:status': status }
  }
  return object
}

export interface MeetupObjectInput {
  meetup: MeetupRow
  /** The community or event that sends it. */
  speaker: Speaker
  objectId: URL
  actorId: URL
  followersId: URL
  baseUrl: string
}

export function meetupEvent({ meetup, speaker, objectId, actorId, followersId, baseUrl }: MeetupObjectInput): Event {
  const { t } = translator('en')
  const cancelled = meetup.state === 'cancelled'
  const pageUrl = new URL(`/meetups/${encodeURIComponent(meetup.slug)}`, baseUrl)
  const tagUrl = speaker.hashtag ? new URL(`/tags/${encodeURIComponent(speaker.hashtagKey)}`, baseUrl) : null
  const name = cancelled ? t('federation.meetup.cancelledName', { title: meetup.title }) : meetup.title
  const when = formatInstant('en', meetup.starts_at, meetup.time_zone, 'dateTime')
  const place = [meetup.venue_name, meetup.venue_address].filter(Boolean).join(', ')
  const content = [
    cancelled ? `<p><strong>${escapeHtml(t('federation.meetup.cancelledNote'))}</strong></p>` : '',
    `<p>${escapeHtml(t('federation.meetup.when', { when, community: speaker.name }))}${place ? `<br>${escapeHtml(place)}` : ''}</p>`,
    meetup.description ? renderMarkdown(meetup.description) : '',
    `<p><a href="${escapeHtml(pageUrl.href)}">${escapeHtml(t('federation.meetup.link'))}</a>${tagUrl ? ` ${hashtagLink(speaker.hashtag, tagUrl)}` : ''}</p>`,
  ].join('')
  const event = new Event({
    id: objectId,
    attribution: actorId,
    name,
    content,
    url: pageUrl,
    startTime: Temporal.Instant.from(meetup.starts_at),
    endTime: Temporal.Instant.from(meetup.ends_at),
    location: place ? new Place({ name: place }) : meetup.online_url ? new Place({ name: meetup.online_url }) : null,
    tags: tagUrl ? [new Hashtag({ name: `#${speaker.hashtag}`, href: tagUrl })] : [],
    published: Temporal.Instant.from(meetup.created_at),
    updated: Temporal.Instant.from(meetup.updated_at),
    to: PUBLIC_COLLECTION,
    cc: followersId,
  })
  return withIcalStatus(event, cancelled ? 'CANCELLED' : 'CONFIRMED')
}
