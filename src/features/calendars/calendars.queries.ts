// What goes into calendars: sessions, meetups and chats, each list one query, plus the
// personal-feed tokens. Kysely only, db first.
import type { Kysely } from 'kysely'
import type { ChatExceptionRow, ChatScheduleRow, CommunityRow, Database, MeetupRow } from '../../db/database.js'
import { myProposalIds } from '../schedule/stars.queries.js'

export interface SessionRow {
  proposal_id: number
  title: string
  description: string
  format: string
  event_slug: string
  event_name: string
  venue_name: string
  room_id: number
  room: string
  starts_at: string
  ends_at: string
  sequence: number
  cancelled_at: string | null
  /** The latest change to anything shown: the entry, the proposal, the slot, the room. */
  entry_updated: string
  proposal_updated: string
  slot_updated: string
  room_updated: string
  event_updated: string
}

function sessions(db: Kysely<Database>) {
  return db
    .selectFrom('schedule_entries as e')
    .innerJoin('proposals as p', 'p.id', 'e.proposal_id')
    .innerJoin('events as ev', 'ev.id', 'e.event_id')
    .innerJoin('slots as s', 's.id', 'e.slot_id')
    .innerJoin('rooms as r', 'r.id', 'e.room_id')
    .select([
      'p.id as proposal_id',
      'p.title',
      'p.description',
      'p.format',
      'ev.slug as event_slug',
      'ev.name as event_name',
      'ev.venue_name',
      'r.id as room_id',
      'r.name as room',
      's.starts_at',
      's.ends_at',
      'e.sequence',
      'e.cancelled_at',
      'e.updated_at as entry_updated',
      'p.updated_at as proposal_updated',
      's.updated_at as slot_updated',
      'r.updated_at as room_updated',
      'ev.updated_at as event_updated',
    ])
    .where('ev.schedule_published_at', 'is not', null)
    // An event taken back to draft is gone for everyone but its organisers, feeds included.
    .where('ev.phase', '!=', 'draft')
    // So is a hidden session (issue 20).
    .where('p.hidden_at', 'is', null)
}

/** An event's sessions: live ones, and ones cancelled since `since` (kept so calendars hear of it). */
export async function eventSessions(db: Kysely<Database>, eventId: number, since: string): Promise<SessionRow[]> {
  return sessions(db)
    .where('e.event_id', '=', eventId)
    .where((eb) => eb.or([eb('e.cancelled_at', 'is', null), eb('e.cancelled_at', '>=', since)]))
    .orderBy('s.starts_at')
    .orderBy('p.id')
    .execute()
}

export async function oneSession(db: Kysely<Database>, eventId: number, proposalId: number): Promise<SessionRow | undefined> {
  return sessions(db).where('e.event_id', '=', eventId).where('e.proposal_id', '=', proposalId).executeTakeFirst()
}

/** Some sessions of one event as they are now, cancelled ones included: what a notice of a change says. */
export async function sessionsOfProposals(db: Kysely<Database>, eventId: number, proposalIds: number[]): Promise<SessionRow[]> {
  if (!proposalIds.length) return []
  return sessions(db).where('e.event_id', '=', eventId).where('e.proposal_id', 'in', proposalIds).execute()
}

/** The sessions one person starred or runs, across published events. */
export async function personalSessions(db: Kysely<Database>, userId: number, since: string): Promise<SessionRow[]> {
  return sessions(db)
    .where('e.proposal_id', 'in', myProposalIds(db, userId))
    .where((eb) => eb.or([eb('e.cancelled_at', 'is', null), eb('e.cancelled_at', '>=', since)]))
    .orderBy('s.starts_at')
    .execute()
}

/** A community's meetups ending after `since` (cancelled ones too). */
export async function communityMeetups(db: Kysely<Database>, communityId: number, since: string): Promise<MeetupRow[]> {
  return (
    db
      .selectFrom('meetups')
      .selectAll()
      .where('community_id', '=', communityId)
      .where('ends_at', '>=', since)
      .where('hidden_at', 'is', null)
      // A cancelled meetup cannot be edited, so its updated_at is when it was cancelled.
      .where((eb) => eb.or([eb('state', '!=', 'cancelled'), eb('updated_at', '>=', since)]))
      .orderBy('starts_at')
      .execute()
  )
}

/** How one person stands with a meetup in their own calendar. */
export type PersonalMeetupStatus = 'going' | 'waitlisted' | 'withdrawn' | 'hosting'

export type PersonalMeetup = MeetupRow & { personal_status: PersonalMeetupStatus; personal_updated: string }

