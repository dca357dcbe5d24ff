// The words of a chat's news on the Fediverse: the topic the hosts chose for an upcoming chat.
import type { Kysely } from 'kysely'
import type { CommunityRow, Database } from '../../db/database.js'
import { formatInstant } from '../../i18n/format.js'
import { translator } from '../../i18n/i18n.js'
import { chatOccurrences } from '../../lib/chat-recurrence.js'
import { findSchedule, listExceptions } from '../communities/communities.queries.js'
import { toChatExceptions, toChatSchedule } from '../communities/communities.service.js'
import { findTopicForChat } from '../communities/topics.queries.js'
import { escapeHtml, hashtagLink } from '../../lib/html.js'


export interface ChatNoteContent {
  html: string
  /** Where the note links: the community's chats. */
  url: string
}

/** "Next #lgovsm chat: Wednesday, 9 December 2026 at 20:00 GMT. Topic: …", with the hashtag linked. */
export function chatTopicNote(
  community: Pick<CommunityRow, 'slug' | 'hashtag' | 'time_zone'>,
  chat: { start: Date; topic: string },
  baseUrl: string,
  tagUrl: URL,
): ChatNoteContent {
  const { t } = translator('en')
  const path = `/communities/${encodeURIComponent(community.slug)}/chats`
  const link = new URL(path, baseUrl).href
  const when = `${formatInstant('en', chat.start, community.time_zone, 'date')}, ${formatInstant('en', chat.start, community.time_zone, 'timeWithZone')}`
  const sentence = t('federation.note.chatTopic', { when, topic: chat.topic })
  const hashtag = hashtagLink(community.hashtag, tagUrl)
  return { html: `<p>${hashtag} ${escapeHtml(sentence)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`, url: path }
}

/**
 * The chat the schedule gives on `chatDate` (its identity, kept when it is moved), when it
 * starts after any move, and its topic; null when there is no such chat or it was skipped.
 */
export async function findChatWithTopic(db: Kysely<Database>, community: Pick<CommunityRow, 'id' | 'time_zone'>, chatDate: string): Promise<{ start: Date; topic: string | null } | null> {
  const row = await findSchedule(db, community.id)
  if (!row) return null
  const schedule = toChatSchedule(row, community.time_zone)
  const exceptions = toChatExceptions(await listExceptions(db, community.id))
  // A moved chat may start up to a few days either side of the date that names it.
  const day = Date.parse(`${chatDate}T00:00:00Z`)
  const occurrence = chatOccurrences(schedule, exceptions, new Date(day - 8 * 86_400_000), new Date(day + 9 * 86_400_000)).find((o) => o.date === chatDate)
  if (!occurrence) return null
  const topic = await findTopicForChat(db, community.id, chatDate)
  return { start: occurrence.start, topic: topic?.title ?? null }
}
