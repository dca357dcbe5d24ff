// RSVPs without overbooking. Every change takes the meetup's lock first, by bumping its
// rsvp_version: on PostgreSQL the UPDATE holds the row lock until commit, so concurrent
// RSVPs to one meetup queue up and each re-reads the seats left; on SQLite the first write
// takes the database's single write lock (like BEGIN IMMEDIATE), and within one process
// Kysely runs one transaction at a time. The version it returns orders the waitlist.
//
// Waitlist rule: first come, first served among those who fit. When seats free up, the
// waitlist is read in order and every party that fits the seats left is promoted; a party
// too large for what is left keeps its place and the next one that fits gets the seats.
// So a party of four cannot hold a single seat hostage, and nobody jumps a queue for a
// seat they could have had. A waiting party that changes its size keeps its place: the
// place belongs to the person who asked first, whoever they bring.
//
// The reply that changes something (issue 23) costs one read before the lock and, under it,
// the lock, the person's own row, its write, the seats, the notice (and the answers, when the
// meetup asks questions): each statement built once (src/db/compiled-once.ts), and what the
// first read already knew (whether they replied before, whether they hear by email) not asked again.
import type { Insertable, Kysely, Transaction } from 'kysely'
import { compiledOnce } from '../../db/compiled-once.js'
import type { Database, MeetupRow, RsvpRow, RsvpsTable } from '../../db/database.js'
import { RefusedError } from '../../lib/http-errors.js'
import { KeyedBatches } from '../../lib/keyed-batches.js'
import type { Notice } from '../notices/notices.js'
import { mayHearExpression } from '../notices/outbox.queries.js'
import { queueEachNotice, queueNotice, whoMayHear } from '../notices/queue.js'
import { findMyRsvp, lockMeetup } from './meetups.queries.js'
import { deleteMyAnswers, saveMyAnswers, type MeetupQuestion } from './questions.queries.js'

/** `seatsLeft` on the waitlist: seats free but fewer than the party (null: no limit). */
export type RsvpOutcome = { status: 'going' } | { status: 'waitlisted'; position: number; seatsLeft: number | null } | { status: 'not_going' }

/** Takes the per-meetup lock (meetups.queries.ts) and returns the meetup as it is now. */
async function lockExistingMeetup(trx: Transaction<Database>, meetupId: number): Promise<MeetupRow> {
  const meetup = await lockMeetup(trx, meetupId)
  if (!meetup) throw new RefusedError('rsvp.refused.missing')
  return meetup
}

function assertOpen(meetup: Pick<MeetupRow, 'state' | 'starts_at' | 'rsvp_opens_at' | 'rsvp_closes_at'>, now: Date): void {
  const at = now.toISOString()
  if (meetup.state === 'cancelled') throw new RefusedError('rsvp.refused.cancelled')
  if (meetup.starts_at <= at) throw new RefusedError('rsvp.refused.past')
  if (meetup.rsvp_opens_at && at < meetup.rsvp_opens_at) throw new RefusedError('rsvp.refused.notOpen')
  if (meetup.rsvp_closes_at && at >= meetup.rsvp_closes_at) throw new RefusedError('rsvp.refused.closed')
}

function fits(meetup: Pick<MeetupRow, 'capacity'>, seatsTaken: number, party: number): boolean {
  return meetup.capacity === null || seatsTaken + party <= meetup.capacity
}

/** Of these people, who has an RSVP to this meetup (any answer, even "not going"). */
async function usersWhoReplied(trx: Transaction<Database>, meetupId: number, userIds: number[]): Promise<number[]> {
  const rows = await trx.selectFrom('rsvps').select('user_id').where('meetup_id', '=', meetupId).where('user_id', 'in', userIds).execute()
  return rows.map((r) => r.user_id)
}

const waitingCount = compiledOnce((db, p: { meetupId: number }) =>
  db.selectFrom('rsvps').select((eb) => eb.fn.countAll<number>().as('waiting')).where('meetup_id', '=', p.meetupId).where('status', '=', 'waitlisted'),
)

async function countWaiting(trx: Transaction<Database>, meetupId: number): Promise<number> {
  const [row] = await waitingCount(trx, { meetupId })
  return Number(row!.waiting)
}

async function findRsvp(trx: Transaction<Database>, meetupId: number, userId: number): Promise<RsvpRow | undefined> {
  return findMyRsvp(trx, meetupId, userId)
}

