// HTML written by hand outside the templates (ActivityPub content, the views plugin's helpers).

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!)
}

/** A hashtag as Mastodon writes one in a post's content, so it shows and links as a tag. */
export function hashtagLink(hashtag: string, url: URL): string {
  return `<a href="${escapeHtml(url.href)}" class="mention hashtag" rel="tag">#<span>${escapeHtml(hashtag)}</span></a>`
}
