// Social-network handles: what people may type, how we store them, where they link.
// Framework-free so the profile form, the profile page and later the cards share it.

/** X/Twitter: 1–15 letters, digits or underscores, with or without the @. */
export const X_HANDLE_PATTERN = '^@?[A-Za-z0-9_]{1,15}$'
/** Mastodon (any fediverse server): @user@server.example, the leading @ optional. */
export const MASTODON_HANDLE_PATTERN = '^@?[A-Za-z0-9_]{1,30}@([A-Za-z0-9-]+\\.)+[A-Za-z]{2,}$'
/** Bluesky: a domain handle such as ann.bsky.social or ann.example.org, the @ optional. */
export const BLUESKY_HANDLE_PATTERN = '^@?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,}$'

/** Stored without the leading @; an empty answer is stored as null. */
export function normaliseHandle(raw: string | undefined): string | null {
  const value = (raw ?? '').trim().replace(/^@/, '')
  return value === '' ? null : value
}

export interface SocialLink {
  network: 'x' | 'mastodon' | 'bluesky'
  label: string
  url: string
}

export function socialLinks(handles: { x: string | null; mastodon: string | null; bluesky: string | null }): SocialLink[] {
  const links: SocialLink[] = []
  if (handles.x) links.push({ network: 'x', label: `@${handles.x}`, url: `https://x.com/${encodeURIComponent(handles.x)}` })
  if (handles.mastodon) {
    const [user, server] = handles.mastodon.split('@')
    if (user && server) {
      links.push({ network: 'mastodon', label: `@${handles.mastodon}`, url: `https://${server.toLowerCase()}/@${encodeURIComponent(user)}` })
    }
  }
  if (handles.bluesky) {
    const handle = handles.bluesky.toLowerCase()
    links.push({ network: 'bluesky', label: `@${handle}`, url: `https://bsky.app/profile/${encodeURIComponent(handle)}` })
  }
  return links
}
