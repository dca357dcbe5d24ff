// Reports, the items they are about, hiding and the audit log. Kysely only, db first.
import type { Kysely } from 'kysely'
import type { Database, HiddenCause, ReportItemKind, ReportRow, ReportStatus } from '../../db/database.js'

/** What a report is about, whatever its kind: enough to list it, link it and decide who may act. */
export interface ReportedItem {
  kind: ReportItemKind
  id: number
  title: string
  path: string
  authorId: number | null
  /** The community whose hosts may moderate it, if any. */
  communityId: number | null
  /** The event whose organisers may moderate it, if any. */
  eventId: number | null
  hiddenAt: string | null
  hiddenReason: string | null
  hiddenCause: HiddenCause | null
}

const hiddenColumns = ['hidden_at', 'hidden_reason', 'hidden_cause'] as const

/** The items named by (kind, id) pairs: one query per kind, whatever the number of reports. */
export async function findItems(db: Kysely<Database>, refs: readonly { kind: ReportItemKind; id: number }[]): Promise<Map<string, ReportedItem>> {
  const ids = (kind: ReportItemKind) => [...new Set(refs.filter((r) => r.kind === kind).map((r) => r.id))]
  const found = new Map<string, ReportedItem>()
  const put = (item: ReportedItem) => found.set(itemKey(item.kind, item.id), item)
  const hidden = (row: { hidden_at: string | null; hidden_reason: string | null; hidden_cause: HiddenCause | null }) => ({
    hiddenAt: row.hidden_at,
    hiddenReason: row.hidden_reason,
    hiddenCause: row.hidden_cause,
  })

  const proposalIds = ids('proposal')
  if (proposalIds.length) {
    const rows = await db
      .selectFrom('proposals as p')
      .innerJoin('events as e', 'e.id', 'p.event_id')
      .select(['p.id', 'p.title', 'p.proposer_id', 'p.event_id', 'e.slug', 'e.community_id', 'p.hidden_at', 'p.hidden_reason', 'p.hidden_cause'])
      .where('p.id', 'in', proposalIds)
      .execute()
    for (const r of rows) put({ kind: 'proposal', id: r.id, title: r.title, path: `/events/${r.slug}/proposals/${r.id}`, authorId: r.proposer_id, communityId: null, eventId: r.event_id, ...hidden(r) })
  }
  const topicIds = ids('topic')
  if (topicIds.length) {
    const rows = await db
      .selectFrom('topics as t')
      .innerJoin('communities as c', 'c.id', 't.community_id')
      .select(['t.id', 't.title', 't.proposed_by', 't.community_id', 'c.slug', 't.hidden_at', 't.hidden_reason', 't.hidden_cause'])
      .where('t.id', 'in', topicIds)
      .execute()
    for (const r of rows) put({ kind: 'topic', id: r.id, title: r.title, path: `/communities/${r.slug}/topics`, authorId: r.proposed_by, communityId: r.community_id, eventId: null, ...hidden(r) })
  }
  const meetupIds = ids('meetup')
  if (meetupIds.length) {
    const rows = await db.selectFrom('meetups').select(['id', 'title', 'slug', 'created_by', 'community_id', 'event_id', ...hiddenColumns]).where('id', 'in', meetupIds).execute()
    for (const r of rows) put({ kind: 'meetup', id: r.id, title: r.title, path: `/meetups/${r.slug}`, authorId: r.created_by, communityId: r.community_id, eventId: r.event_id, ...hidden(r) })
  }
  const messageIds = ids('host_message')
  if (messageIds.length) {
    const rows = await db
      .selectFrom('meetup_messages as m')
      .innerJoin('meetups as mt', 'mt.id', 'm.meetup_id')
      .select(['m.id', 'm.body', 'm.sender_id', 'mt.slug', 'mt.community_id', 'mt.event_id', 'm.hidden_at', 'm.hidden_reason', 'm.hidden_cause'])
      .where('m.id', 'in', messageIds)
      .execute()
    for (const r of rows) put({ kind: 'host_message', id: r.id, title: excerpt(r.body), path: `/meetups/${r.slug}`, authorId: r.sender_id, communityId: r.community_id, eventId: r.event_id, ...hidden(r) })
  }
  const profileIds = ids('profile')
  if (profileIds.length) {
    const rows = await db.selectFrom('users').select(['id', 'display_name', 'handle', ...hiddenColumns]).where('id', 'in', profileIds).execute()
    for (const r of rows) put({ kind: 'profile', id: r.id, title: r.display_name, path: `/people/${r.handle ?? r.id}`, authorId: r.id, communityId: null, eventId: null, ...hidden(r) })
  }
  return found
}

