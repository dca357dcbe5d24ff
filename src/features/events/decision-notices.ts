// Telling proposers their session was taken or not: when the organisers decide, and for
// proposals that went onto the grid without a decision, when the schedule is published (or at
// once, if it already is). A draft grid tells nobody anything: it may yet change.
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
  if (proposals.length) await trx.updateTable('proposals').set({ told_state: state }).where('id', 'in', proposals.map((p) => p.id)).execute()
}

/**
 * Proposals going onto a published grid: those still only "proposed" are being accepted by
 * it, and their proposers hear so now. On a grid not yet published nobody is told anything.
 */
export async function queueAcceptedByPlacement(trx: Kysely<Database>, event: Pick<EventRow, 'id' | 'slug' | 'name'>, proposalIds: number[], published: boolean, stamp: string): Promise<void> {
  if (!proposalIds.length || !published) return
  const undecided = await trx.selectFrom('proposals').select(['id', 'title', 'proposer_id']).where('event_id', '=', event.id).where('id', 'in', proposalIds).where('state', '=', 'proposed').execute()
  await queueDecisionNotices(trx, event, undecided, 'accepted', stamp)
}

/** On publishing: every proposal accepted or on the grid whose proposer has not heard so yet. */
export async function queueAcceptedOnPublish(trx: Kysely<Database>, event: Pick<EventRow, 'id' | 'slug' | 'name'>, stamp: string): Promise<void> {
  const untold = await trx
    .selectFrom('proposals')
    .select(['id', 'title', 'proposer_id'])
    .where('event_id', '=', event.id)
    .where('state', 'in', ['accepted', 'scheduled'])
    .where((eb) => eb.or([eb('told_state', 'is', null), eb('told_state', '!=', 'accepted')]))
    .execute()
  await queueDecisionNotices(trx, event, untold, 'accepted', stamp)
}