const waitlistOf = compiledOnce((db, p: { meetupId: number }) =>
  db.selectFrom('rsvps').select(['id', 'user_id', 'party_size']).where('meetup_id', '=', p.meetupId).where('status', '=', 'waitlisted').orderBy('seq').orderBy('id'),
)
const seatGiven = compiledOnce((db, p: { id: number; now: string }) => db.updateTable('rsvps').set({ status: 'going', updated_at: p.now }).where('id', '=', p.id))
const seatsOf = compiledOnce((db, p: { meetupId: number; seatsTaken: number }) => db.updateTable('meetups').set({ seats_taken: p.seatsTaken }).where('id', '=', p.meetupId))
const seatsAndVersion = compiledOnce((db, p: { meetupId: number; seatsTaken: number; version: number }) =>
  db.updateTable('meetups').set({ seats_taken: p.seatsTaken, rsvp_version: p.version }).where('id', '=', p.meetupId),
)
type GoingRow = Pick<RsvpRow, 'status' | 'party_size' | 'seq' | 'created_at' | 'updated_at'> & { meetupId: number; userId: number }
const upsertGoing = compiledOnce((db, p: GoingRow) =>
  db
    .insertInto('rsvps')
    .values({ meetup_id: p.meetupId, user_id: p.userId, status: p.status, party_size: p.party_size, seq: p.seq, created_at: p.created_at, updated_at: p.updated_at })
    .onConflict((oc) => oc.columns(['meetup_id', 'user_id']).doUpdateSet({ status: p.status, party_size: p.party_size, seq: p.seq, updated_at: p.updated_at, withdrawn_at: null }))
    .returningAll(),
)
type NotGoingRow = Pick<RsvpRow, 'party_size' | 'seq' | 'withdrawn_at'> & { meetupId: number; userId: number; stamp: string }
const upsertNotGoing = compiledOnce((db, p: NotGoingRow) =>
  db
    .insertInto('rsvps')
    .values({ meetup_id: p.meetupId, user_id: p.userId, status: 'not_going', party_size: p.party_size, seq: p.seq, created_at: p.stamp, updated_at: p.stamp, withdrawn_at: p.withdrawn_at })
    .onConflict((oc) => oc.columns(['meetup_id', 'user_id']).doUpdateSet({ status: 'not_going', updated_at: p.stamp, withdrawn_at: p.withdrawn_at })),
)

/**
 * Promotes waitlisted parties that fit, in order (see the rule above). Runs inside the
 * transaction that freed the seats, after the lock; returns the new seats taken and who moved up.
 */
async function promoteWaitlist(trx: Transaction<Database>, meetup: MeetupRow, seatsTaken: number, now: string): Promise<{ seatsTaken: number; promoted: number[] }> {
  const waiting = await waitlistOf(trx, { meetupId: meetup.id })
  const promoted: number[] = []
  let seats = seatsTaken
  for (const entry of waiting) {
    if (meetup.capacity !== null && seats >= meetup.capacity) break
    if (!fits(meetup, seats, entry.party_size)) continue
    await seatGiven(trx, { id: entry.id, now })
    seats += entry.party_size
    promoted.push(entry.user_id)
  }
  return { seatsTaken: seats, promoted }
}

async function saveSeats(trx: Transaction<Database>, meetupId: number, seatsTaken: number): Promise<void> {
  await seatsOf(trx, { meetupId, seatsTaken })
}

/** Tells the people who just got a seat, in the transaction that gave it to them. */
export async function noticePromoted(trx: Kysely<Database>, meetup: MeetupRow, promoted: number[], now: string): Promise<void> {
  await queueNotice(trx, { kind: 'rsvpPromoted', meetup }, promoted, `m${meetup.id}:r${meetup.rsvp_version}`, now)
}

// Every reply that lands on the waitlist asks it (and the meetup page, for the person's own place).
const aheadInLine = compiledOnce((db, p: { meetupId: number; seq: number; id: number }) =>
  db
    .selectFrom('rsvps')
    .select((eb) => eb.fn.countAll<number>().as('ahead'))
    .where('meetup_id', '=', p.meetupId)
    .where('status', '=', 'waitlisted')
    .where((eb) => eb.or([eb('seq', '<', p.seq), eb.and([eb('seq', '=', p.seq), eb('id', '<', p.id)])])),
)

export async function waitlistPosition(db: Kysely<Database>, meetupId: number, rsvp: Pick<RsvpRow, 'seq' | 'id'>): Promise<number> {
  const [row] = await aheadInLine(db, { meetupId, seq: rsvp.seq, id: rsvp.id })
  return Number(row!.ahead) + 1
}

