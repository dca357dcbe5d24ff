// Rows and occurrences → what the community templates show, in the reader's language.
import type { ChatScheduleRow, CommunityRow } from '../../db/database.js'
import { formatInstant, formatLocalDate, weekdayName, zoneName } from '../../i18n/format.js'
import type { Locale, Translator } from '../../i18n/i18n.js'
import type { ChatOccurrence } from '../../lib/chat-recurrence.js'
import { hashtagLinks, type HashtagLink } from '../../lib/hashtags.js'
import { renderMarkdown } from '../../lib/markdown.js'
import { ownCodePath } from '../conduct/conduct.view-models.js'
import { pageCard, shareLinks } from '../cards/cards.js'
import type { TopicListItem } from './topics.queries.js'

export function communityPath(community: Pick<CommunityRow, 'slug'>, rest = ''): string {
  return `/communities/${community.slug}${rest}`
}

/** The schedule in words, naming its zone as it is at `at` (the next chat, so the page agrees with itself). */
export function describeSchedule(i18n: Translator, row: ChatScheduleRow, timeZone: string, at: Date = new Date()): string {
  // {weekday} sits mid-sentence ("Every Wednesday", "Bob dydd Mercher"); {Weekday} starts one.
  const params = {
    weekday: weekdayName(i18n.locale, row.weekday, true),
    Weekday: weekdayName(i18n.locale, row.weekday),
    time: row.start_time,
    zone: zoneName(i18n.locale, timeZone, at),
  }
  if (row.kind === 'monthly') {
    const key = row.nth === -1 ? 'schedule.monthly.last' : (`schedule.monthly.${row.nth}` as 'schedule.monthly.1')
    return i18n.t(key, params)
  }
  if (row.interval_weeks === 1) return i18n.t('schedule.weekly', params)
  return i18n.t('schedule.everyNWeeks', { ...params, count: row.interval_weeks })
}

export interface ChatView {
  /** The chat's identity: the date the schedule gave it. */
  date: string
  dateLabel: string
  timeLabel: string
  startIso: string
  moved: boolean
  movedFromLabel: string | null
  topic: { id: number; title: string } | null
}

export function toChatView(locale: Locale, occurrence: ChatOccurrence, timeZone: string, topic: TopicListItem | undefined): ChatView {
  const start = formatInstant(locale, occurrence.start, timeZone, 'time')
  const end = formatInstant(locale, occurrence.end, timeZone, 'timeWithZone')
  return {
    date: occurrence.date,
    dateLabel: formatInstant(locale, occurrence.start, timeZone, 'date'),
    timeLabel: `${start}–${end}`,
    startIso: occurrence.start.toISOString(),
    moved: occurrence.moved,
    movedFromLabel: occurrence.moved ? formatLocalDate(locale, occurrence.date) : null,
    topic: topic ? { id: topic.id, title: topic.title } : null,
  }
}

export interface CommunityHeader {
  slug: string
  name: string
  hashtag: string
  hashtagLinks: HashtagLink[]
  descriptionHtml: string
  chatPlace: string
  chatUrl: string | null
  timeZone: string
  /** The page of its own code of conduct; null when the site's applies alone. */
  codeOfConductPath: string | null
}

export function toCommunityHeader(community: CommunityRow): CommunityHeader {
  return {
    slug: community.slug,
    name: community.name,
    hashtag: community.hashtag,
    hashtagLinks: hashtagLinks(community.hashtag),
    // Sanitised by construction: markdown-it with raw HTML off (see lib/markdown.ts).
    descriptionHtml: renderMarkdown(community.description),
    chatPlace: community.chat_place,
    chatUrl: community.chat_url,
    timeZone: community.time_zone,
    codeOfConductPath: ownCodePath(communityPath(community), community.code_of_conduct),
  }
}

/** The form's values from what is stored (for the edit page). */
export function communityFormValues(community: CommunityRow, schedule: ChatScheduleRow | undefined): Record<string, string> {
  return {
    name: community.name,
    slug: community.slug,
    hashtag: `#${community.hashtag}`,
    description: community.description,
    chatPlace: community.chat_place,
    chatUrl: community.chat_url ?? '',
    timeZone: community.time_zone,
    scheduleKind: schedule?.kind ?? 'none',
    weekday: String(schedule?.weekday ?? 3),
    startTime: schedule?.start_time ?? '20:00',
    durationMinutes: String(schedule?.duration_minutes ?? 60),
    intervalWeeks: String(schedule?.interval_weeks ?? 1),
    nth: String(schedule?.nth ?? 1),
    startsOn: schedule?.starts_on ?? '',
    codeOfConduct: community.code_of_conduct,
  }
}

/** The link card and share links of a community page: its hashtag and, if there is one, its next chat. */
export function communityCardAndShare(baseUrl: string, i18n: Translator, community: CommunityRow, next: ChatView | undefined, path: string, title: string) {
  const when = next ? `${next.dateLabel}, ${next.timeLabel}` : null
  const hashtag = `#${community.hashtag}`
  return {
    card: pageCard(baseUrl, {
      title,
      description: when ? i18n.t('card.community.next', { hashtag, when }) : i18n.t('card.community', { hashtag }),
      path,
      imageAlt: i18n.t('card.imageAlt'),
    }),
    share: shareLinks({ title: community.name, when, hashtag: community.hashtag, url: baseUrl + path }),
  }
}
