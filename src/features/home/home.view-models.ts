// The personal home's rows → what views/me/index.eta shows: each list in date order, each
// date in the thing's own zone and the reader's language.
import { formatInstant } from '../../i18n/format.js'
import type { Locale } from '../../i18n/i18n.js'
import { upcomingChats, type ChatException } from '../../lib/chat-recurrence.js'
import { toChatSchedule } from '../communities/communities.service.js'
import { communityPath, toChatView, type ChatView } from '../communities/communities.view-models.js'
import { eventDates } from '../events/events.view-models.js'
import { meetupPath, meetupStart } from '../meetups/meetups.view-models.js'
import type { AgendaRow } from '../schedule/stars.queries.js'
import type { MyChatException, MyChatTopic, MyCommunity, MyMeetupRow, MyProposalRow } from './home.queries.js'

/** How many sessions the home lists before pointing to the whole agenda. */
export const HOME_SESSIONS = 8

export interface CommunityItem {
  name: string
  path: string
  hashtag: string
  host: boolean
  chatPlace: string
  /** The community's zone, which its chat times are in. */
  timeZone: string
  /** Its next chat, or null when it has none coming. */
  next: (ChatView & { startsAt: number }) | null
}

/** Each community with its next chat (and that chat's topic), soonest chat first, then those without one by name. */
export function toCommunityItems(locale: Locale, communities: MyCommunity[], exceptions: MyChatException[], topics: MyChatTopic[], now: Date): CommunityItem[] {
  const exceptionsOf = new Map<number, ChatException[]>()
  for (const row of exceptions) {
    const list = exceptionsOf.get(row.community_id) ?? []
    list.push(row.kind === 'move' && row.moved_to_date && row.moved_to_time ? { kind: 'move', date: row.chat_date, movedToDate: row.moved_to_date, movedToTime: row.moved_to_time } : { kind: 'skip', date: row.chat_date })
    exceptionsOf.set(row.community_id, list)
  }
  const topicOf = new Map(topics.map((topic) => [`${topic.community_id}|${topic.chat_date}`, topic]))
  const items = communities.map((community): CommunityItem => {
    const occurrence = community.schedule ? upcomingChats(toChatSchedule(community.schedule, community.time_zone), exceptionsOf.get(community.id) ?? [], now, 1)[0] : undefined
    const view = occurrence ? toChatView(locale, occurrence, community.time_zone, undefined) : null
    const topic = occurrence ? topicOf.get(`${community.id}|${occurrence.date}`) : undefined
    return {
      name: community.name,
      path: communityPath(community),
      hashtag: community.hashtag,
      host: community.role === 'host',
      chatPlace: community.chat_place,
      timeZone: community.time_zone,
      next: view && occurrence ? { ...view, topic: topic ? { id: topic.id, title: topic.title } : null, startsAt: occurrence.start.getTime() } : null,
    }
  })
  return items.sort((a, b) => (a.next && b.next ? a.next.startsAt - b.next.startsAt : a.next ? -1 : b.next ? 1 : 0))
}

export interface SessionItem {
  title: string
  path: string
  eventName: string
  eventPath: string
  dateLabel: string | null
  timeLabel: string | null
  /** For "your time" beside it (views/me/index.eta). */
  startsAt: string | null
  timeZone: string
  room: string | null
  starred: boolean
  hosting: boolean
  cancelled: boolean
}

/**
 * The sessions a person runs or starred: those on a grid and not over yet by time (with the
 * day, the time and the room), then those not on a grid yet. At most HOME_SESSIONS placed ones.
 */
export function toSessionItems(locale: Locale, rows: AgendaRow[], now: Date): { placed: SessionItem[]; unplaced: SessionItem[]; more: number } {
  const item = (row: AgendaRow): SessionItem => ({
    title: row.title,
    path: `/events/${row.event_slug}/proposals/${row.proposal_id}`,
    eventName: row.event_name,
    eventPath: `/events/${row.event_slug}/schedule`,
    dateLabel: row.starts_at ? formatInstant(locale, row.starts_at, row.time_zone, 'date') : null,
    timeLabel: row.starts_at && row.ends_at ? `${formatInstant(locale, row.starts_at, row.time_zone, 'time')}–${formatInstant(locale, row.ends_at, row.time_zone, 'timeWithZone')}` : null,
    startsAt: row.starts_at,
    timeZone: row.time_zone,
    room: row.room,
    starred: Boolean(row.starred),
    hosting: Boolean(row.hosting),
    cancelled: row.cancelled_at !== null,
  })
  const nowIso = now.toISOString()
  const placed = rows
    .filter((r) => r.starts_at && r.ends_at && r.ends_at > nowIso)
    .sort((a, b) => a.starts_at!.localeCompare(b.starts_at!) || a.proposal_id - b.proposal_id)
  return {
    placed: placed.slice(0, HOME_SESSIONS).map(item),
    unplaced: rows.filter((r) => !r.starts_at).map(item),
    more: Math.max(0, placed.length - HOME_SESSIONS),
  }
}

export interface MeetupItem {
  title: string
  path: string
  when: string
  startsAt: string
  timeZone: string
  place: string
  cancelled: boolean
  status: 'going' | 'waitlisted' | 'host'
  hosting: boolean
  position: number | null
}

export function toMeetupItems(locale: Locale, rows: MyMeetupRow[]): MeetupItem[] {
  return rows.map((row) => ({
    title: row.title,
    path: meetupPath(row),
    when: meetupStart(locale, row),
    startsAt: row.starts_at,
    timeZone: row.time_zone,
    place: row.venue_name,
    cancelled: row.state === 'cancelled',
    status: row.status ?? 'host',
    hosting: row.hosting,
    position: row.position,
  }))
}

export interface ProposalItem {
  title: string
  path: string
  state: MyProposalRow['state']
  eventName: string
  eventPath: string
  eventDates: string
}

export function toProposalItems(locale: Locale, rows: MyProposalRow[]): ProposalItem[] {
  return rows.map((row) => ({
    title: row.title,
    path: `/events/${row.event_slug}/proposals/${row.id}`,
    state: row.state,
    eventName: row.event_name,
    eventPath: `/events/${row.event_slug}`,
    eventDates: eventDates(locale, row),
  }))
}
