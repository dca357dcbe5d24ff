// Link cards (Open Graph, Twitter Card), schema.org JSON-LD and share links: what a page
// becomes when its link is pasted into X, Mastodon, Bluesky, Slack, Teams or WhatsApp.
// Everything here is an absolute URL built from BASE_URL.
import { isoWithOffset } from '../../lib/zoned-time.js'

export interface Card {
  title: string
  description: string
  /** Absolute canonical URL of the page. */
  url: string
  image: string
  imageAlt: string
  type: 'website' | 'article' | 'event'
  /** Ready to place inside <script type="application/ld+json"> (see jsonLdText). */
  jsonLd: string | null
}

export function absolute(baseUrl: string, path: string): string {
  return baseUrl + path
}

export function siteImage(baseUrl: string): string {
  return `${baseUrl}/static/img/card.png`
}

/**
 * JSON for a <script type="application/ld+json"> element. JSON.stringify alone is not enough:
 * "</script>" in a title would end the element, so <, > and & are written as \u escapes
 * (still the same JSON), as are the line separators JavaScript parsers trip on.
 */
export function jsonLdText(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

export interface EventLike {
  name: string
  description: string
  url: string
  start: Date
  end: Date
  timeZone: string
  place: { name: string; address: string } | null
  onlineUrl: string | null
  organizers: string[]
  cancelled: boolean
}

/** schema.org Event, with local start and end times that carry their offset. */
export function eventJsonLd(event: EventLike): string {
  const physical = event.place && (event.place.name || event.place.address)
  return jsonLdText({
    '@context': 'https://schema.org',
    '@type': 'Event',
    name: event.name,
    description: event.description || undefined,
    url: event.url,
    startDate: isoWithOffset(event.start, event.timeZone),
    endDate: isoWithOffset(event.end, event.timeZone),
    eventStatus: event.cancelled ? 'https://schema.org/EventCancelled' : 'https://schema.org/EventScheduled',
    eventAttendanceMode: physical
      ? event.onlineUrl
        ? 'https://schema.org/MixedEventAttendanceMode'
        : 'https://schema.org/OfflineEventAttendanceMode'
      : event.onlineUrl
        ? 'https://schema.org/OnlineEventAttendanceMode'
        : undefined,
    location: [
      ...(physical ? [{ '@type': 'Place', name: event.place!.name || undefined, address: event.place!.address || undefined }] : []),
      ...(event.onlineUrl ? [{ '@type': 'VirtualLocation', url: event.onlineUrl }] : []),
    ],
    organizer: event.organizers.map((name) => ({ '@type': 'Person', name })),
  })
}

export interface ShareLinks {
  text: string
  url: string
  x: string
  bluesky: string
  mastodon: string
}

/** Share links whose text names the thing, its date and its hashtag. Plain links: no scripts, no trackers. */
export function shareLinks(parts: { title: string; when: string | null; hashtag: string | null; url: string }): ShareLinks {
  const text = [parts.title, parts.when, parts.hashtag ? `#${parts.hashtag}` : null].filter(Boolean).join(' – ')
  const withUrl = `${text} ${parts.url}`
  return {
    text,
    url: parts.url,
    x: `https://x.com/intent/post?${new URLSearchParams({ text, url: parts.url })}`,
    bluesky: `https://bsky.app/intent/compose?${new URLSearchParams({ text: withUrl })}`,
    mastodon: `/share/mastodon?${new URLSearchParams({ text: withUrl })}`,
  }
}

/**
 * A card for a page: its canonical URL from BASE_URL, the site image unless given one. `image`:
 * an event's or meetup's own (its absolute 1200×630 card variant and the alt text its organiser wrote).
 */
export function pageCard(
  baseUrl: string,
  parts: { title: string; description: string; path: string; type?: Card['type']; jsonLd?: string | null; imageAlt: string; image?: { cardUrl: string; alt: string } | null },
): Card {
  return {
    title: parts.title,
    description: parts.description,
    url: absolute(baseUrl, parts.path),
    image: parts.image ? parts.image.cardUrl : siteImage(baseUrl),
    imageAlt: parts.image ? parts.image.alt : parts.imageAlt,
    type: parts.type ?? 'website',
    jsonLd: parts.jsonLd ?? null,
  }
}
