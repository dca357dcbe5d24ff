// What each phase of an event allows. One table, checked on the server for every action,
// so a page that shows a button and the route that acts on it can never disagree.
import type { EventPhase, EventRow, ProposalState } from '../../db/database.js'
import { RefusedError } from '../../lib/http-errors.js'

export type EventAction = 'propose' | 'editProposal' | 'withdraw' | 'vote' | 'decide' | 'walkUp' | 'queue' | 'merge' | 'notes' | 'schedule' | 'star'

const ALLOWED: Record<EventAction, readonly EventPhase[]> = {
  propose: ['proposals', 'pitching'],
  editProposal: ['proposals', 'pitching'],
  withdraw: ['proposals', 'pitching', 'published'],
  vote: ['proposals', 'pitching', 'published'],
  decide: ['proposals', 'pitching', 'published'],
  walkUp: ['pitching'],
  queue: ['pitching'],
  merge: ['proposals', 'pitching'],
  notes: ['proposals', 'pitching', 'published', 'finished'],
  // Rooms, slots and the grid: prepared from the start, frozen once the event is over.
  schedule: ['draft', 'proposals', 'pitching', 'published'],
  star: ['proposals', 'pitching', 'published'],
}

/** The public grid, its changelog and feeds exist from the first publishing on. */
export function isSchedulePublished(event: Pick<EventRow, 'schedule_published_at'>): boolean {
  return event.schedule_published_at !== null
}

export function phaseAllows(phase: EventPhase, action: EventAction): boolean {
  return ALLOWED[action].includes(phase)
}

/** Refuses, with a sentence that says why, an action its event's phase does not allow. */
export function assertPhaseAllows(phase: EventPhase, action: EventAction): void {
  if (!phaseAllows(phase, action)) throw new RefusedError(`events.refused.${action}`, { phase })
}

/** Proposals still in the running: people may show interest, merge into them, queue them. */
export const LIVE_STATES: readonly ProposalState[] = ['proposed', 'accepted', 'scheduled']
/** Proposals organisers may accept, decline or put back to proposed. */
export const DECIDABLE_STATES: ProposalState[] = ['proposed', 'accepted', 'declined']
/** Proposals their proposer may still change or withdraw. */
export const OPEN_STATES: readonly ProposalState[] = ['proposed', 'accepted']

export function assertVotable(state: ProposalState): void {
  if (!LIVE_STATES.includes(state)) throw new RefusedError('proposals.refused.vote', { state })
}
