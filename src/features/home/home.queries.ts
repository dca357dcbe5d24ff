// The personal home's reads (/me). Each function is one query that starts from the person's
// own rows (memberships, replies, hosting, proposals) and reaches everything else by index, so
// the page costs the same few queries however many things a person follows: never one per row.
// Kysely only, db first.
import type { Kysely } from 'kysely'
import { compiledOnce } from '../../db/compiled-once.js'
import type { ChatScheduleRow, CommunityRole, Database, MeetupState, ProposalState, RsvpStatus } from '../../db/database.js'
import { utcToZoned } from '../../lib/zoned-time.js'
import { listInvitationsFor } from '../invitations/invitations.queries.js'
import { listAgenda } from '../schedule/stars.queries.js'

export interface MyCommunity {
  id: number
  slug: string
  name: string
  hashtag: string
  time_zone: string
  chat_place: string
  role: CommunityRole
  /** The live chat schedule, or null (none, or switched off). */
  schedule: ChatScheduleRow | null
}

// Memberships on community_members_user_idx; the schedule by its primary key (the community).
const myCommunities = compiledOnce((db, p: { userId: number }) =>
  db
    .selectFrom('community_members as cm')
    .innerJoin('communities as c', 'c.id', 'cm.community_id')
    .leftJoin('chat_schedules as s', (join) => join.onRef('s.community_id', '=', 'c.id').on('s.stopped_at', 'is', null))
    .select([
      'c.id',
      'c.slug',
      'c.name',
      'c.hashtag',
      'c.time_zone',
      'c.chat_place',
      'cm.role',
      's.community_id as s_community_id',
      's.kind as s_kind',
      's.weekday as s_weekday',
      's.interval_weeks as s_interval_weeks',
      's.nth as s_nth',
      's.start_time as s_start_time',
      's.duration_minutes as s_duration_minutes',
      's.starts_on as s_starts_on',
      's.ends_on as s_ends_on',
      's.sequence as s_sequence',
      's.updated_at as s_updated_at',
    ])
    .where('cm.user_id', '=', p.userId)
    .orderBy('c.name')
    .orderBy('c.id'),
)

/** The communities a person belongs to, with each one's chat schedule: one query. */
export async function listMyCommunities(db: Kysely<Database>, userId: number): Promise<MyCommunity[]> {
  const rows = await myCommunities(db, { userId })
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    name: r.name,
    hashtag: r.hashtag,
    time_zone: r.time_zone,
    chat_place: r.chat_place,
    role: r.role,
    schedule:
      r.s_community_id === null || r.s_kind === null
        ? null
        : {
            community_id: r.s_community_id,
            kind: r.s_kind,
            weekday: r.s_weekday!,
            interval_weeks: r.s_interval_weeks!,
            nth: r.s_nth!,
            start_time: r.s_start_time!,
            duration_minutes: r.s_duration_minutes!,
            starts_on: r.s_starts_on!,
            ends_on: r.s_ends_on,
            sequence: r.s_sequence!,
            updated_at: r.s_updated_at!,
            stopped_at: null,
          },
  }))
}

export interface MyChatException {
  community_id: number
  chat_date: string
  kind: 'skip' | 'move'
  moved_to_date: string | null
  moved_to_time: string | null
}

// On chat_exceptions_community_date_uq, one range per community.
const myChatExceptions = compiledOnce((db, p: { userId: number; from: string }) =>
  db
    .selectFrom('chat_exceptions as x')
    .select(['x.community_id', 'x.chat_date', 'x.kind', 'x.moved_to_date', 'x.moved_to_time'])
    .where('x.community_id', 'in', db.selectFrom('community_members').select('community_id').where('user_id', '=', p.userId))
    .where((eb) => eb.or([eb('x.chat_date', '>=', p.from), eb('x.moved_to_date', '>=', p.from)]))
    .orderBy('x.community_id')
    .orderBy('x.chat_date'),
)

/** Skips and moves, from the local date `from` on, of every community the person belongs to. */
export async function listMyChatExceptions(db: Kysely<Database>, userId: number, from: string): Promise<MyChatException[]> {
  return myChatExceptions(db, { userId, from })
}

export interface MyChatTopic {
  id: number
  community_id: number
  chat_date: string
  title: string
}

// On topics_community_idx (community_id, chat_date).
const myChatTopics = compiledOnce((db, p: { userId: number; from: string }) =>
  db
    .selectFrom('topics as t')
    .select(['t.id', 't.community_id', 't.chat_date', 't.title'])
    .where('t.community_id', 'in', db.selectFrom('community_members').select('community_id').where('user_id', '=', p.userId))
    .where('t.chat_date', '>=', p.from)
    // Hidden by a moderator or a suspension: gone from every list (issue 20).
    .where('t.hidden_at', 'is', null)
    .orderBy('t.chat_date')
    .$narrowType<{ chat_date: string }>(),
)

/** The topics given to chats dated `from` on, in the person's communities. */
export async function listMyChatTopics(db: Kysely<Database>, userId: number, from: string): Promise<MyChatTopic[]> {
  return myChatTopics(db, { userId, from })
}

