// Communities, their members, chat schedules and exceptions. Kysely only, db first.
import { compiledOnce } from '../../db/compiled-once.js'
import { sql, type Kysely } from 'kysely'
import { hashtagKey } from '../../lib/hashtags.js'
import type {
  ChatExceptionRow,
  ChatScheduleRow,
  CommunityRole,
  CommunityRow,
  Database,
} from '../../db/database.js'

// The community page's queries are built once (src/db/compiled-once.ts): Kysely's building
// cost more than SQLite's work for them.
const communityBySlug = compiledOnce((db, p: { slug: string }) => db.selectFrom('communities').selectAll().where('slug', '=', p.slug))

export async function findCommunityBySlug(db: Kysely<Database>, slug: string): Promise<CommunityRow | undefined> {
  return (await communityBySlug(db, { slug }))[0]
}

export async function isSlugTaken(db: Kysely<Database>, slug: string): Promise<boolean> {
  return (await db.selectFrom('communities').select('id').where('slug', '=', slug).executeTakeFirst()) !== undefined
}

export interface CommunityListItem {
  slug: string
  name: string
  hashtag: string
  time_zone: string
  members: number
}

/** Communities whose name or hashtag contains `search` (any case), most members first. */
export async function listCommunities(db: Kysely<Database>, search: string): Promise<CommunityListItem[]> {
  const term = hashtagKey(search.trim())
  let query = db
    .selectFrom('communities as c')
    .leftJoin('community_members as m', 'm.community_id', 'c.id')
    .select(['c.slug', 'c.name', 'c.hashtag', 'c.time_zone', (eb) => eb.fn.count<number>('m.user_id').as('members')])
    .groupBy(['c.id', 'c.slug', 'c.name', 'c.hashtag', 'c.time_zone'])
    .orderBy('members', 'desc')
    .orderBy('c.name')
  if (term) {
    // Escape LIKE's wildcards so "100%" searches for itself.
    const pattern = `%${term.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`
    query = query.where((eb) =>
      eb.or([
        eb(sql`lower(c.name)`, 'like', sql`${pattern} escape '\\'`),
        eb('c.hashtag_key', 'like', sql<string>`${pattern} escape '\\'`),
      ]),
    )
  }
  const rows = await query.execute()
  return rows.map((row) => ({ ...row, members: Number(row.members) }))
}

export async function insertCommunity(
  db: Kysely<Database>,
  community: Omit<CommunityRow, 'id' | 'description' | 'chat_place' | 'hashtag_key' | 'code_of_conduct'> & { description: string; chat_place: string; code_of_conduct?: string },
): Promise<CommunityRow> {
  return db.insertInto('communities').values({ ...community, hashtag_key: hashtagKey(community.hashtag) }).returningAll().executeTakeFirstOrThrow()
}

export async function updateCommunity(
  db: Kysely<Database>,
  id: number,
  changes: Partial<Omit<CommunityRow, 'id' | 'slug' | 'created_at' | 'created_by' | 'hashtag_key'>>,
): Promise<void> {
  const key = changes.hashtag === undefined ? {} : { hashtag_key: hashtagKey(changes.hashtag) }
  await db.updateTable('communities').set({ ...changes, ...key }).where('id', '=', id).execute()
}

/**
 * Serialises changes to a community's hosts: the UPDATE takes the row's lock on
 * PostgreSQL and the write lock on SQLite, so "is there another host?" cannot be answered
 * yes to two people leaving at once.
 */
export async function lockCommunity(db: Kysely<Database>, communityId: number): Promise<void> {
  await db.updateTable('communities').set((eb) => ({ updated_at: eb.ref('updated_at') })).where('id', '=', communityId).execute()
}

// --- Members ---

export interface Membership {
  role: CommunityRole
  listed: boolean
}

const membership = compiledOnce((db, p: { communityId: number; userId: number }) =>
  db.selectFrom('community_members').select(['role', 'listed']).where('community_id', '=', p.communityId).where('user_id', '=', p.userId),
)

export async function findMembership(db: Kysely<Database>, communityId: number, userId: number): Promise<Membership | null> {
  const [row] = await membership(db, { communityId, userId })
  return row ? { role: row.role, listed: row.listed === 1 } : null
}

/** Adds a member; joining twice is harmless (the primary key keeps one row). */
export async function addMember(db: Kysely<Database>, communityId: number, userId: number, role: CommunityRole, listed: boolean, now: string): Promise<void> {
  await db
    .insertInto('community_members')
    .values({ community_id: communityId, user_id: userId, role, listed: listed ? 1 : 0, joined_at: now })
    .onConflict((oc) => oc.columns(['community_id', 'user_id']).doNothing())
    .execute()
}

export async function removeMember(db: Kysely<Database>, communityId: number, userId: number): Promise<void> {
  await db.deleteFrom('community_members').where('community_id', '=', communityId).where('user_id', '=', userId).execute()
}

export async function setListed(db: Kysely<Database>, communityId: number, userId: number, listed: boolean): Promise<void> {
  await db
    .updateTable('community_members')
    .set({ listed: listed ? 1 : 0 })
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .execute()
}

