// Meetups, their hosts and who is coming. Kysely only, db first.
import type { Kysely } from 'kysely'
import { compiledOnce } from '../../db/compiled-once.js'
import type { Database, MeetupRow, RsvpRow, RsvpStatus } from '../../db/database.js'
import { mayHearExpression } from '../notices/outbox.queries.js'

// The hot reads (every meetup page, every RSVP, every community page) are built once
// (src/db/compiled-once.ts).
const meetupBySlug = compiledOnce((db, p: { slug: string }) => db.selectFrom('meetups').selectAll().where('slug', '=', p.slug))

export async function findMeetupBySlug(db: Kysely<Database>, slug: string): Promise<MeetupRow | undefined> {
  return (await meetupBySlug(db, { slug }))[0]
}

export async function isMeetupSlugTaken(db: Kysely<Database>, slug: string): Promise<boolean> {
  return (await db.selectFrom('meetups').select('id').where('slug', '=', slug).executeTakeFirst()) !== undefined
}

export type MeetupListItem = Pick<MeetupRow, 'slug' | 'title' | 'starts_at' | 'time_zone' | 'venue_name' | 'capacity' | 'seats_taken' | 'state'>

const LIST_COLUMNS = ['slug', 'title', 'starts_at', 'time_zone', 'venue_name', 'capacity', 'seats_taken', 'state'] as const

/** Meetups not yet over, soonest first; optionally those of one community or event. */
export async function listUpcomingMeetups(db: Kysely<Database>, now: Date, where: { communityId?: number; eventId?: number } = {}): Promise<MeetupListItem[]> {
  const at = now.toISOString()
  if (where.communityId !== undefined && where.eventId === undefined) return upcomingOfCommunity(db, { now: at, communityId: where.communityId })
  if (where.eventId !== undefined && where.communityId === undefined) return upcomingOfEvent(db, { now: at, eventId: where.eventId })
  let query = upcoming(db, at)
  if (where.communityId !== undefined) query = query.where('community_id', '=', where.communityId)
  if (where.eventId !== undefined) query = query.where('event_id', '=', where.eventId).where('event_approved', '=', 1)
  return query.execute()
}

// The home page's "Coming up": the next meetups that have not started, none cancelled (a range
// on meetups_starts_at_idx, however many meetups are past).
const nextMeetups = compiledOnce((db, p: { now: string; limit: number }) =>
  db.selectFrom('meetups').select(LIST_COLUMNS).where('starts_at', '>', p.now).where('hidden_at', 'is', null).where('state', '!=', 'cancelled').orderBy('starts_at').orderBy('id').limit(p.limit),
)

/** Up to `limit` meetups anyone may see that have not started yet, soonest first. */
export async function listNextMeetups(db: Kysely<Database>, now: Date, limit: number): Promise<MeetupListItem[]> {
  return nextMeetups(db, { now: now.toISOString(), limit })
}

// Hidden by a moderator or a suspension: gone from every list (issue 20).
const upcoming = (db: Kysely<Database>, now: string) => db.selectFrom('meetups').select(LIST_COLUMNS).where('ends_at', '>', now).where('hidden_at', 'is', null).orderBy('starts_at')
const upcomingOfCommunity = compiledOnce((db, p: { now: string; communityId: number }) => upcoming(db, p.now).where('community_id', '=', p.communityId))
// On an event's page only once one of its organisers approved listing it there.
const upcomingOfEvent = compiledOnce((db, p: { now: string; eventId: number }) => upcoming(db, p.now).where('event_id', '=', p.eventId).where('event_approved', '=', 1))

/** Meetups someone asked to list on this event, waiting for one of its organisers. */
export async function listMeetupsAwaitingApproval(db: Kysely<Database>, eventId: number): Promise<Pick<MeetupRow, 'id' | 'slug' | 'title'>[]> {
  return db.selectFrom('meetups').select(['id', 'slug', 'title']).where('event_id', '=', eventId).where('event_approved', '=', 0).where('hidden_at', 'is', null).orderBy('id').execute()
}