/**
 * The meetups in one person's calendar: those they host, those they are going to or waiting
 * for, and those they withdrew from after having a seat (CANCELLED for them, for 30 days).
 * Two queries; a meetup both hosted and replied to appears once, as hosted.
 */
export async function personalMeetups(db: Kysely<Database>, userId: number, since: string): Promise<PersonalMeetup[]> {
  const [hosted, replied] = await Promise.all([
    db
      .selectFrom('meetup_hosts as h')
      .innerJoin('meetups as m', 'm.id', 'h.meetup_id')
      .selectAll('m')
      .where('h.user_id', '=', userId)
      .where('m.ends_at', '>=', since)
      .where('m.hidden_at', 'is', null)
      .execute(),
    db
      .selectFrom('rsvps as v')
      .innerJoin('meetups as m', 'm.id', 'v.meetup_id')
      .selectAll('m')
      .select(['v.status as rsvp_status', 'v.updated_at as rsvp_updated', 'v.withdrawn_at'])
      .where('v.user_id', '=', userId)
      .where((eb) => eb.or([eb('v.status', 'in', ['going', 'waitlisted']), eb('v.withdrawn_at', '>=', since)]))
      .where('m.ends_at', '>=', since)
      .where('m.hidden_at', 'is', null)
      .execute(),
  ])
  const hostedIds = new Set(hosted.map((m) => m.id))
  const mine: PersonalMeetup[] = [
    ...hosted.map((m) => ({ ...m, personal_status: 'hosting' as const, personal_updated: m.updated_at })),
    ...replied
      .filter((m) => !hostedIds.has(m.id))
      .map(({ rsvp_status, rsvp_updated, withdrawn_at, ...m }) => ({
        ...m,
        personal_status: rsvp_status === 'not_going' && withdrawn_at ? ('withdrawn' as const) : (rsvp_status as 'going' | 'waitlisted'),
        personal_updated: rsvp_updated,
      })),
  ]
  return mine.sort((a, b) => a.starts_at.localeCompare(b.starts_at) || a.id - b.id)
}

export interface CommunityChats {
  community: CommunityRow
  /** Stopped (`stopped_at`) when the community switched its chats off: feeds cancel what was to come. */
  schedule: ChatScheduleRow
  exceptions: ChatExceptionRow[]
  /** The topic chosen for a chat, by its date. */
  topics: { chat_date: string; title: string; updated_at: string }[]
}

/** Communities (by id) with their chat schedules, exceptions and chosen topics: four queries for any number. */
export async function chatsOf(db: Kysely<Database>, communityIds: number[]): Promise<CommunityChats[]> {
  if (!communityIds.length) return []
  const [communities, schedules, exceptions, topics] = await Promise.all([
    db.selectFrom('communities').selectAll().where('id', 'in', communityIds).execute(),
    db.selectFrom('chat_schedules').selectAll().where('community_id', 'in', communityIds).execute(),
    db.selectFrom('chat_exceptions').selectAll().where('community_id', 'in', communityIds).execute(),
    db
      .selectFrom('topics')
      .select(['community_id', 'chat_date', 'title', 'updated_at'])
      .where('community_id', 'in', communityIds)
      .where('chat_date', 'is not', null)
      .where('hidden_at', 'is', null)
      .orderBy('id')
      .execute(),
  ])
  const scheduleOf = new Map(schedules.map((s) => [s.community_id, s]))
  return communities
    .filter((c) => scheduleOf.has(c.id))
    .map((community) => ({
      community,
      schedule: scheduleOf.get(community.id)!,
      exceptions: exceptions.filter((e) => e.community_id === community.id),
      topics: topics.filter((t) => t.community_id === community.id).map((t) => ({ chat_date: t.chat_date!, title: t.title, updated_at: t.updated_at })),
    }))
}

export async function memberCommunityIds(db: Kysely<Database>, userId: number): Promise<number[]> {
  return (await db.selectFrom('community_members').select('community_id').where('user_id', '=', userId).execute()).map((r) => r.community_id)
}

export async function findTokenOwner(db: Kysely<Database>, token: string): Promise<number | undefined> {
  return (await db.selectFrom('calendar_tokens').select('user_id').where('token', '=', token).executeTakeFirst())?.user_id
}

export async function findToken(db: Kysely<Database>, userId: number): Promise<string | undefined> {
  return (await db.selectFrom('calendar_tokens').select('token').where('user_id', '=', userId).executeTakeFirst())?.token
}

/** A new token replaces the old one in the same statement: the old URL stops working at once. */
export async function replaceToken(db: Kysely<Database>, userId: number, token: string, stamp: string): Promise<void> {
  await db
    .insertInto('calendar_tokens')
    .values({ user_id: userId, token, created_at: stamp })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ token, created_at: stamp }))
    .execute()
}
