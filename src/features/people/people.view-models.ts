import type { UserRow } from '../../db/database.js'
import { SITE_TIME_ZONE } from '../../i18n/format.js'
import { socialLinks, type SocialLink } from '../../lib/social-handles.js'

export interface PersonPage {
  id: number
  displayName: string
  handle: string | null
  bioParagraphs: string[]
  links: SocialLink[]
  path: string
  isOrganiser: boolean
  joinedAt: string
  timeZone: string
}

export function personPath(user: Pick<UserRow, 'id' | 'handle'>): string {
  return `/people/${user.handle ?? user.id}`
}

export function toPersonPage(user: UserRow): PersonPage {
  return {
    id: user.id,
    displayName: user.display_name,
    handle: user.handle,
    // Plain text with paragraphs; rich text arrives with the Markdown of later features.
    bioParagraphs: user.bio.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean),
    links: socialLinks({ x: user.x_handle, mastodon: user.mastodon_handle, bluesky: user.bluesky_handle }),
    path: personPath(user),
    isOrganiser: user.role !== 'member',
    joinedAt: user.created_at,
    timeZone: SITE_TIME_ZONE,
  }
}

/** The profile form's values, as the person last saved them. */
export function profileFormValues(user: UserRow): Record<string, string> {
  return {
    displayName: user.display_name,
    handle: user.handle ?? '',
    bio: user.bio,
    xHandle: user.x_handle ? `@${user.x_handle}` : '',
    mastodonHandle: user.mastodon_handle ? `@${user.mastodon_handle}` : '',
    blueskyHandle: user.bluesky_handle ? `@${user.bluesky_handle}` : '',
    timeZone: user.time_zone ?? '',
  }
}
