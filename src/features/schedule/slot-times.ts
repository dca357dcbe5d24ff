// Slot arithmetic, without a database: checking a slot against the event and the other
// slots, and laying out a whole day of slots from a few numbers.
import type { EventRow, SlotKind } from '../../db/database.js'
import type { MessageKey } from '../../i18n/catalogues/en.js'
import { wallTimeProblem, zonedToUtc } from '../../lib/zoned-time.js'
import type { SlotFields } from './slots.queries.js'

export interface SlotInput {
  day: string
  startTime: string
  endTime: string
  kind: SlotKind
  label: string
}

export function toMinutes(time: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number]
  return h * 60 + m
}

export function fromMinutes(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
}

/** What is stored: the typed local times plus the UTC instants they mean in the event's zone. */
export function slotFields(input: SlotInput, timeZone: string): SlotFields {
  return {
    day: input.day,
    start_time: input.startTime,
    end_time: input.endTime,
    starts_at: zonedToUtc(input.day, input.startTime, timeZone).toISOString(),
    ends_at: zonedToUtc(input.day, input.endTime, timeZone).toISOString(),
    kind: input.kind,
    label: input.label,
  }
}

export interface SlotProblem {
  field: 'day' | 'endTime' | 'startTime'
  key: MessageKey
  params?: Record<string, string>
}

type Existing = Pick<SlotFields, 'day' | 'start_time' | 'end_time'> & { id: number }

/**
 * Why a slot cannot be added (or changed) as typed: outside the event's days, ending before
 * it starts, or overlapping another slot of the same day. Touching end to start is fine.
 */
export function slotProblem(event: Pick<EventRow, 'first_day' | 'last_day' | 'time_zone'>, others: readonly Existing[], input: SlotInput, ignoreId: number | null = null): SlotProblem | null {
  if (input.day < event.first_day || input.day > event.last_day) return { field: 'day', key: 'slots.day.outside' }
  // A time the clocks skip would make a slot of no length (or the wrong one): say so.
  for (const field of ['startTime', 'endTime'] as const) {
    const problem = wallTimeProblem(input.day, input[field], event.time_zone)
    if (problem?.kind === 'gap') return { field, key: 'time.gap', params: { date: input.day, time: input[field], zone: event.time_zone, from: problem.from, to: problem.to } }
  }
  if (toMinutes(input.endTime) <= toMinutes(input.startTime)) return { field: 'endTime', key: 'slots.endTime.beforeStart' }
  const start = toMinutes(input.startTime)
  const end = toMinutes(input.endTime)
  const clash = others.find((o) => o.id !== ignoreId && o.day === input.day && toMinutes(o.start_time) < end && start < toMinutes(o.end_time))
  if (clash) return { field: 'startTime', key: 'slots.overlap', params: { start: clash.start_time, end: clash.end_time } }
  return null
}

export interface DayPlan {
  day: string
  start: string
  /** Minutes of an opening plenary (welcome and pitches); 0 for none. */
  opening: number
  sessions: number
  length: number
  /** Minutes between sessions; 0 for none. */
  gap: number
  /** Lunch comes after this session (0: no lunch). */
  lunchAfter: number
  lunchLength: number
}

/** A day of slots, in order: an optional opening plenary, sessions with breaks, lunch after one of them. */
export function planDay(plan: DayPlan, labels: { opening: string; break: string; lunch: string }): SlotInput[] | null {
  const slots: SlotInput[] = []
  let at = toMinutes(plan.start)
  const push = (minutes: number, kind: SlotKind, label: string) => {
    slots.push({ day: plan.day, startTime: fromMinutes(at), endTime: fromMinutes(at + minutes), kind, label })
    at += minutes
  }
  if (plan.opening > 0) push(plan.opening, 'plenary', labels.opening)
  for (let n = 1; n <= plan.sessions; n++) {
    push(plan.length, 'session', '')
    if (n === plan.sessions) break
    if (n === plan.lunchAfter && plan.lunchLength > 0) push(plan.lunchLength, 'lunch', labels.lunch)
    else if (plan.gap > 0) push(plan.gap, 'break', labels.break)
  }
  // The whole day has to fit before midnight; a slot cannot run into the next day.
  return at <= 24 * 60 - 1 ? slots : null
}