export interface MyMeetupRow {
  slug: string
  title: string
  starts_at: string
  ends_at: string
  time_zone: string
  venue_name: string
  online_url: string | null
  state: MeetupState
  /** null when the person only hosts it. */
  status: Exclude<RsvpStatus, 'not_going'> | null
  hosting: boolean
  /** Their place in the queue (1 = next), when they wait. */
  position: number | null
}

// From the person's replies (rsvps_user_idx) and hosting (meetup_hosts_user_idx); the place in
// the queue is counted inside the query on rsvps_meetup_status_seq_idx.
const myMeetups = compiledOnce((db, p: { userId: number; now: string }) =>
  db
    .selectFrom('meetups as m')
    .leftJoin('rsvps as r', (join) => join.onRef('r.meetup_id', '=', 'm.id').on('r.user_id', '=', p.userId))
    .leftJoin('meetup_hosts as h', (join) => join.onRef('h.meetup_id', '=', 'm.id').on('h.user_id', '=', p.userId))
    .select((eb) => [
      'm.slug',
      'm.title',
      'm.starts_at',
      'm.ends_at',
      'm.time_zone',
      'm.venue_name',
      'm.online_url',
      'm.state',
      'r.status',
      'h.user_id as host_id',
      eb
        .selectFrom('rsvps as w')
        .select((e) => e.fn.countAll<number>().as('ahead'))
        .whereRef('w.meetup_id', '=', 'm.id')
        .where('w.status', '=', 'waitlisted')
        .where((e) => e.or([e('w.seq', '<', e.ref('r.seq')), e.and([e('w.seq', '=', e.ref('r.seq')), e('w.id', '<', e.ref('r.id'))])]))
        .as('ahead'),
    ])
    .where('m.id', 'in', db.selectFrom('rsvps').select('meetup_id').where('user_id', '=', p.userId).where('status', 'in', ['going', 'waitlisted']).union(db.selectFrom('meetup_hosts').select('meetup_id').where('user_id', '=', p.userId)))
    .where('m.ends_at', '>', p.now)
    .where('m.hidden_at', 'is', null)
    .orderBy('m.starts_at')
    .orderBy('m.id'),
)

/** The meetups a person is going to, waits for or hosts, still to come, soonest first. */
export async function listMyUpcomingMeetups(db: Kysely<Database>, userId: number, now: Date): Promise<MyMeetupRow[]> {
  const rows = await myMeetups(db, { userId, now: now.toISOString() })
  return rows.map(({ host_id, ahead, status, ...row }) => {
    const replied = status === 'going' || status === 'waitlisted' ? status : null
    return { ...row, status: replied, hosting: host_id !== null, position: replied === 'waitlisted' ? Number(ahead ?? 0) + 1 : null }
  })
}

export interface MyProposalRow {
  id: number
  title: string
  state: ProposalState
  event_slug: string
  event_name: string
  first_day: string
  last_day: string
}

// From proposals_proposer_idx and proposal_hosts_user_idx; events by their primary key.
const myProposals = compiledOnce((db, p: { userId: number; today: string }) =>
  db
    .selectFrom('proposals as p')
    .innerJoin('events as ev', 'ev.id', 'p.event_id')
    .select(['p.id', 'p.title', 'p.state', 'ev.slug as event_slug', 'ev.name as event_name', 'ev.first_day', 'ev.last_day'])
    .where('p.id', 'in', db.selectFrom('proposals').select('id as proposal_id').where('proposer_id', '=', p.userId).union(db.selectFrom('proposal_hosts').select('proposal_id').where('user_id', '=', p.userId)))
    // A draft is seen by its organisers only; a finished event's proposals are history.
    .where('ev.phase', '!=', 'draft')
    .where('ev.last_day', '>=', p.today)
    .where('p.hidden_at', 'is', null)
    .orderBy('ev.first_day')
    .orderBy('ev.id')
    .orderBy('p.created_at')
    .orderBy('p.id'),
)

/** Sessions a person proposed or co-hosts, every state, for events not over yet: by event date. */
export async function listMyProposals(db: Kysely<Database>, userId: number, today: string): Promise<MyProposalRow[]> {
  return myProposals(db, { userId, today })
}

/** A local date some days before `now` (UTC): with a day's slack either side, right for every zone. */
function daysBefore(now: Date, days: number): string {
  return utcToZoned(new Date(now.getTime() - days * 86_400_000), 'UTC').date
}

/**
 * Everything on one person's home, in seven queries whatever they follow (they run side by
 * side). Skips and moves from two days back; topics from two months back, as a topic keeps
 * the date the schedule gave its chat, so one moved weeks on is still found.
 */
export async function loadHomeRows(db: Kysely<Database>, userId: number, now: Date) {
  const yesterday = daysBefore(now, 1)
  const [communities, exceptions, topics, agenda, meetups, proposals, invitations] = await Promise.all([
    listMyCommunities(db, userId),
    listMyChatExceptions(db, userId, daysBefore(now, 2)),
    listMyChatTopics(db, userId, daysBefore(now, 62)),
    listAgenda(db, userId, yesterday),
    listMyUpcomingMeetups(db, userId, now),
    listMyProposals(db, userId, yesterday),
    listInvitationsFor(db, userId),
  ])
  return { communities, exceptions, topics, agenda, meetups, proposals, invitations }
}
