// Every change to a published grid goes through here: it is written to the public changelog
// (and its Atom feed), and the people it concerns hear of it by email in the same
// transaction: whoever starred the session, its proposer and its hosts.
import type { Kysely } from 'kysely'
import type { Database, ScheduleChangeRow } from '../../db/database.js'
import { sessionsOfProposals } from '../calendars/calendars.queries.js'
import type { SessionChange } from '../notices/notices.js'
import { queueNotice } from '../notices/queue.js'
import { sessionAudience } from './stars.queries.js'

type NewChange = Omit<ScheduleChangeRow, 'id'>

const NOTIFIED: readonly string[] = ['moved', 'retimed', 'cancelled'] satisfies SessionChange[]

/** Writes the changes (one statement) and queues their notices (two queries for all of them). */
export async function recordChanges(trx: Kysely<Database>, timeZone: string, changes: NewChange[]): Promise<void> {
  if (!changes.length) return
  await trx.insertInto('schedule_changes').values(changes).execute()
  // 'added' too: a session put back after being cancelled was announced as cancelled.
  const notified = changes.filter((c): c is NewChange & { proposal_id: number } => (NOTIFIED.includes(c.kind) || c.kind === 'added') && c.proposal_id !== null)
  if (!notified.length) return
  const eventId = notified[0]!.event_id
  const ids = [...new Set(notified.map((c) => c.proposal_id))]
  const [sessions, audience] = await Promise.all([sessionsOfProposals(trx, eventId, ids), sessionAudience(trx, ids)])
  const sessionOf = new Map(sessions.map((s) => [s.proposal_id, s]))
  for (const change of notified) {
    const session = sessionOf.get(change.proposal_id)
    if (!session) continue
    // A fresh entry starts at SEQUENCE 0; one back from cancelled has been written before.
    if (change.kind === 'added' && session.sequence === 0) continue
    const kind = (change.kind === 'added' ? 'moved' : change.kind) as SessionChange
    const people = audience.filter((a) => a.proposal_id === change.proposal_id).map((a) => a.user_id)
    // The entry's SEQUENCE is bumped by every change, so it names this version of the session.
    await queueNotice(trx, { kind: 'sessionChanged', session, change: kind, time_zone: timeZone }, people, `p${session.proposal_id}:s${session.sequence}`, change.created_at)
  }
}
