// A session on a published grid as an ActivityStreams Event, like a meetup's (meetup-objects.ts):
// the title, its slot's times, its room at the event's venue, a link to its page, and
// iCalendar's status, CANCELLED once it is taken off the grid.
import { Event, Hashtag, Place, PUBLIC_COLLECTION } from '@fedify/fedify'
import { Temporal } from '@js-temporal/polyfill'
import { formatInstant } from '../../i18n/format.js'
import { translator } from '../../i18n/i18n.js'
import type { SessionRow } from '../calendars/calendars.queries.js'
import { withIcalStatus } from './meetup-objects.js'
import { escapeHtml, hashtagLink } from '../../lib/html.js'


export interface SessionObjectInput {
  session: SessionRow
  timeZone: string
  objectId: URL
  actorId: URL
  followersId: URL
  baseUrl: string
  tag: { hashtag: string; url: URL } | null
}

export function sessionEvent({ session, timeZone, objectId, actorId, followersId, baseUrl, tag }: SessionObjectInput): Event {
  const { t } = translator('en')
  const cancelled = session.cancelled_at !== null
  const pageUrl = new URL(`/events/${encodeURIComponent(session.event_slug)}/proposals/${session.proposal_id}`, baseUrl)
  const when = formatInstant('en', session.starts_at, timeZone, 'dateTime')
  const place = [session.room, session.venue_name].filter(Boolean).join(', ')
  const content = [
    cancelled ? `<p><strong>${escapeHtml(t('federation.session.cancelledNote'))}</strong></p>` : '',
    `<p>${escapeHtml(t('federation.session.when', { when, event: session.event_name }))}<br>${escapeHtml(place)}</p>`,
    `<p><a href="${escapeHtml(pageUrl.href)}">${escapeHtml(t('federation.session.link'))}</a>${tag ? ` ${hashtagLink(tag.hashtag, tag.url)}` : ''}</p>`,
  ].join('')
  const event = new Event({
    id: objectId,
    attribution: actorId,
    name: cancelled ? t('federation.meetup.cancelledName', { title: session.title }) : session.title,
    content,
    url: pageUrl,
    startTime: Temporal.Instant.from(session.starts_at),
    endTime: Temporal.Instant.from(session.ends_at),
    location: new Place({ name: place }),
    tags: tag ? [new Hashtag({ name: `#${tag.hashtag}`, href: tag.url })] : [],
    updated: Temporal.Instant.from([session.entry_updated, session.proposal_updated, session.slot_updated, session.room_updated].sort().at(-1)!),
    to: PUBLIC_COLLECTION,
    cc: followersId,
  })
  return withIcalStatus(event, cancelled ? 'CANCELLED' : 'CONFIRMED')
}
