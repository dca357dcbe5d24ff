// The words of an event's news on the Fediverse: open for proposals, schedule published.
import type { EventRow } from '../../db/database.js'
import { translator } from '../../i18n/i18n.js'

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

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
  const html = `<p>${escapeHtml(sentence)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a>${tag ? ` <a href="${escapeHtml(tag.url.href)}" class="mention hashtag" rel="tag">#<span>${escapeHtml(tag.hashtag)}</span></a>` : ''}</p>`
  return { html, url: path }
}
