// Telling proposers their session was taken or not: from the organisers' decision, and when
// an organiser (or the auto-scheduler) puts a proposal that was never decided on the grid.
import type { Kysely } from 'kysely'
import type { Database, EventRow, ProposalRow } from '../../db/database.js'
import { queueNotice } from '../notices/queue.js'

type Decided = Pick<ProposalRow, 'id' | 'title' | 'proposer_id'>

export async function queueDecisionNotices(trx: Kysely<Database>, event: Pick<EventRow, 'slug' | 'name'>, proposals: Decided[], state: 'accepted' | 'declined', stamp: string): Promise<void> {
  for (const proposal of proposals) {
    if (proposal.proposer_id === null) continue
    const notice = { kind: 'proposalDecided' as const, event: { slug: event.slug, name: event.name }, proposal: { id: proposal.id, title: proposal.title }, state }
    await queueNotice(trx, notice, [proposal.proposer_id], `p${proposal.id}:${state}:${stamp}`, stamp)
  }
}

/** Before proposals go on the grid: those still only "proposed" are being accepted by it. */
export async function queueAcceptedByPlacement(trx: Kysely<Database>, event: Pick<EventRow, 'id' | 'slug' | 'name'>, proposalIds: number[], stamp: string): Promise<void> {
  if (!proposalIds.length) return
  const undecided = await trx.selectFrom('proposals').select(['id', 'title', 'proposer_id']).where('event_id', '=', event.id).where('id', 'in', proposalIds).where('state', '=', 'proposed').execute()
  await queueDecisionNotices(trx, event, undecided, 'accepted', stamp)
}
