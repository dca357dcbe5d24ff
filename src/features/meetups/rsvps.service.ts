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
import type { Kysely, Transaction } from 'kysely'
import type { Database, MeetupRow, RsvpRow } from '../../db/database.js'
import { RefusedError } from '../../lib/http-errors.js'
import { queueNotice } from '../notices/queue.js'
import { lockMeetup } from './meetups.queries.js'

/** `seatsLeft` on the waitlist: seats free but fewer than the party (null: no limit). */
export type RsvpOutcome = { status: 'going' } | { status: 'waitlisted'; position: number; seatsLeft: number | null } | { status: 'not_going' }

/** Takes the per-meetup lock (meetups.queries.ts) and returns the meetup as it is now. */
async function lockExistingMeetup(trx: Transaction<Database>, meetupId: number): Promise<MeetupRow> {
  const meetup = await lockMeetup(trx, meetupId)
  if (!meetup) throw new RefusedError('rsvp.refused.missing')
  return meetup
}

function assertOpen(meetup: MeetupRow, now: Date): void {
  const at = now.toISOString()
  if (meetup.state === 'cancelled') throw new RefusedError('rsvp.refused.cancelled')
  if (meetup.starts_at <= at) throw new RefusedError('rsvp.refused.past')
  if (meetup.rsvp_opens_at && at < meetup.rsvp_opens_at) throw new RefusedError('rsvp.refused.notOpen')
  if (meetup.rsvp_closes_at && at >= meetup.rsvp_closes_at) throw new RefusedError('rsvp.refused.closed')
}

function fits(meetup: Pick<MeetupRow, 'capacity'>, seatsTaken: number, party: number): boolean {
  return meetup.capacity === null || seatsTaken + party <= meetup.capacity
}

async function findRsvp(trx: Transaction<Database>, meetupId: number, userId: number): Promise<RsvpRow | undefined> {
  return trx.selectFrom('rsvps').selectAll().where('meetup_id', '=', meetupId).where('user_id', '=', userId).executeTakeFirst()
}

/**
 * Promotes waitlisted parties that fit, in order (see the rule above). Runs inside the
 * transaction that freed the seats, after the lock; returns the new seats taken and who moved up.
 */
async function promoteWaitlist(trx: Transaction<Database>, meetup: MeetupRow, seatsTaken: number, now: string): Promise<{ seatsTaken: number; promoted: number[] }> {
  const waiting = await trx
    .selectFrom('rsvps')
    .select(['id', 'user_id', 'party_size'])
    .where('meetup_id', '=', meetup.id)
    .where('status', '=', 'waitlisted')
    .orderBy('seq')
    .orderBy('id')
    .execute()
  const promoted: number[] = []
  let seats = seatsTaken
  for (const entry of waiting) {
    if (meetup.capacity !== null && seats >= meetup.capacity) break
    if (!fits(meetup, seats, entry.party_size)) continue
    await trx.updateTable('rsvps').set({ status: 'going', updated_at: now }).where('id', '=', entry.id).execute()
    seats += entry.party_size
    promoted.push(entry.user_id)
  }
  return { seatsTaken: seats, promoted }
}

async function saveSeats(trx: Transaction<Database>, meetupId: number, seatsTaken: number): Promise<void> {
  await trx.updateTable('meetups').set({ seats_taken: seatsTaken }).where('id', '=', meetupId).execute()
}

/** Tells the people who just got a seat, in the transaction that gave it to them. */
export async function noticePromoted(trx: Kysely<Database>, meetup: MeetupRow, promoted: number[], now: string): Promise<void> {
  await queueNotice(trx, { kind: 'rsvpPromoted', meetup }, promoted, `m${meetup.id}:r${meetup.rsvp_version}`, now)
}

