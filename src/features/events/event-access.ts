// Who may see and run an event. Organisers (and the site admin, who can rescue an event
// whose organisers have gone) run it; a draft is visible to them alone.
import type { Kysely } from 'kysely'
import type { Database, EventRow } from '../../db/database.js'
import { ForbiddenError, GoneError, NotFoundError } from '../../lib/http-errors.js'
import type { CurrentUser } from '../../plugins/auth.js'
import { findTombstone } from '../deletions/deletions.queries.js'
import { findEventBySlug, isOrganiser } from './events.queries.js'

export interface EventContext {
  event: EventRow
  isOrganiser: boolean
}

export async function eventOr404(db: Kysely<Database>, slug: string, user: CurrentUser | null): Promise<EventContext> {
  const event = await findEventBySlug(db, slug)
  if (!event) {
    if (await findTombstone(db, 'event', slug)) throw new GoneError(`event ${slug} was deleted`)
    throw new NotFoundError(`no event ${slug}`)
  }
  const organiser = user !== null && (user.role === 'admin' || (await isOrganiser(db, event.id, user.id)))
  // A draft does not exist for anyone but its organisers.
  if (event.phase === 'draft' && !organiser) throw new NotFoundError(`event ${slug} is a draft`)
  return { event, isOrganiser: organiser }
}

export function assertOrganiser(context: EventContext): void {
  if (!context.isOrganiser) throw new ForbiddenError('only organisers may do this')
}
