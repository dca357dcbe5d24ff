// The outbox table: queueing, claiming what is due, and recording what happened. Kysely
// only, db first; the caller owns the transaction.
import { expressionBuilder, sql, type ExpressionBuilder, type Kysely } from 'kysely'
import { compiledOnce } from '../../db/compiled-once.js'
import type { Database, OutboxRow } from '../../db/database.js'
import type { Dialect } from '../../db/dialect.js'
import type { NoticeTopic } from './notices.js'

export interface NewOutboxRow {
  idempotency_key: string
  kind: string
  user_id: number
  payload: string
}

// One message, the common case (a reply's own notice): built once (src/db/compiled-once.ts).
const insertOne = compiledOnce((db, p: NewOutboxRow & { stamp: string }) =>
  db
    .insertInto('outbox')
    .values({ idempotency_key: p.idempotency_key, kind: p.kind, user_id: p.user_id, payload: p.payload, next_attempt_at: p.stamp, created_at: p.stamp })
    .onConflict((oc) => oc.column('idempotency_key').doNothing()),
)

/** Inserts, skipping any key already queued (the same cause never makes two messages). */
export async function insertOutboxRows(db: Kysely<Database>, rows: NewOutboxRow[], stamp: string): Promise<void> {
  if (rows.length === 1) {
    await insertOne(db, { ...rows[0]!, stamp })
    return
  }
  for (let i = 0; i < rows.length; i += 200) {
    const chunk = rows.slice(i, i + 200).map((row) => ({ ...row, next_attempt_at: stamp, created_at: stamp }))
    await db.insertInto('outbox').values(chunk).onConflict((oc) => oc.column('idempotency_key').doNothing()).execute()
  }
}

/** Of these people, who has turned this topic off. */
export async function optedOut(db: Kysely<Database>, topic: NoticeTopic, userIds: number[]): Promise<Set<number>> {
  if (!userIds.length) return new Set()
  const rows = await db.selectFrom('email_opt_outs').select('user_id').where('topic', '=', topic).where('user_id', 'in', userIds).execute()
  return new Set(rows.map((r) => r.user_id))
}

/**
 * Whether a notice on this topic may go to this person (their address confirmed, the topic not
 * turned off), as one expression: for a read that asks it along with what else it reads (the
 * RSVP's first read). A person not found counts as hearing, as optedOut and unconfirmed say.
 */
export function mayHearExpression(userId: number, topic: NoticeTopic) {
  const eb = expressionBuilder<Database, never>()
  return eb.not(
    eb.or([
      eb.exists(eb.selectFrom('users as hu').select('hu.id').where('hu.id', '=', userId).where('hu.email_verified_at', 'is', null)),
      eb.exists(eb.selectFrom('email_opt_outs as ho').select('ho.user_id').where('ho.user_id', '=', userId).where('ho.topic', '=', topic)),
    ]),
  )
}

const hearsOne = compiledOnce((db, p: { userId: number; topic: NoticeTopic }) => db.selectNoFrom(mayHearExpression(p.userId, p.topic).as('hears')))

/** optedOut and unconfirmed for one person, in one statement: whether a notice on this topic may go to them. */
export async function mayHearOne(db: Kysely<Database>, topic: NoticeTopic, userId: number): Promise<boolean> {
  const [row] = await hearsOne(db, { userId, topic })
  return Boolean(row?.hears)
}

/** Of these people, those with an email address at all. */
export async function withAddress(db: Kysely<Database>, userIds: number[]): Promise<number[]> {
  const rows = await db.selectFrom('users').select('id').where('id', 'in', userIds).where('email', 'is not', null).execute()
  return rows.map((r) => r.id)
}

/** Of these people, who has not yet confirmed that their email address is theirs. */
export async function unconfirmed(db: Kysely<Database>, userIds: number[]): Promise<number[]> {
  if (!userIds.length) return []
  const rows = await db.selectFrom('users').select('id').where('id', 'in', userIds).where('email_verified_at', 'is', null).execute()
  return rows.map((r) => r.id)
}

export async function listOptOuts(db: Kysely<Database>, userId: number): Promise<NoticeTopic[]> {
  const rows = await db.selectFrom('email_opt_outs').select('topic').where('user_id', '=', userId).execute()
  return rows.map((r) => r.topic as NoticeTopic)
}

export async function optOut(db: Kysely<Database>, userId: number, topic: NoticeTopic, stamp: string): Promise<void> {
  await db.insertInto('email_opt_outs').values({ user_id: userId, topic, created_at: stamp }).onConflict((oc) => oc.columns(['user_id', 'topic']).doNothing()).execute()
}