/** The answers to the meetup's questions sent with a reply (meetups.schemas.ts readAnswers): saved with it. */
export interface RsvpAnswers {
  questions: readonly MeetupQuestion[]
  values: ReadonlyMap<number, string>
}

/** What a read before the lock saw: the meetup, the person's reply so far, whether they hear by email. */
export type ReplySeen = Pick<MeetupRow, 'state' | 'starts_at' | 'rsvp_opens_at' | 'rsvp_closes_at' | 'capacity' | 'seats_taken' | 'max_party_size'> &
  Pick<{ [K in keyof RsvpRow]: RsvpRow[K] | null }, 'status' | 'party_size' | 'seq'> & { rsvp_id: number | null; hears: boolean }

/**
 * "I'm going, with this many people": a seat if the party fits, else the end of the waitlist.
 * `seen`: the route's own read of the meetup with this person's reply (meetups.queries.ts
 * findMeetupToReply), so it is not read again; `answers` are saved in the reply's transaction.
 */
export async function rsvpGoing(db: Kysely<Database>, meetupId: number, userId: number, partySize: number, now: Date, options: { seen?: ReplySeen; answers?: RsvpAnswers } = {}): Promise<RsvpOutcome> {
  const seen = options.seen ?? (await readReply(db, meetupId, userId))
  // Answers to save go the long way: they are written under the lock, with the reply.
  const same = options.answers ? null : await sameAnswerAgain(db, meetupId, { partySize, now }, seen)
  return same ?? repliesTo(db).submit(meetupId, { userId, partySize, now, answers: options.answers, repliedBefore: seen?.rsvp_id != null, hears: seen?.hears })
}

const meetupAndReply = compiledOnce((db, p: { meetupId: number; userId: number }) =>
  db
    .selectFrom('meetups')
    .leftJoin('rsvps', (join) => join.onRef('rsvps.meetup_id', '=', 'meetups.id').on('rsvps.user_id', '=', p.userId))
    .select(['meetups.state', 'meetups.starts_at', 'meetups.rsvp_opens_at', 'meetups.rsvp_closes_at', 'meetups.capacity', 'meetups.seats_taken', 'meetups.max_party_size'])
    .select(['rsvps.id as rsvp_id', 'rsvps.status', 'rsvps.party_size', 'rsvps.seq', mayHearExpression(p.userId, 'rsvps').as('hears')])
    .where('meetups.id', '=', p.meetupId),
)

async function readReply(db: Kysely<Database>, meetupId: number, userId: number): Promise<ReplySeen | undefined> {
  const [row] = await meetupAndReply(db, { meetupId, userId })
  return row && { ...row, hears: Boolean(row.hears) }
}

/**
 * The answer the person has already given, given again (a double tap, a form sent twice, a
 * reload that re-posts): nothing would change, so it is answered from one read, without the
 * meetup's lock or a write, and so without queueing behind a rush of other replies. The read
 * is one statement, so one snapshot: the answer is the one the long way would have given at
 * that moment, refusals included (a cancelled meetup, replies closed). A waiting party that
 * would fit now goes the long way, which seats it. Anything else (a new party size, a first
 * reply, back from "not going") returns null.
 */
async function sameAnswerAgain(db: Kysely<Database>, meetupId: number, { partySize, now }: Pick<GoingReply, 'partySize' | 'now'>, row: ReplySeen | undefined): Promise<RsvpOutcome | null> {
  if (!row || row.rsvp_id === null || row.seq === null || row.party_size !== partySize || partySize > row.max_party_size) return null
  if (row.status === 'going') {
    assertOpen(row, now)
    return { status: 'going' }
  }
  if (row.status !== 'waitlisted' || fits(row, row.seats_taken, partySize)) return null
  assertOpen(row, now)
  const position = await waitlistPosition(db, meetupId, { seq: row.seq, id: row.rsvp_id })
  return { status: 'waitlisted', position, seatsLeft: row.capacity === null ? null : row.capacity - row.seats_taken }
}

interface GoingReply {
  userId: number
  partySize: number
  now: Date
  answers?: RsvpAnswers | undefined
  /**
   * The read before the lock found a reply of theirs: it goes the long way, which reads the row
   * under the lock (and is right even if the row has gone since). False or undefined is no
   * promise (a reply may have landed since), so the lock's own read asks.
   */
  repliedBefore?: boolean
  /** Whether they hear about it by email, as read before the lock; undefined: asked in the batch. */
  hears?: boolean | undefined
}

