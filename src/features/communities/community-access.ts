// Who may do what in a community. Hosts run it; the site admin may act as a host (to
// rescue a community whose hosts have gone); members propose and vote.
import type { Kysely } from 'kysely'
import type { CommunityRow, Database } from '../../db/database.js'
import { ForbiddenError, GoneError, NotFoundError } from '../../lib/http-errors.js'
import type { CurrentUser } from '../../plugins/auth.js'
import { findTombstone } from '../deletions/deletions.queries.js'
import { findCommunityBySlug, findMembership, type Membership } from './communities.queries.js'

export interface CommunityContext {
  community: CommunityRow
  membership: Membership | null
  isMember: boolean
  isHost: boolean
}

export async function loadCommunity(db: Kysely<Database>, slug: string, user: CurrentUser | null): Promise<CommunityContext | null> {
  const community = await findCommunityBySlug(db, slug)
  if (!community) return null
  const membership = user ? await findMembership(db, community.id, user.id) : null
  return {
    community,
    membership,
    isMember: membership !== null,
    isHost: membership?.role === 'host' || user?.role === 'admin',
  }
}

/** The community named in the URL, or the 404 page. */
export async function communityOr404(db: Kysely<Database>, slug: string, user: CurrentUser | null): Promise<CommunityContext> {
  const context = await loadCommunity(db, slug, user)
  if (!context) {
    if (await findTombstone(db, 'community', slug)) throw new GoneError(`community ${slug} was deleted`)
    throw new NotFoundError(`no community ${slug}`)
  }
  return context
}

export function assertHost(context: CommunityContext): void {
  if (!context.isHost) throw new ForbiddenError('only hosts may do this')
}

export function assertMember(context: CommunityContext): void {
  if (!context.isMember) throw new ForbiddenError('only members may do this')
}
