// The words of an event's news on the Fediverse: open for proposals, schedule published.
import type { EventRow } from '../../db/database.js'
import { translator } from '../../i18n/i18n.js'
import { escapeHtml, hashtagLink } from '../../lib/html.js'


export interface PhaseNoteContent {
  html: string
  /** Where the note links: the proposals or the schedule. */
  url: string
}

export function phaseNote(event: Pick<EventRow, 'name' | 'slug' | 'phase'>, baseUrl: string, tag: { hashtag: string; url: URL } | null): PhaseNoteContent {
  const { t } = translator('en')
  const opening = event.phase === 'proposals'
  const path = `/events/${encodeURIComponent(event.slug)}${opening ? '/proposals' : '/schedule'}`
  const link = new URL(path, baseUrl).href
  const sentence = t(opening ? 'federation.note.proposalsOpen' : 'federation.note.schedulePublished', { event: event.name })
  const html = `<p>${escapeHtml(sentence)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a>${tag ? ` ${hashtagLink(tag.hashtag, tag.url)}` : ''}</p>`
  return { html, url: path }
}