/**
 * A rush of replies to one meetup (a thousand people the moment it is announced) would take
 * its lock once each, and every round trip to the database made while holding it is time the
 * whole queue waits. So the replies that reach this process while the meetup's lock is busy
 * are answered together, in arrival order, under one lock (src/lib/keyed-batches.ts). One
 * batcher per database, since tests run several apps in one process.
 */
const batchers = new WeakMap<Kysely<Database>, KeyedBatches<number, GoingReply, RsvpOutcome>>()
const MOST_REPLIES_AT_ONCE = 200

function repliesTo(db: Kysely<Database>): KeyedBatches<number, GoingReply, RsvpOutcome> {
  let batcher = batchers.get(db)
  if (!batcher) {
    batcher = new KeyedBatches<number, GoingReply, RsvpOutcome>((meetupId, replies) => answerTogether(db, meetupId, replies), MOST_REPLIES_AT_ONCE)
    batchers.set(db, batcher)
  }
  return batcher
}

/**
 * Answers replies in the order they came, under one lock, and exactly as one at a time
 * would. A first reply (the common case, and all of a rush) is decided in memory from the
 * seats and the queue as the lock found them, and written with the others in a few
 * statements: the lock is held for about as many round trips as one reply took before. A
 * reply from someone who has answered before goes the long way (rsvpGoingIn), after what
 * was decided so far is written. A refusal (party too big, replies closed) answers only its
 * own reply; any other error fails the batch, and each request sees it.
 */
async function answerTogether(db: Kysely<Database>, meetupId: number, replies: GoingReply[]): Promise<(RsvpOutcome | RefusedError)[]> {
  return db.transaction().execute(async (trx) => {
    // Asked before the lock (on the transaction's own connection, not another wait for the
    // pool): whose address and switches let them hear about their reply.
    // Whoever the route's first read already answered for is not asked again.
    const unasked = replies.filter((r) => r.hears === undefined).map((r) => r.userId)
    const asked = unasked.length ? await whoMayHear(trx, 'rsvpGoing', unasked) : new Set<number>()
    const hears = (reply: GoingReply) => reply.hears ?? asked.has(reply.userId)
    let meetup = await lockExistingMeetup(trx, meetupId)
    const unsure = replies.filter((r) => !r.repliedBefore).map((r) => r.userId)
    const answeredBefore = new Set([...replies.filter((r) => r.repliedBefore).map((r) => r.userId), ...(unsure.length ? await usersWhoReplied(trx, meetupId, unsure) : [])])
    let seats = meetup.seats_taken
    let version = meetup.rsvp_version
    let waiting: number | null = null
    let rows: Insertable<RsvpsTable>[] = []
    let notices: { notice: Notice; userId: number; cause: string }[] = []
    const write = async () => {
      if (!rows.length) return
      await trx.insertInto('rsvps').values(rows).execute()
      await seatsAndVersion(trx, { meetupId, seatsTaken: seats, version })
      if (notices.length) await queueEachNotice(trx, notices, rows[0]!.created_at)
      rows = []
      notices = []
    }
    const outcomes: (RsvpOutcome | RefusedError)[] = []
    for (const reply of replies) {
      try {
        if (answeredBefore.has(reply.userId)) {
          await write()
          // Under the lock this batch holds: its place in line, if it needs a new one, is the
          // next version, as for a first reply. The long way writes seats and version itself.
          version += 1
          meetup = { ...meetup, seats_taken: seats, rsvp_version: version }
          const answer = await rsvpGoingIn(trx, meetup, reply, hears(reply))
          await saveAnswers(trx, meetupId, reply)
          outcomes.push(answer.outcome)
          seats = answer.seatsTaken
          meetup = { ...meetup, seats_taken: seats }
          waiting = null
          continue
        }
        assertOpen(meetup, reply.now)
        if (reply.partySize < 1 || reply.partySize > meetup.max_party_size) throw new RefusedError('rsvp.refused.partySize', { count: String(meetup.max_party_size) })
      } catch (error) {
        if (!(error instanceof RefusedError)) throw error
        outcomes.push(error)
        continue
      }
      // A first reply: its place in line is the next version of the meetup, as rsvpGoingIn gives.
      version += 1
      const stamp = reply.now.toISOString()
      const cause = `m${meetupId}:r${version}`
      const seated = fits(meetup, seats, reply.partySize)
      rows.push({ meetup_id: meetupId, user_id: reply.userId, status: seated ? 'going' : 'waitlisted', party_size: reply.partySize, seq: version, created_at: stamp, updated_at: stamp })
      answeredBefore.add(reply.userId)
      if (seated) {
        seats += reply.partySize
        if (hears(reply)) notices.push({ notice: { kind: 'rsvpGoing', meetup }, userId: reply.userId, cause })
        outcomes.push({ status: 'going' })
      } else {
        waiting = (waiting ?? (await countWaiting(trx, meetupId))) + 1
        if (hears(reply)) notices.push({ notice: { kind: 'rsvpWaitlisted', meetup, position: waiting }, userId: reply.userId, cause })
        outcomes.push({ status: 'waitlisted', position: waiting, seatsLeft: meetup.capacity === null ? null : meetup.capacity - seats })
      }
      await saveAnswers(trx, meetupId, reply)
    }
    await write()
    return outcomes
  })
}