export const itemKey = (kind: string, id: number): string => `${kind}:${id}`

function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > 80 ? `${line.slice(0, 79)}…` : line
}

export async function insertReport(db: Kysely<Database>, report: { reporter_id: number; item_kind: ReportItemKind; item_id: number; reason: string; created_at: string }): Promise<ReportRow> {
  return db.insertInto('reports').values(report).returningAll().executeTakeFirstOrThrow()
}

export async function findOpenReport(db: Kysely<Database>, reporterId: number, item: { kind: ReportItemKind; id: number }): Promise<ReportRow | undefined> {
  return db
    .selectFrom('reports')
    .selectAll()
    .where('reporter_id', '=', reporterId)
    .where('item_kind', '=', item.kind)
    .where('item_id', '=', item.id)
    .where('status', '=', 'open')
    .executeTakeFirst()
}

export async function findReport(db: Kysely<Database>, id: number): Promise<ReportRow | undefined> {
  return db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Reports in these states, newest first (the queue is short: a moderator acts, and they leave it). */
export async function listReports(db: Kysely<Database>, statuses: readonly ReportStatus[], limit = 500): Promise<ReportRow[]> {
  return db.selectFrom('reports').selectAll().where('status', 'in', statuses).orderBy('id', 'desc').limit(limit).execute()
}

/** Reports made by someone, or about their profile or content they wrote (for the admin). */
export async function listReportsBy(db: Kysely<Database>, reporterId: number, limit = 200): Promise<ReportRow[]> {
  return db.selectFrom('reports').selectAll().where('reporter_id', '=', reporterId).orderBy('id', 'desc').limit(limit).execute()
}

export async function listReportsAbout(db: Kysely<Database>, userId: number, limit = 200): Promise<ReportRow[]> {
  return db
    .selectFrom('reports as r')
    .selectAll('r')
    .where((eb) =>
      eb.or([
        eb.and([eb('r.item_kind', '=', 'profile'), eb('r.item_id', '=', userId)]),
        eb.and([eb('r.item_kind', '=', 'proposal'), eb('r.item_id', 'in', eb.selectFrom('proposals').select('id').where('proposer_id', '=', userId))]),
        eb.and([eb('r.item_kind', '=', 'topic'), eb('r.item_id', 'in', eb.selectFrom('topics').select('id').where('proposed_by', '=', userId))]),
        eb.and([eb('r.item_kind', '=', 'meetup'), eb('r.item_id', 'in', eb.selectFrom('meetups').select('id').where('created_by', '=', userId))]),
        eb.and([eb('r.item_kind', '=', 'host_message'), eb('r.item_id', 'in', eb.selectFrom('meetup_messages').select('id').where('sender_id', '=', userId))]),
      ]),
    )
    .orderBy('r.id', 'desc')
    .limit(limit)
    .execute()
}

/** Decides every report on one item still in `from` at once; returns their reporters (never shown to the author). */
export async function decideReports(
  db: Kysely<Database>,
  item: { kind: ReportItemKind; id: number },
  from: readonly ReportStatus[],
  to: ReportStatus,
  deciderId: number,
  stamp: string,
): Promise<{ id: number; reporter_id: number | null }[]> {
  return db
    .updateTable('reports')
    .set({ status: to, decided_at: stamp, decided_by: deciderId })
    .where('item_kind', '=', item.kind)
    .where('item_id', '=', item.id)
    .where('status', 'in', from)
    .returning(['id', 'reporter_id'])
    .execute()
}

export async function decideReport(db: Kysely<Database>, id: number, from: readonly ReportStatus[], to: ReportStatus, deciderId: number, stamp: string): Promise<boolean> {
  const result = await db.updateTable('reports').set({ status: to, decided_at: stamp, decided_by: deciderId }).where('id', '=', id).where('status', 'in', from).executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

const TABLE_OF = { proposal: 'proposals', topic: 'topics', meetup: 'meetups', host_message: 'meetup_messages', profile: 'users' } as const

/** Hides one item for a reason its author will see (a moderator's hiding replaces a suspension's). */
export async function hideItem(db: Kysely<Database>, kind: ReportItemKind, id: number, reason: string, stamp: string, cause: HiddenCause = 'report'): Promise<void> {
  await db.updateTable(TABLE_OF[kind]).set({ hidden_at: stamp, hidden_reason: reason, hidden_cause: cause }).where('id', '=', id).execute()
}

/** Why a person is suspended, or null when they are not. */
export async function suspensionOf(db: Kysely<Database>, userId: number): Promise<string | null> {
  const row = await db.selectFrom('users').select(['suspended_at', 'suspended_reason']).where('id', '=', userId).executeTakeFirst()
  return row?.suspended_at ? (row.suspended_reason ?? '') : null
}

/** Shows an item a moderator hid (what a suspension hid waits for the suspension to be lifted). */
export async function restoreItem(db: Kysely<Database>, kind: ReportItemKind, id: number): Promise<void> {
  await db.updateTable(TABLE_OF[kind]).set({ hidden_at: null, hidden_reason: null, hidden_cause: null }).where('id', '=', id).where('hidden_cause', '=', 'report').execute()
}

/** The author columns of each hideable table, for suspending and lifting. */
const AUTHOR_OF = [
  ['proposals', 'proposer_id'],
  ['topics', 'proposed_by'],
  ['meetups', 'created_by'],
  ['meetup_messages', 'sender_id'],
  ['users', 'id'],
] as const

/** Hides everything a person wrote (and their profile) that is not hidden already. */
export async function hideAllBy(db: Kysely<Database>, userId: number, reason: string, stamp: string): Promise<void> {
  for (const [table, author] of AUTHOR_OF) {
    await db.updateTable(table).set({ hidden_at: stamp, hidden_reason: reason, hidden_cause: 'suspension' }).where(author, '=', userId).where('hidden_at', 'is', null).execute()
  }
}

/** Brings back what a suspension hid; what a moderator hid stays hidden. */
export async function showAllHiddenBySuspension(db: Kysely<Database>, userId: number): Promise<void> {
  for (const [table, author] of AUTHOR_OF) {
    await db.updateTable(table).set({ hidden_at: null, hidden_reason: null, hidden_cause: null }).where(author, '=', userId).where('hidden_cause', '=', 'suspension').execute()
  }
}

export async function insertLog(
  db: Kysely<Database>,
  entry: { actor_id: number; action: string; item_kind: string; item_id: number; report_id: number | null; reason: string; created_at: string },
): Promise<void> {
  await db.insertInto('moderation_log').values(entry).execute()
}

export interface LogLine {
  id: number
  action: string
  item_kind: string
  item_id: number
  report_id: number | null
  reason: string
  created_at: string
  actor_name: string | null
}

export async function listLog(db: Kysely<Database>, limit: number, offset: number): Promise<{ lines: LogLine[]; total: number }> {
  const [lines, counted] = await Promise.all([
    db
      .selectFrom('moderation_log as l')
      .leftJoin('users as u', 'u.id', 'l.actor_id')
      .select(['l.id', 'l.action', 'l.item_kind', 'l.item_id', 'l.report_id', 'l.reason', 'l.created_at', 'u.display_name as actor_name'])
      .orderBy('l.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    db.selectFrom('moderation_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { lines, total: Number(counted.n) }
}

/** The communities a person hosts and the events they organise: where they moderate. */
export async function moderationScope(db: Kysely<Database>, userId: number): Promise<{ communityIds: Set<number>; eventIds: Set<number> }> {
  const [communities, events] = await Promise.all([
    db.selectFrom('community_members').select('community_id').where('user_id', '=', userId).where('role', '=', 'host').execute(),
    db.selectFrom('event_organisers').select('event_id').where('user_id', '=', userId).execute(),
  ])
  return { communityIds: new Set(communities.map((c) => c.community_id)), eventIds: new Set(events.map((e) => e.event_id)) }
}
