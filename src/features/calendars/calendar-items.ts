// Rows → calendar items, with the identities calendars rely on: UIDs kind-id@host that never
// change or get reused, SEQUENCE from the data's own history, DTSTAMP from the data.
import type { MeetupRow, TombstoneRow } from '../../db/database.js'
import type { Translator } from '../../i18n/i18n.js'
import { chatOccurrences } from '../../lib/chat-recurrence.js'
import type { CalendarItem } from '../../lib/ics.js'
import { zonedToUtc } from '../../lib/zoned-time.js'
import { toChatExceptions, toChatSchedule } from '../communities/communities.service.js'
import type { CommunityChats, PersonalMeetupStatus, SessionRow } from './calendars.queries.js'

/** Cancelled things stay in feeds this long, so calendars that refresh slowly still hear of it. */
export const KEEP_CANCELLED_DAYS = 30
/** How far ahead a chat feed lists a community's chats. */
const CHATS_AHEAD_DAYS = 180

export interface Site {
  baseUrl: string
  /** The host part of UIDs: the site's own name, so they are unique across installations. */
  host: string
}

export function siteOf(baseUrl: string): Site {
  return { baseUrl, host: new URL(baseUrl).hostname }
}

const latest = (...stamps: (string | null | undefined)[]): string => stamps.filter((s): s is string => !!s).sort().at(-1)!

/**
 * The start of a feed's window: midnight UTC, 30 days back. It moves once a day, so a feed's
 * body (and its Last-Modified) changes at most at midnight when nothing else does.
 */
export function windowStart(now: Date): Date {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  return new Date(midnight - KEEP_CANCELLED_DAYS * 86400000)
}

export function dayStart(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())).toISOString()
}

export function sessionItem(site: Site, row: SessionRow): CalendarItem {
  const lastModified = latest(row.entry_updated, row.proposal_updated, row.slot_updated, row.room_updated, row.event_updated)
  return {
    uid: `session-${row.proposal_id}@${site.host}`,
    title: row.title,
    description: [row.event_name, row.description].filter(Boolean).join('\n\n'),
    location: [row.room, row.venue_name].filter(Boolean).join(', '),
    url: `${site.baseUrl}/events/${row.event_slug}/proposals/${row.proposal_id}`,
    start: new Date(row.starts_at),
    end: new Date(row.ends_at),
    status: row.cancelled_at ? 'CANCELLED' : 'CONFIRMED',
    sequence: row.sequence,
    lastModified,
  }
}

/**
 * A meetup. In a personal feed or an emailed invite (`personal` given) it says how its person
 * stands: hosting or going (CONFIRMED), waiting (TENTATIVE), or withdrawn (CANCELLED, kept for
 * 30 days so their calendar hears of it).
 *
 * SEQUENCE is the meetup's own, in every feed and every emailed invite: it goes up only when
 * what the event says for everyone (time, place, link, cancellation) changes, so another
 * person's reply changes nothing a subscriber's calendar shows, and an invite is never ahead
 * of the public feeds for the same UID (a client would ignore the feed's next change as
 * stale). A change in one person's standing (promoted, withdrawn) changes their own item's
 * DTSTAMP and LAST-MODIFIED instead: feeds are read whole, and iTIP takes a message with the
 * same SEQUENCE and a later DTSTAMP as the newer one (RFC 5546 §2.1.5).
 */
export function meetupItem(site: Site, t: Translator['t'], meetup: MeetupRow, personal?: { status: PersonalMeetupStatus; updated: string }): CalendarItem {
  const waiting = personal?.status === 'waitlisted'
  const cancelled = meetup.state === 'cancelled' || personal?.status === 'withdrawn'
  return {
    uid: `meetup-${meetup.id}@${site.host}`,
    title: waiting ? t('calendar.waitlisted', { title: meetup.title }) : meetup.title,
    description: [waiting ? t('calendar.waitlistedNote') : '', meetup.description, meetup.online_url ?? ''].filter(Boolean).join('\n\n'),
    location: [meetup.venue_name, meetup.venue_address.replace(/\n/g, ', ')].filter(Boolean).join(', '),
    url: `${site.baseUrl}/meetups/${meetup.slug}`,
    start: new Date(meetup.starts_at),
    end: new Date(meetup.ends_at),
    // Waiting for a seat is not going yet: TENTATIVE in every client that shows it.
    status: cancelled ? 'CANCELLED' : waiting ? 'TENTATIVE' : 'CONFIRMED',
    sequence: meetup.sequence,
    lastModified: personal ? latest(meetup.updated_at, personal.updated) : meetup.updated_at,
  }
}