/** A reply's answers, in its transaction once it is taken (a refused reply saves none). */
async function saveAnswers(trx: Transaction<Database>, meetupId: number, reply: GoingReply): Promise<void> {
  if (reply.answers) await saveMyAnswers(trx, meetupId, reply.answers.questions, reply.userId, reply.answers.values, reply.now.toISOString())
}

/**
 * One reply, the long way: for someone who has answered before (a new party size, back from
 * "not going"). `meetup` is as the caller's lock left it, its rsvp_version the reply's place in
 * line; returns the answer and the seats taken after it, both written (with the version).
 */
async function rsvpGoingIn(trx: Transaction<Database>, meetup: MeetupRow, { userId, partySize, now }: GoingReply, hears: boolean): Promise<{ outcome: RsvpOutcome; seatsTaken: number }> {
  const meetupId = meetup.id
  const stamp = now.toISOString()
  assertOpen(meetup, now)
  if (partySize < 1 || partySize > meetup.max_party_size) throw new RefusedError('rsvp.refused.partySize', { count: String(meetup.max_party_size) })
  const existing = await findRsvp(trx, meetupId, userId)
  const heldBefore = existing?.status === 'going' ? existing.party_size : 0
  const seatsWithoutMe = meetup.seats_taken - heldBefore
  const seated = fits(meetup, seatsWithoutMe, partySize)
  if (existing?.status === 'going' && !seated) {
    // Growing a party past the seats left would give up a seat already held: refuse instead.
    throw new RefusedError('rsvp.refused.partyTooBig', { count: String((meetup.capacity ?? 0) - seatsWithoutMe) })
  }
  const status = seated ? 'going' : 'waitlisted'
  // A person already waiting keeps their place; anyone else is served in lock order.
  const seq = existing?.status === 'waitlisted' || existing?.status === 'going' ? existing.seq : meetup.rsvp_version
  const [row] = await upsertGoing(trx, { meetupId, userId, status, party_size: partySize, seq, created_at: stamp, updated_at: stamp })
  let seats = seatsWithoutMe + (seated ? partySize : 0)
  // A smaller party frees seats for those waiting.
  if (heldBefore > partySize) {
    const promotion = await promoteWaitlist(trx, meetup, seats, stamp)
    seats = promotion.seatsTaken
    await noticePromoted(trx, meetup, promotion.promoted, stamp)
  }
  await seatsAndVersion(trx, { meetupId, seatsTaken: seats, version: meetup.rsvp_version })
  const cause = `m${meetupId}:r${meetup.rsvp_version}`
  // Whether they hear was asked before the lock, as for a first reply (answerTogether).
  if (status === 'going' && existing?.status !== 'going' && hears) await queueEachNotice(trx, [{ notice: { kind: 'rsvpGoing', meetup }, userId, cause }], stamp)
  const position = status === 'waitlisted' ? await waitlistPosition(trx, meetupId, row!) : 0
  if (status === 'waitlisted' && existing?.status !== 'waitlisted' && hears) await queueEachNotice(trx, [{ notice: { kind: 'rsvpWaitlisted', meetup, position }, userId, cause }], stamp)
  if (status === 'going') return { outcome: { status: 'going' }, seatsTaken: seats }
  return { outcome: { status: 'waitlisted', position, seatsLeft: meetup.capacity === null ? null : meetup.capacity - seats }, seatsTaken: seats }
}

