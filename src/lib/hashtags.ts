// Hashtags as people type them ("#lgovsm" or "lgovsm"), and where to follow them.

/** Letters (any script, so Welsh ŵ and ŷ work), digits and _, with at least one letter; # optional. */
export const HASHTAG_PATTERN = '^#?[\\p{L}\\p{N}_]*\\p{L}[\\p{L}\\p{N}_]*$'
export const MAX_HASHTAG_LENGTH = 60

export function normaliseHashtag(raw: string): string {
  return raw.trim().replace(/^#/, '')
}

/** The form hashtags are compared in: NFC, lower-cased in every script (not only ASCII). */
export function hashtagKey(hashtag: string): string {
  return normaliseHashtag(hashtag).normalize('NFC').toLowerCase()
}

export interface HashtagLink {
  network: 'x' | 'mastodon' | 'bluesky'
  url: string
}

/** Where to read a hashtag live. Mastodon has no global search, so its largest server's tag page stands in. */
export function hashtagLinks(hashtag: string): HashtagLink[] {
  const tag = encodeURIComponent(hashtag)
  return [
    { network: 'x', url: `https://x.com/search?q=%23${tag}&f=live` },
    { network: 'mastodon', url: `https://mastodon.social/tags/${tag}` },
    { network: 'bluesky', url: `https://bsky.app/hashtag/${tag}` },
  ]
}
