// Creating and changing a community: the steps that belong in one transaction.
import type { Kysely } from 'kysely'
import type { ChatScheduleRow, CommunityRow, Database } from '../../db/database.js'
import { isUniqueViolation } from '../../db/errors.js'
import type { ChatException, ChatSchedule } from '../../lib/chat-recurrence.js'
import type { ChatExceptionRow } from '../../db/database.js'
import type { CommunityInput } from './communities.schemas.js'
import {
  addMember,
  stopSchedule,
  insertCommunity,
  isSlugTaken,
  lockCommunity,
  memberCounts,
  removeMember,
  saveSchedule,
  setMemberRole,
  updateCommunity,
} from './communities.queries.js'

export type SaveResult = { ok: true; community: CommunityRow } | { ok: false; reason: 'slug-taken' }

function scheduleRow(communityId: number, schedule: NonNullable<CommunityInput['schedule']>, now: string): Omit<ChatScheduleRow, 'sequence' | 'stopped_at'> {
  const { recurrence } = schedule
  return {
    community_id: communityId,
    kind: recurrence.kind,
    weekday: recurrence.weekday,
    interval_weeks: recurrence.kind === 'weekly' ? recurrence.intervalWeeks : 1,
    nth: recurrence.kind === 'monthly' ? recurrence.nth : 1,
    start_time: schedule.startTime,
    duration_minutes: schedule.durationMinutes,
    starts_on: schedule.startsOn,
    ends_on: null,
    updated_at: now,
  }
}

/** The columns the form sets, for both creating and editing. */
function communityFields(input: CommunityInput, stamp: string) {
  return {
    name: input.name,
    hashtag: input.hashtag,
    description: input.description,
    chat_place: input.chatPlace,
    chat_url: input.chatUrl,
    time_zone: input.timeZone,
    ...(input.codeOfConduct === null ? {} : { code_of_conduct: input.codeOfConduct }),
    updated_at: stamp,
  }
}

/** The person who creates a community becomes its first host (and is listed as such). */
export async function createCommunity(db: Kysely<Database>, input: CommunityInput, userId: number, now: Date): Promise<SaveResult> {
  const stamp = now.toISOString()
  if (await isSlugTaken(db, input.slug)) return { ok: false, reason: 'slug-taken' }
  try {
    const community = await db.transaction().execute(async (trx) => {
      const created = await insertCommunity(trx, { slug: input.slug, ...communityFields(input, stamp), created_by: userId, created_at: stamp })
      await addMember(trx, created.id, userId, 'host', true, stamp)
      if (input.schedule) await saveSchedule(trx, scheduleRow(created.id, input.schedule, stamp))
      return created
    })
    return { ok: true, community }
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'slug-taken' }
    throw error
  }
}

/** The slug stays as it was: links to the community must keep working. */
export async function editCommunity(db: Kysely<Database>, community: CommunityRow, input: CommunityInput, now: Date): Promise<void> {
  const stamp = now.toISOString()
  await db.transaction().execute(async (trx) => {
    await updateCommunity(trx, community.id, communityFields(input, stamp))
    if (input.schedule) await saveSchedule(trx, scheduleRow(community.id, input.schedule, stamp))
    else await stopSchedule(trx, community.id, now)
  })
}

export type LeaveResult = 'left' | 'last-host' | 'not-member'

/** Anyone may leave, except the last host: a community must keep someone to run it. */
export async function leaveCommunity(db: Kysely<Database>, communityId: number, userId: number, role: 'host' | 'member' | null): Promise<LeaveResult> {
  if (!role) return 'not-member'
  return db.transaction().execute(async (trx) => {
    await lockCommunity(trx, communityId)
    if (role === 'host' && (await memberCounts(trx, communityId)).hosts <= 1) return 'last-host' as const
    await removeMember(trx, communityId, userId)
    return 'left' as const
  })
}

export type HostChange = 'made-host' | 'made-member' | 'last-host' | 'not-member'

/** Makes a member a host or takes it back, never leaving the community without one. */
export async function changeHostRole(db: Kysely<Database>, communityId: number, userId: number, role: 'host' | 'member'): Promise<HostChange> {
  return db.transaction().execute(async (trx) => {
    await lockCommunity(trx, communityId)
    if (role === 'member' && (await memberCounts(trx, communityId)).hosts <= 1) return 'last-host' as const
    if (!(await setMemberRole(trx, communityId, userId, role))) return 'not-member' as const
    return role === 'host' ? ('made-host' as const) : ('made-member' as const)
  })
}

/** The stored schedule as the recurrence module reads it. */
export function toChatSchedule(row: ChatScheduleRow, timeZone: string): ChatSchedule {
  return {
    recurrence:
      row.kind === 'weekly'
        ? { kind: 'weekly', weekday: row.weekday, intervalWeeks: row.interval_weeks }
        : { kind: 'monthly', weekday: row.weekday, nth: row.nth },
    startTime: row.start_time,
    durationMinutes: row.duration_minutes,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    timeZone,
  }
}

export function toChatExceptions(rows: ChatExceptionRow[]): ChatException[] {
  return rows.map((row) =>
    row.kind === 'move' && row.moved_to_date && row.moved_to_time
      ? { kind: 'move', date: row.chat_date, movedToDate: row.moved_to_date, movedToTime: row.moved_to_time }
      : { kind: 'skip', date: row.chat_date },
  )
}