export async function waitlistPosition(db: Kysely<Database>, meetupId: number, rsvp: Pick<RsvpRow, 'seq' | 'id'>): Promise<number> {
  const row = await db
    .selectFrom('rsvps')
    .select((eb) => eb.fn.countAll<number>().as('ahead'))
    .where('meetup_id', '=', meetupId)
    .where('status', '=', 'waitlisted')
    .where((eb) => eb.or([eb('seq', '<', rsvp.seq), eb.and([eb('seq', '=', rsvp.seq), eb('id', '<', rsvp.id)])]))
    .executeTakeFirstOrThrow()
  return Number(row.ahead) + 1
}

/** "I'm going, with this many people": a seat if the party fits, else the end of the waitlist. */
export async function rsvpGoing(db: Kysely<Database>, meetupId: number, userId: number, partySize: number, now: Date): Promise<RsvpOutcome> {
  const stamp = now.toISOString()
  const saved = await db.transaction().execute(async (trx) => {
    const meetup = await lockExistingMeetup(trx, meetupId)
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
    const row = await trx
      .insertInto('rsvps')
      .values({ meetup_id: meetupId, user_id: userId, status, party_size: partySize, seq, created_at: stamp, updated_at: stamp })
      .onConflict((oc) => oc.columns(['meetup_id', 'user_id']).doUpdateSet({ status, party_size: partySize, seq, updated_at: stamp, withdrawn_at: null }))
      .returningAll()
      .executeTakeFirstOrThrow()
    let seats = seatsWithoutMe + (seated ? partySize : 0)
    // A smaller party frees seats for those waiting.
    if (heldBefore > partySize) {
      const promotion = await promoteWaitlist(trx, meetup, seats, stamp)
      seats = promotion.seatsTaken
      await noticePromoted(trx, meetup, promotion.promoted, stamp)
    }
    await saveSeats(trx, meetupId, seats)
    const cause = `m${meetupId}:r${meetup.rsvp_version}`
    if (status === 'going' && existing?.status !== 'going') await queueNotice(trx, { kind: 'rsvpGoing', meetup }, [userId], cause, stamp)
    const position = status === 'waitlisted' ? await waitlistPosition(trx, meetupId, row) : 0
    if (status === 'waitlisted' && existing?.status !== 'waitlisted') await queueNotice(trx, { kind: 'rsvpWaitlisted', meetup, position }, [userId], cause, stamp)
    return { row, position, seatsLeft: meetup.capacity === null ? null : meetup.capacity - seats }
  })
  if (saved.row.status === 'going') return { status: 'going' }
  return { status: 'waitlisted', position: saved.position, seatsLeft: saved.seatsLeft }
}

/** "I'm not going" (or no longer): frees any seat, and promotes from the waitlist at once. */
export async function rsvpNotGoing(db: Kysely<Database>, meetupId: number, userId: number, now: Date): Promise<number[]> {
  const stamp = now.toISOString()
  return db.transaction().execute(async (trx) => {
    const meetup = await lockExistingMeetup(trx, meetupId)
    if (meetup.state === 'cancelled') throw new RefusedError('rsvp.refused.cancelled')
    const existing = await findRsvp(trx, meetupId, userId)
    // Someone who had a seat got an invite: their calendar keeps the meetup, CANCELLED, and
    // they get the cancellation by email (kept for 30 days like every other cancellation).
    const withdrawn = existing?.status === 'going' ? stamp : (existing?.withdrawn_at ?? null)
    await trx
      .insertInto('rsvps')
      .values({ meetup_id: meetupId, user_id: userId, status: 'not_going', party_size: existing?.party_size ?? 1, seq: existing?.seq ?? meetup.rsvp_version, created_at: stamp, updated_at: stamp, withdrawn_at: withdrawn })
      .onConflict((oc) => oc.columns(['meetup_id', 'user_id']).doUpdateSet({ status: 'not_going', updated_at: stamp, withdrawn_at: withdrawn }))
      .execute()
    if (existing?.status !== 'going') return []
    await queueNotice(trx, { kind: 'rsvpWithdrawn', meetup }, [userId], `m${meetupId}:r${meetup.rsvp_version}`, stamp)
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