/**
 * A meetup its hosts deleted: the same UID, CANCELLED, with the SEQUENCE the deletion gave it
 * (one above the meetup's last), so calendars that had it strike it out or drop it as they
 * do for a cancellation. Only the title and times are kept; the link says it was deleted.
 */
export function deletedMeetupItem(site: Site, tombstone: TombstoneRow): CalendarItem {
  return {
    uid: `meetup-${tombstone.target_id}@${site.host}`,
    title: tombstone.title,
    description: '',
    location: '',
    url: `${site.baseUrl}/meetups/${tombstone.slug}`,
    start: new Date(tombstone.starts_at!),
    end: new Date(tombstone.ends_at!),
    status: 'CANCELLED',
    sequence: tombstone.sequence ?? 0,
    lastModified: tombstone.deleted_at,
  }
}

/**
 * A community's chats from the window's start to six months ahead, each its own event in UTC:
 * a weekly chat at 20:00 London is 20:00 on both sides of the clock change in every client,
 * which one RRULE in UTC could not say. Skipped chats stay, cancelled.
 */
export function chatItems(site: Site, t: Translator['t'], chats: CommunityChats, now: Date, only?: string): CalendarItem[] {
  const { community, schedule: row, exceptions: rows } = chats
  const schedule = toChatSchedule(row, community.time_zone)
  const exceptions = toChatExceptions(rows)
  const from = windowStart(now)
  // Chats switched off: those after the switch stay, CANCELLED, while the feed's window still
  // reaches the day it happened; after that the community has no chats to list.
  const stoppedAt = row.stopped_at ? new Date(row.stopped_at) : null
  if (stoppedAt && stoppedAt < from) return []
  const to = new Date((stoppedAt ?? from).getTime() + (KEEP_CANCELLED_DAYS + CHATS_AHEAD_DAYS) * 86400000)
  const changed = new Map(rows.map((r) => [r.chat_date, r.created_at]))
  const topicOf = new Map(chats.topics.map((topic) => [topic.chat_date, topic]))
  const item = (date: string, start: Date, end: Date, cancelled: boolean): CalendarItem => {
    const topic = topicOf.get(date)
    const lastModified = latest(row.updated_at, community.updated_at, changed.get(date), topic?.updated_at)
    return {
      uid: `chat-${community.id}-${date.replace(/-/g, '')}@${site.host}`,
      // The hashtag once, and the chat's chosen topic where there is one; the community's name
      // (which often holds the hashtag too) goes in the description.
      title: topic ? t('calendar.chatTitleWithTopic', { hashtag: community.hashtag, topic: topic.title }) : t('calendar.chatTitle', { hashtag: community.hashtag }),
      description: [community.name, community.chat_place, community.chat_url ?? ''].filter(Boolean).join('\n'),
      location: community.chat_url ?? community.chat_place,
      url: `${site.baseUrl}/communities/${community.slug}/chats`,
      start,
      end,
      status: cancelled ? 'CANCELLED' : 'CONFIRMED',
      sequence: row.sequence,
      lastModified,
    }
  }
  const items = chatOccurrences(schedule, exceptions, from, to).map((o) => item(o.date, o.start, o.end, stoppedAt !== null && o.start >= stoppedAt))
  for (const exception of exceptions) {
    if (exception.kind !== 'skip') continue
    const start = zonedToUtc(exception.date, schedule.startTime, schedule.timeZone)
    if (start < from || start > to) continue
    items.push(item(exception.date, start, new Date(start.getTime() + schedule.durationMinutes * 60000), true))
  }
  return items.filter((i) => !only || i.uid.startsWith(`chat-${community.id}-${only.replace(/-/g, '')}@`)).sort((a, b) => a.start.getTime() - b.start.getTime())
}
