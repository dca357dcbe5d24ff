// Topics for the chats and the votes on them. Vote counts are computed in the same query
// as the list (one grouped join), never per row.
import { sql, type Kysely } from 'kysely'
import { compiledOnce } from '../../db/compiled-once.js'
import type { Database, TopicRow } from '../../db/database.js'

export interface TopicListItem {
  id: number
  title: string
  description: string
  chat_date: string | null
  done: boolean
  notes_url: string | null
  proposed_by_name: string | null
  votes: number
  voted_by_me: boolean
}

function topicsWithVotes(db: Kysely<Database>, communityId: number, viewerId: number) {
  return db
    .selectFrom('topics as t')
    .leftJoin('users as u', 'u.id', 't.proposed_by')
    .leftJoin('topic_votes as mine', (join) => join.onRef('mine.topic_id', '=', 't.id').on('mine.user_id', '=', viewerId))
    .select([
      't.id',
      't.title',
      't.description',
      't.chat_date',
      't.done',
      't.notes_url',
      'u.display_name as proposed_by_name',
      (eb) => eb.selectFrom('topic_votes as tv').select((e) => e.fn.countAll<number>().as('n')).whereRef('tv.topic_id', '=', 't.id').as('votes'),
      sql<number>`case when mine.user_id is null then 0 else 1 end`.as('voted_by_me'),
    ])
    .where('t.community_id', '=', communityId)
    // Hidden by a moderator or a suspension: gone from every list (issue 20).
    .where('t.hidden_at', 'is', null)
}

function toItem(row: {
  id: number
  title: string
  description: string
  chat_date: string | null
  done: number
  notes_url: string | null
  proposed_by_name: string | null
  votes: number | null
  voted_by_me: number
}): TopicListItem {
  return { ...row, done: row.done === 1, votes: Number(row.votes ?? 0), voted_by_me: Number(row.voted_by_me) === 1 }
}

// Both lists are on every community page: built once (src/db/compiled-once.ts).
const openTopics = compiledOnce((db, p: { communityId: number; viewer: number; limit: number }) =>
  topicsWithVotes(db, p.communityId, p.viewer).where('t.chat_date', 'is', null).orderBy('votes', 'desc').orderBy('t.id').limit(p.limit),
)
const assignedTopics = compiledOnce((db, p: { communityId: number; viewer: number }) =>
  topicsWithVotes(db, p.communityId, p.viewer).where('t.chat_date', 'is not', null).orderBy('t.chat_date'),
)

/** Topics still waiting for a chat, most votes first (then oldest first: first come, first served). */
export async function listOpenTopics(db: Kysely<Database>, communityId: number, viewerId: number | null, limit = 200): Promise<TopicListItem[]> {
  return (await openTopics(db, { communityId, viewer: viewerId ?? -1, limit })).map(toItem)
}

/** Topics given to a chat, by chat date. */
export async function listAssignedTopics(db: Kysely<Database>, communityId: number, viewerId: number | null): Promise<TopicListItem[]> {
  return (await assignedTopics(db, { communityId, viewer: viewerId ?? -1 })).map(toItem)
}

/** A person's own topics in a community that are hidden, with the reason they are shown. */
export async function listMyHiddenTopics(db: Kysely<Database>, communityId: number, userId: number): Promise<Pick<TopicRow, 'id' | 'title' | 'hidden_reason'>[]> {
  return db.selectFrom('topics').select(['id', 'title', 'hidden_reason']).where('community_id', '=', communityId).where('proposed_by', '=', userId).where('hidden_at', 'is not', null).orderBy('id').execute()
}

export async function findTopic(db: Kysely<Database>, communityId: number, topicId: number): Promise<TopicRow | undefined> {
  return db.selectFrom('topics').selectAll().where('community_id', '=', communityId).where('id', '=', topicId).executeTakeFirst()
}

export async function insertTopic(
  db: Kysely<Database>,
  topic: { community_id: number; title: string; description: string; proposed_by: number; created_at: string; updated_at: string },
): Promise<TopicRow> {
  return db.insertInto('topics').values(topic).returningAll().executeTakeFirstOrThrow()
}

export async function updateTopic(
  db: Kysely<Database>,
  topicId: number,
  changes: Partial<Pick<TopicRow, 'chat_date' | 'done' | 'notes_url' | 'updated_at'>>,
): Promise<void> {
  await db.updateTable('topics').set(changes).where('id', '=', topicId).execute()
}

export async function findTopicForChat(db: Kysely<Database>, communityId: number, chatDate: string): Promise<TopicRow | undefined> {
  return db.selectFrom('topics').selectAll().where('community_id', '=', communityId).where('chat_date', '=', chatDate).where('hidden_at', 'is', null).executeTakeFirst()
}

/**
 * Sets one person's vote to what they asked for (the button says which), so a double
 * click or a resent form lands in the same place; the primary key keeps one vote each.
 */
export async function setTopicVote(db: Kysely<Database>, topicId: number, userId: number, want: boolean, now: string): Promise<boolean> {
  if (!want) {
    await db.deleteFrom('topic_votes').where('topic_id', '=', topicId).where('user_id', '=', userId).execute()
    return false
  }
  await db
    .insertInto('topic_votes')
    .values({ topic_id: topicId, user_id: userId, created_at: now })
    .onConflict((oc) => oc.columns(['topic_id', 'user_id']).doNothing())
    .execute()
  return true
}
