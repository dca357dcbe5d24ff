// The organisers' side of the schedule: who may change it and when.
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.js'
import type { CurrentUser } from '../../plugins/auth.js'
import { assertOrganiser, eventOr404, type EventContext } from '../events/event-access.js'
import { assertPhaseAllows } from '../events/phases.js'

/** The event, if this person organises it; for a change, only while its phase allows scheduling. */
export async function scheduleDesk(db: Kysely<Database>, slug: string, user: CurrentUser | null, change: boolean): Promise<EventContext> {
  const context = await eventOr404(db, slug, user)
  assertOrganiser(context)
  if (change) assertPhaseAllows(context.event.phase, 'schedule')
  return context
}

export const liveTopic = (eventId: number): string => `event:${eventId}`
