// Reporting and moderating (issue 20). Anyone signed in reports an item; the people who run
// where it lives (its community's hosts, its event's organisers) or the site admin hide it
// with a reason its author is shown, restore it, or dismiss the report. Each decision, the
// audit log line and the emails commit together. The author is never told who reported.
import type { Kysely } from 'kysely'
import type { Database, ReportItemKind, ReportRow } from '../../db/database.js'
import { ForbiddenError, NotFoundError, RefusedError } from '../../lib/http-errors.js'
import type { CurrentUser } from '../../plugins/auth.js'
import { queueNotice } from '../notices/queue.js'
import {
  decideReports,
  findItems,
  findOpenReport,
  findReport,
  hideAllBy,
  hideItem,
  insertLog,
  insertReport,
  itemKey,
  moderationScope,
  restoreItem,
  showAllHiddenBySuspension,
  suspensionOf,
  type ReportedItem,
} from './moderation.queries.js'

export type Scope = { admin: true } | { admin: false; userId: number; communityIds: Set<number>; eventIds: Set<number> }

export async function scopeOf(db: Kysely<Database>, user: CurrentUser): Promise<Scope> {
  if (user.role === 'admin') return { admin: true }
  return { admin: false, userId: user.id, ...(await moderationScope(db, user.id)) }
}

export const moderatesAnything = (scope: Scope): boolean => scope.admin || scope.communityIds.size > 0 || scope.eventIds.size > 0

/**
 * Hosts of its community and organisers of its event moderate an item; profiles only the
 * admin. Nobody but the admin judges their own item: they would see the reports about it.
 */
export function mayModerate(scope: Scope, item: ReportedItem): boolean {
  if (scope.admin) return true
  if (item.kind === 'profile' || item.authorId === scope.userId) return false
  return (item.communityId !== null && scope.communityIds.has(item.communityId)) || (item.eventId !== null && scope.eventIds.has(item.eventId))
}

/** Whether a person may see a hidden item: its author (to read why) and its moderators. */
export async function maySeeHidden(db: Kysely<Database>, user: CurrentUser | null, item: ReportedItem): Promise<boolean> {
  if (!user) return false
  if (item.authorId === user.id) return true
  return mayModerate(await scopeOf(db, user), item)
}

/** The same, for an item known by kind and id (only called for items that are hidden). */
export async function maySeeHiddenItem(db: Kysely<Database>, user: CurrentUser | null, kind: ReportItemKind, id: number): Promise<boolean> {
  const item = user ? await findItem(db, kind, id) : undefined
  return item !== undefined && (await maySeeHidden(db, user, item))
}

export async function findItem(db: Kysely<Database>, kind: ReportItemKind, id: number): Promise<ReportedItem | undefined> {
  return (await findItems(db, [{ kind, id }])).get(itemKey(kind, id))
}

/** A report on an item people can see (a hidden one is already dealt with). */
export async function fileReport(db: Kysely<Database>, reporter: CurrentUser, item: ReportedItem, reason: string, now: Date): Promise<ReportRow> {
  if (item.hiddenAt) throw new NotFoundError(`${item.kind} ${item.id} is hidden`)
  // Reporting the same thing again before it is decided adds nothing to the queue.
  const waiting = await findOpenReport(db, reporter.id, item)
  if (waiting) return waiting
  return insertReport(db, { reporter_id: reporter.id, item_kind: item.kind, item_id: item.id, reason, created_at: now.toISOString() })
}

/** The report and its item, if this person may act on it; a 403 for anyone else. */
export async function reportForModerator(db: Kysely<Database>, user: CurrentUser, reportId: number): Promise<{ report: ReportRow; item: ReportedItem }> {
  const report = await findReport(db, reportId)
  if (!report) throw new NotFoundError(`no report ${reportId}`)
  const item = await findItem(db, report.item_kind, report.item_id)
  if (!item) throw new NotFoundError(`report ${reportId}: its ${report.item_kind} is gone`)
  if (!mayModerate(await scopeOf(db, user), item)) throw new ForbiddenError('only the hosts, organisers or admin moderate this')
  return { report, item }
}

const reportersOf = (rows: { reporter_id: number | null }[]) => rows.map((r) => r.reporter_id).filter((id): id is number => id !== null)