/** An organiser's answer: listed on the event, or not tied to it at all. */
export async function decideEventListing(db: Kysely<Database>, eventId: number, meetupId: number, approve: boolean, stamp: string): Promise<boolean> {
  const result = await db
    .updateTable('meetups')
    .set(approve ? { event_approved: 1, updated_at: stamp } : { event_id: null, event_approved: 1, updated_at: stamp })
    .where('id', '=', meetupId)
    .where('event_id', '=', eventId)
    .where('event_approved', '=', 0)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

const hostRow = compiledOnce((db, p: { meetupId: number; userId: number }) => db.selectFrom('meetup_hosts').select('user_id').where('meetup_id', '=', p.meetupId).where('user_id', '=', p.userId))

export async function isMeetupHost(db: Kysely<Database>, meetupId: number, userId: number): Promise<boolean> {
  return (await hostRow(db, { meetupId, userId })).length > 0
}

export async function addMeetupHost(db: Kysely<Database>, meetupId: number, userId: number): Promise<void> {
  await db.insertInto('meetup_hosts').values({ meetup_id: meetupId, user_id: userId }).onConflict((oc) => oc.columns(['meetup_id', 'user_id']).doNothing()).execute()
}

const hostsOf = compiledOnce((db, p: { meetupId: number }) =>
  db.selectFrom('meetup_hosts as h').innerJoin('users as u', 'u.id', 'h.user_id').select(['u.id', 'u.display_name', 'u.handle']).where('h.meetup_id', '=', p.meetupId).orderBy('u.display_name'),
)

export async function listMeetupHosts(db: Kysely<Database>, meetupId: number): Promise<{ id: number; display_name: string; handle: string | null }[]> {
  return hostsOf(db, { meetupId })
}

const myRsvp = compiledOnce((db, p: { meetupId: number; userId: number }) => db.selectFrom('rsvps').selectAll().where('meetup_id', '=', p.meetupId).where('user_id', '=', p.userId))

export async function findMyRsvp(db: Kysely<Database>, meetupId: number, userId: number): Promise<RsvpRow | undefined> {
  return (await myRsvp(db, { meetupId, userId }))[0]
}

export interface AttendeeRow {
  user_id: number
  display_name: string
  handle: string | null
  status: RsvpStatus
  party_size: number
  hide_name: boolean
  seq: number
  updated_at: string
}

const attendeesOf = compiledOnce((db, p: { meetupId: number }) =>
  db
    .selectFrom('rsvps as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['r.user_id', 'u.display_name', 'u.handle', 'r.status', 'r.party_size', 'r.hide_name', 'r.seq', 'r.updated_at'])
    .where('r.meetup_id', '=', p.meetupId)
    .where('r.status', '!=', 'not_going')
    .orderBy('r.status')
    .orderBy('r.seq')
    .orderBy('r.id'),
)

/** Everyone who answered, going first, then the waitlist in order. Never their email. */
export async function listAttendees(db: Kysely<Database>, meetupId: number): Promise<AttendeeRow[]> {
  const rows = await attendeesOf(db, { meetupId })
  return rows.map((row) => ({ ...row, hide_name: row.hide_name === 1 }))
}

export async function setHideName(db: Kysely<Database>, meetupId: number, userId: number, hide: boolean): Promise<void> {
  await db.updateTable('rsvps').set({ hide_name: hide ? 1 : 0 }).where('meetup_id', '=', meetupId).where('user_id', '=', userId).execute()
}

/** Who has this RSVP status: the recipients of a notice about the meetup. */
export async function rsvpUserIds(db: Kysely<Database>, meetupId: number, status: RsvpStatus): Promise<number[]> {
  const rows = await db.selectFrom('rsvps').select('user_id').where('meetup_id', '=', meetupId).where('status', '=', status).execute()
  return rows.map((r) => r.user_id)
}

/**
 * The per-meetup lock every change to its seats takes first: bumping rsvp_version row-locks the
 * meetup (PostgreSQL) inside the write transaction (SQLite), so replies, cancellations and a
 * deletion never interleave. Returns the meetup as it is now, or undefined when it is gone.
 */
export async function lockMeetup(db: Kysely<Database>, meetupId: number): Promise<MeetupRow | undefined> {
  return (await lockOf(db, { meetupId }))[0]
}

// Every change of seats takes it, so it is built once (src/db/compiled-once.ts).
const lockOf = compiledOnce((db, p: { meetupId: number }) =>
  db
    .updateTable('meetups')
    .set((eb) => ({ rsvp_version: eb('rsvp_version', '+', 1) }))
    .where('id', '=', p.meetupId)
    .returningAll(),
)

/** The meetup as an RSVP's first read sees it, with the person's own reply (nulls: none yet). */
export type MeetupToReply = MeetupRow & {
  rsvp_id: number | null
  status: RsvpStatus | null
  party_size: number | null
  seq: number | null
  /** Whether news of their reply may be emailed to them (notices/outbox.queries.ts mayHearExpression). */
  hears: boolean
}

const meetupToReply = compiledOnce((db, p: { slug: string; userId: number }) =>
  db
    .selectFrom('meetups')
    .leftJoin('rsvps', (join) => join.onRef('rsvps.meetup_id', '=', 'meetups.id').on('rsvps.user_id', '=', p.userId))
    .selectAll('meetups')
    .select(['rsvps.id as rsvp_id', 'rsvps.status', 'rsvps.party_size', 'rsvps.seq', mayHearExpression(p.userId, 'rsvps').as('hears')])
    .where('meetups.slug', '=', p.slug),
)

/**
 * An RSVP's one read before the meetup's lock: the meetup, the person's reply so far, and
 * whether they hear about their reply by email. What it says of the reply is a hint the
 * lock's own reads confirm (rsvps.service.ts); the meetup row is what the route checks.
 */
export async function findMeetupToReply(db: Kysely<Database>, slug: string, userId: number): Promise<MeetupToReply | undefined> {
  const [row] = await meetupToReply(db, { slug, userId })
  return row && { ...row, hears: Boolean(row.hears) }
}
