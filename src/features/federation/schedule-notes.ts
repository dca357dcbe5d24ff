// The words of a published schedule's changes on the Fediverse: the changelog's own lines
// ("“Alt text” moved from Room 1, 10:00 to Hall, 11:00"), several changes in one Note.
import type { EventRow, ScheduleChangeRow } from '../../db/database.js'
import { translator } from '../../i18n/i18n.js'
import { changeText } from '../schedule/schedule.view-models.js'
import { escapeHtml, hashtagLink } from '../../lib/html.js'


/** Past this many, a Note says how many more there are and the link has the rest. */
export const CHANGES_PER_NOTE = 10

export function scheduleChangesNote(
  event: Pick<EventRow, 'name' | 'slug' | 'time_zone' | 'first_day' | 'last_day'>,
  changes: ScheduleChangeRow[],
  baseUrl: string,
  tag: { hashtag: string; url: URL } | null,
): { html: string; url: string } {
  const i18n = translator('en')
  const path = `/events/${encodeURIComponent(event.slug)}/schedule`
  const link = new URL(path, baseUrl).href
  const lines = changes.slice(0, CHANGES_PER_NOTE).map((change) => escapeHtml(changeText(i18n, event, change)))
  if (changes.length > CHANGES_PER_NOTE) lines.push(escapeHtml(i18n.t('federation.note.moreChanges', { count: changes.length - CHANGES_PER_NOTE })))
  const heading = escapeHtml(i18n.t('federation.note.scheduleChanged', { event: event.name }))
  const hashtag = tag ? ` ${hashtagLink(tag.hashtag, tag.url)}` : ''
  return { html: `<p>${heading}</p><p>${lines.join('<br>')}</p><p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a>${hashtag}</p>`, url: path }
}