/** Hides the item for everyone but its author and moderators; every open report on it is decided. */
export async function hideReported(db: Kysely<Database>, actor: CurrentUser, report: ReportRow, item: ReportedItem, reason: string, now: Date): Promise<void> {
  if (report.status !== 'open') throw new RefusedError('moderation.refused.decided')
  const stamp = now.toISOString()
  await db.transaction().execute(async (trx) => {
    const decided = await decideReports(trx, item, ['open'], 'hidden', actor.id, stamp)
    if (!decided.length) throw new RefusedError('moderation.refused.decided')
    await hideItem(trx, item.kind, item.id, reason, stamp)
    await insertLog(trx, { actor_id: actor.id, action: 'hide', item_kind: item.kind, item_id: item.id, report_id: report.id, reason, created_at: stamp })
    const summary = { kind: item.kind, title: item.title }
    await queueNotice(trx, { kind: 'reportDecided', item: summary, outcome: 'hidden' }, reportersOf(decided), `report${report.id}:hidden`, stamp)
    // The author hears what and why, never from whom.
    if (item.authorId !== null) await queueNotice(trx, { kind: 'itemHidden', item: { ...summary, path: item.path }, reason }, [item.authorId], `hide${item.kind}${item.id}:${stamp}`, stamp)
  })
}

export async function restoreReported(db: Kysely<Database>, actor: CurrentUser, report: ReportRow, item: ReportedItem, now: Date): Promise<void> {
  if (report.status !== 'hidden') throw new RefusedError('moderation.refused.decided')
  const stamp = now.toISOString()
  await db.transaction().execute(async (trx) => {
    await decideReports(trx, item, ['hidden'], 'restored', actor.id, stamp)
    await restoreItem(trx, item.kind, item.id)
    // An author suspended meanwhile stays hidden, now by the suspension, and comes back when it is lifted.
    const suspended = item.authorId === null ? null : await suspensionOf(trx, item.authorId)
    if (suspended !== null) await hideItem(trx, item.kind, item.id, suspended, stamp, 'suspension')
    await insertLog(trx, { actor_id: actor.id, action: 'restore', item_kind: item.kind, item_id: item.id, report_id: report.id, reason: '', created_at: stamp })
  })
}

export async function dismissReported(db: Kysely<Database>, actor: CurrentUser, report: ReportRow, item: ReportedItem, now: Date): Promise<void> {
  if (report.status !== 'open') throw new RefusedError('moderation.refused.decided')
  const stamp = now.toISOString()
  await db.transaction().execute(async (trx) => {
    const decided = await decideReports(trx, item, ['open'], 'dismissed', actor.id, stamp)
    if (!decided.length) throw new RefusedError('moderation.refused.decided')
    await insertLog(trx, { actor_id: actor.id, action: 'dismiss', item_kind: item.kind, item_id: item.id, report_id: report.id, reason: '', created_at: stamp })
    await queueNotice(trx, { kind: 'reportDecided', item: { kind: item.kind, title: item.title }, outcome: 'dismissed' }, reportersOf(decided), `report${report.id}:dismissed`, stamp)
  })
}

/**
 * A suspended person cannot sign in, their sessions end, and everything they wrote (and
 * their profile) is hidden until it is lifted. The site admin cannot be suspended.
 */
export async function suspendPerson(db: Kysely<Database>, actor: CurrentUser, person: { id: number; role: string }, reason: string, now: Date): Promise<void> {
  if (person.role === 'admin') throw new RefusedError('admin.suspend.refusedAdmin')
  const stamp = now.toISOString()
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ suspended_at: stamp, suspended_reason: reason, updated_at: stamp }).where('id', '=', person.id).execute()
    await hideAllBy(trx, person.id, reason, stamp)
    await trx.deleteFrom('sessions').where('user_id', '=', person.id).execute()
    await insertLog(trx, { actor_id: actor.id, action: 'suspend', item_kind: 'profile', item_id: person.id, report_id: null, reason, created_at: stamp })
  })
}

export async function unsuspendPerson(db: Kysely<Database>, actor: CurrentUser, person: { id: number }, now: Date): Promise<void> {
  const stamp = now.toISOString()
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ suspended_at: null, suspended_reason: null, updated_at: stamp }).where('id', '=', person.id).execute()
    await showAllHiddenBySuspension(trx, person.id)
    await insertLog(trx, { actor_id: actor.id, action: 'unsuspend', item_kind: 'profile', item_id: person.id, report_id: null, reason: '', created_at: stamp })
  })
}