export async function setMemberRole(db: Kysely<Database>, communityId: number, userId: number, role: CommunityRole): Promise<boolean> {
  const result = await db
    .updateTable('community_members')
    .set({ role })
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

const countsOfMembers = compiledOnce((db, p: { communityId: number }) =>
  db
    .selectFrom('community_members')
    .select((eb) => [
      eb.fn.countAll<number>().as('members'),
      eb.fn.sum<number>(eb.case().when('role', '=', 'host').then(1).else(0).end()).as('hosts'),
    ])
    .where('community_id', '=', p.communityId),
)

export async function memberCounts(db: Kysely<Database>, communityId: number): Promise<{ members: number; hosts: number }> {
  const [row] = await countsOfMembers(db, { communityId })
  if (!row) throw new Error('an aggregate without a row')
  return { members: Number(row.members), hosts: Number(row.hosts ?? 0) }
}

export interface MemberListItem {
  user_id: number
  display_name: string
  handle: string | null
  role: CommunityRole
  listed: boolean
}

/**
 * Members as the page may show them: hosts (a public role) and those who chose to be
 * listed; `everyone` (for hosts managing the community) includes the unlisted too.
 */
export async function listMembers(db: Kysely<Database>, communityId: number, everyone: boolean): Promise<MemberListItem[]> {
  let query = db
    .selectFrom('community_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'u.display_name', 'u.handle', 'm.role', 'm.listed'])
    .where('m.community_id', '=', communityId)
    .orderBy(sql`case when m.role = 'host' then 0 else 1 end`)
    .orderBy('u.display_name')
  if (!everyone) query = query.where((eb) => eb.or([eb('m.role', '=', 'host'), eb('m.listed', '=', 1)]))
  const rows = await query.execute()
  return rows.map((row) => ({ ...row, listed: row.listed === 1 }))
}

// --- Chat schedule and exceptions ---

/** The community's chat schedule, unless it has none (never had one, or switched it off). */
const liveSchedule = compiledOnce((db, p: { communityId: number }) => db.selectFrom('chat_schedules').selectAll().where('community_id', '=', p.communityId).where('stopped_at', 'is', null))

export async function findSchedule(db: Kysely<Database>, communityId: number): Promise<ChatScheduleRow | undefined> {
  return (await liveSchedule(db, { communityId }))[0]
}

export async function saveSchedule(db: Kysely<Database>, input: Omit<ChatScheduleRow, 'sequence' | 'stopped_at'>): Promise<void> {
  const schedule = { ...input, stopped_at: null }
  const changes: Omit<ChatScheduleRow, 'community_id' | 'sequence'> & { community_id?: number } = { ...schedule }
  delete changes.community_id
  // A schedule removed and added again starts its SEQUENCE from the clock (seconds since
  // 2026), so it still counts on from whatever calendars saw before; each change adds one.
  const fresh = Math.max(0, Math.floor((Date.parse(schedule.updated_at) - Date.UTC(2026, 0, 1)) / 1000))
  await db
    .insertInto('chat_schedules')
    .values({ ...schedule, sequence: fresh })
    .onConflict((oc) => oc.column('community_id').doUpdateSet((eb) => ({ ...changes, sequence: eb('chat_schedules.sequence', '+', 1) })))
    .execute()
}

/** Every chat of the community changes version (calendar SEQUENCE) when an exception comes or goes. */
async function bumpChatSequence(db: Kysely<Database>, communityId: number): Promise<void> {
  await db
    .updateTable('chat_schedules')
    .set((eb) => ({ sequence: eb('sequence', '+', 1), updated_at: new Date().toISOString() }))
    .where('community_id', '=', communityId)
    .execute()
}

/**
 * "No schedule": the row stays, stopped, so feeds can list the chats that will not happen as
 * CANCELLED for 30 days (calendars never hear of a chat that just vanishes). A new SEQUENCE
 * tells them it is a change.
 */
export async function stopSchedule(db: Kysely<Database>, communityId: number, now: Date): Promise<void> {
  await db
    .updateTable('chat_schedules')
    .set((eb) => ({ stopped_at: now.toISOString(), updated_at: now.toISOString(), sequence: eb('sequence', '+', 1) }))
    .where('community_id', '=', communityId)
    .where('stopped_at', 'is', null)
    .execute()
}

const exceptionsOf = compiledOnce((db, p: { communityId: number }) => db.selectFrom('chat_exceptions').selectAll().where('community_id', '=', p.communityId).orderBy('chat_date'))

export async function listExceptions(db: Kysely<Database>, communityId: number): Promise<ChatExceptionRow[]> {
  return exceptionsOf(db, { communityId })
}

export async function saveException(
  db: Kysely<Database>,
  exception: { community_id: number; chat_date: string; kind: 'skip' | 'move'; moved_to_date: string | null; moved_to_time: string | null; created_at: string },
): Promise<void> {
  await db
    .insertInto('chat_exceptions')
    .values(exception)
    .onConflict((oc) =>
      oc.columns(['community_id', 'chat_date']).doUpdateSet({
        kind: exception.kind,
        moved_to_date: exception.moved_to_date,
        moved_to_time: exception.moved_to_time,
        created_at: exception.created_at,
      }),
    )
    .execute()
  await bumpChatSequence(db, exception.community_id)
}

export async function deleteException(db: Kysely<Database>, communityId: number, chatDate: string): Promise<void> {
  await db.deleteFrom('chat_exceptions').where('community_id', '=', communityId).where('chat_date', '=', chatDate).execute()
  await bumpChatSequence(db, communityId)
}