export async function optIn(db: Kysely<Database>, userId: number, topic: NoticeTopic): Promise<void> {
  await db.deleteFrom('email_opt_outs').where('user_id', '=', userId).where('topic', '=', topic).execute()
}

/**
 * Claims up to `limit` due messages for worker `owner`. A message is free when nobody claims
 * it, its claimer is no registered worker any more (it died and was forgotten), or it is
 * this worker's own (left over from a round that failed half-way). The same guard is on the
 * UPDATE and its inner SELECT: on PostgreSQL the SELECT … FOR UPDATE SKIP LOCKED lets several
 * processes claim at once without waiting on or taking each other's rows, and a row another
 * worker claimed meanwhile fails the guard when re-checked; on SQLite the single UPDATE runs
 * under the database's one write lock. Two workers never claim the same row.
 */
export async function claimDue(db: Kysely<Database>, dialect: Dialect, owner: string, now: string, limit: number): Promise<OutboxRow[]> {
  const claimable = (eb: ExpressionBuilder<Database, 'outbox'>) =>
    eb.and([
      eb('status', '=', 'pending'),
      eb('next_attempt_at', '<=', now),
      eb.or([eb('claimed_by', 'is', null), eb('claimed_by', '=', owner), eb('claimed_by', 'not in', eb.selectFrom('mail_workers').select('mail_workers.id'))]),
    ])
  const due = db.selectFrom('outbox').select('id').where(claimable).orderBy('id').limit(limit)
  const claim = db.updateTable('outbox').set({ claimed_by: owner }).where(claimable).returningAll()
  if (dialect === 'sqlite') return claim.where('id', 'in', due).execute()
  // ARRAY(…) runs the locking SELECT exactly once. As a plain IN, the planner may re-run it
  // for each outbox row (a nested loop), each run skipping the rows just claimed and locking
  // the next few: one worker would claim the whole queue, whatever the limit.
  const locked = sql<number[]>`array(${due.forUpdate().skipLocked()})`
  return claim.where((eb) => eb('id', '=', eb.fn.any(locked))).execute()
}

/**
 * Counts an attempt just before sending, if the message is still this worker's and still
 * unsent; null when another worker took it over (this one was taken for dead) or it went
 * meanwhile, in which case this worker must not send it.
 */
export async function beginAttempt(db: Kysely<Database>, id: number, owner: string): Promise<number | null> {
  const row = await db
    .updateTable('outbox')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('claimed_by', '=', owner)
    .where('status', '=', 'pending')
    .returning('attempts')
    .executeTakeFirst()
  return row?.attempts ?? null
}

/**
 * The SMTP server said "250 OK": the message went, whoever claims it now (a worker that took
 * it over while this one was slow must not send it again).
 */
export async function markSent(db: Kysely<Database>, id: number, owner: string, stamp: string): Promise<void> {
  await db.updateTable('outbox').set({ status: 'sent', sent_at: stamp, claimed_by: owner, last_error: null }).where('id', '=', id).where('status', '<>', 'sent').execute()
}

/** Gives the message back for a later attempt, or gives up on it (`nextAttemptAt` null). */
export async function markAttemptFailed(db: Kysely<Database>, id: number, owner: string, error: string, nextAttemptAt: string | null): Promise<void> {
  await db
    .updateTable('outbox')
    .set(nextAttemptAt === null ? { status: 'failed', claimed_by: null, last_error: error } : { next_attempt_at: nextAttemptAt, claimed_by: null, last_error: error })
    .where('id', '=', id)
    .where('claimed_by', '=', owner)
    .execute()
}

export async function outboxCounts(db: Kysely<Database>): Promise<Record<string, number>> {
  const rows = await db.selectFrom('outbox').select(['status', (eb) => eb.fn.countAll<number>().as('count')]).groupBy('status').execute()
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.count)]))
}

export interface Recipient {
  id: number
  /** Null for an account without an address: only its address confirmation is ever queued for it. */
  email: string | null
  display_name: string
  locale: string | null
  /** The zone the person reads times in, if they chose one: emails add their time (issue 22). */
  time_zone: string | null
}

export async function findRecipients(db: Kysely<Database>, userIds: number[]): Promise<Map<number, Recipient>> {
  if (!userIds.length) return new Map()
  const rows = await db.selectFrom('users').select(['id', 'email', 'display_name', 'locale', 'time_zone']).where('id', 'in', userIds).execute()
  return new Map(rows.map((r) => [r.id, r]))
}