/**
 * "I'm not going" (or no longer): frees any seat, and promotes from the waitlist at once. What
 * they told the hosts goes too, in the same transaction: it was for coming (issue 22).
 * `hears`: whether they hear about it by email, if a read before the lock already asked.
 */
export async function rsvpNotGoing(db: Kysely<Database>, meetupId: number, userId: number, now: Date, options: { hears?: boolean } = {}): Promise<number[]> {
  const stamp = now.toISOString()
  return db.transaction().execute(async (trx) => {
    const meetup = await lockExistingMeetup(trx, meetupId)
    if (meetup.state === 'cancelled') throw new RefusedError('rsvp.refused.cancelled')
    const existing = await findRsvp(trx, meetupId, userId)
    // Someone who had a seat got an invite: their calendar keeps the meetup, CANCELLED, and
    // they get the cancellation by email (kept for 30 days like every other cancellation).
    const withdrawn = existing?.status === 'going' ? stamp : (existing?.withdrawn_at ?? null)
    await upsertNotGoing(trx, { meetupId, userId, party_size: existing?.party_size ?? 1, seq: existing?.seq ?? meetup.rsvp_version, withdrawn_at: withdrawn, stamp })
    // The count came with the lock, so it is the questions as they are now.
    if (meetup.question_count > 0) await deleteMyAnswers(trx, meetupId, userId)
    if (existing?.status !== 'going') return []
    const cause = `m${meetupId}:r${meetup.rsvp_version}`
    if (options.hears === undefined) await queueNotice(trx, { kind: 'rsvpWithdrawn', meetup }, [userId], cause, stamp)
    else if (options.hears) await queueEachNotice(trx, [{ notice: { kind: 'rsvpWithdrawn', meetup }, userId, cause }], stamp)
    // Once it has started, a seat given up is not offered to anyone: who was there stays true.
    if (meetup.starts_at <= stamp) {
      await saveSeats(trx, meetupId, meetup.seats_taken - existing.party_size)
      return []
    }
    const { seatsTaken, promoted } = await promoteWaitlist(trx, meetup, meetup.seats_taken - existing.party_size, stamp)
    await saveSeats(trx, meetupId, seatsTaken)
    await noticePromoted(trx, meetup, promoted, stamp)
    return promoted
  })
}

/**
 * Changes the number of seats. Fewer seats than are already taken is refused (nobody
 * loses a seat they were given); more seats promote from the waitlist at once. Returns the
 * meetup as it was and who was promoted: the caller tells them once its edit is written.
 */
export async function changeCapacity(trx: Transaction<Database>, meetupId: number, capacity: number | null, now: Date): Promise<{ before: MeetupRow; promoted: number[] }> {
  const meetup = await lockExistingMeetup(trx, meetupId)
  if (capacity !== null && capacity < meetup.seats_taken) throw new RefusedError('meetup.refused.capacityBelowTaken', { count: String(meetup.seats_taken) })
  await trx.updateTable('meetups').set({ capacity }).where('id', '=', meetupId).execute()
  if (meetup.state === 'cancelled') return { before: meetup, promoted: [] }
  const { seatsTaken, promoted } = await promoteWaitlist(trx, { ...meetup, capacity }, meetup.seats_taken, now.toISOString())
  await saveSeats(trx, meetupId, seatsTaken)
  return { before: meetup, promoted }
}

/**
 * Someone is leaving the site (accounts/erasure.service.ts): their RSVP goes, in the caller's
 * transaction. A seat they held is freed and offered to the waitlist exactly as if they had
 * said "not going" (those promoted are emailed); nobody emails them, they are gone. A meetup
 * that has started keeps who was there, less them; a cancelled one just loses the row.
 */
export async function removeLeaversRsvp(trx: Transaction<Database>, meetupId: number, userId: number, now: Date): Promise<void> {
  const stamp = now.toISOString()
  const meetup = await lockExistingMeetup(trx, meetupId)
  const existing = await findRsvp(trx, meetupId, userId)
  if (!existing) return
  await trx.deleteFrom('rsvps').where('id', '=', existing.id).execute()
  if (existing.status !== 'going' || meetup.state === 'cancelled') return
  const seatsLeftBehind = meetup.seats_taken - existing.party_size
  if (meetup.starts_at <= stamp) return saveSeats(trx, meetupId, seatsLeftBehind)
  const { seatsTaken, promoted } = await promoteWaitlist(trx, meetup, seatsLeftBehind, stamp)
  await saveSeats(trx, meetupId, seatsTaken)
  await noticePromoted(trx, meetup, promoted, stamp)
}
