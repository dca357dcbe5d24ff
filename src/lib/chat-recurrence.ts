// When a community's chats happen: a recurrence in the community's own local time, with
// exceptions. Pure and framework-free: the community pages and the calendar feeds both
// compute occurrences here, so they can never disagree.
import { addDays, daysBetween, isoWeekday, nthWeekdayOfMonth, utcToZoned, zonedToUtc } from './zoned-time.js'

export type Recurrence =
  | { kind: 'weekly'; weekday: number; intervalWeeks: number }
  | { kind: 'monthly'; weekday: number; nth: number }

export interface ChatSchedule {
  recurrence: Recurrence
  /** Local start time, 'HH:MM'. */
  startTime: string
  durationMinutes: number
  /** First local date the schedule may produce (and the anchor for "every N weeks"). */
  startsOn: string
  /** Last local date it may produce, or null for open-ended. */
  endsOn: string | null
  timeZone: string
}

export type ChatException =
  | { kind: 'skip'; date: string }
  | { kind: 'move'; date: string; movedToDate: string; movedToTime: string }

export interface ChatOccurrence {
  /** The date the schedule gave this chat: its identity, kept when it is moved. */
  date: string
  start: Date
  end: Date
  /** Where it happens on the local clock, after any move. */
  localDate: string
  localTime: string
  moved: boolean
}

export const NTH_VALUES = [1, 2, 3, 4, -1] as const

/** The schedule's dates (before exceptions) from `fromDate` to `toDate`, local, inclusive. */
export function scheduledDates(schedule: ChatSchedule, fromDate: string, toDate: string): string[] {
  const first = fromDate > schedule.startsOn ? fromDate : schedule.startsOn
  const last = schedule.endsOn && schedule.endsOn < toDate ? schedule.endsOn : toDate
  if (first > last) return []
  const { recurrence } = schedule
  const dates: string[] = []

  if (recurrence.kind === 'weekly') {
    // The first matching weekday on or after startsOn anchors the every-N-weeks cycle.
    const anchor = addDays(schedule.startsOn, (recurrence.weekday - isoWeekday(schedule.startsOn) + 7) % 7)
    const step = 7 * recurrence.intervalWeeks
    const skipSteps = Math.max(0, Math.ceil(daysBetween(anchor, first) / step))
    for (let date = addDays(anchor, skipSteps * step); date <= last; date = addDays(date, step)) dates.push(date)
    return dates
  }

  let [year, month] = first.split('-').map(Number) as [number, number]
  const pad = (n: number) => String(n).padStart(2, '0')
  while (`${year}-${pad(month)}` <= last.slice(0, 7)) {
    const date = nthWeekdayOfMonth(year, month, recurrence.weekday, recurrence.nth)
    if (date && date >= first && date <= last) dates.push(date)
    month += 1
    if (month > 12) {
      month = 1
      year += 1
    }
  }
  return dates
}

/**
 * Chats that are not over at `from` and start before `to`, in time order: the schedule's
 * dates with skipped ones removed and moved ones at their new time.
 */
export function chatOccurrences(schedule: ChatSchedule, exceptions: ChatException[], from: Date, to: Date): ChatOccurrence[] {
  const byDate = new Map(exceptions.map((e) => [e.date, e]))
  // Look a little beyond the window in local dates: zones are at most a day off UTC, and a
  // chat moved into the window may come from a date outside it.
  const fromDate = addDays(utcToZoned(from, schedule.timeZone).date, -1)
  const toDate = addDays(utcToZoned(to, schedule.timeZone).date, 1)
  const candidates = new Set(scheduledDates(schedule, fromDate, toDate))
  for (const exception of exceptions) {
    if (exception.kind === 'move' && scheduledDates(schedule, exception.date, exception.date).length) candidates.add(exception.date)
  }

  const occurrences: ChatOccurrence[] = []
  for (const date of candidates) {
    const exception = byDate.get(date)
    if (exception?.kind === 'skip') continue
    const localDate = exception?.kind === 'move' ? exception.movedToDate : date
    const localTime = exception?.kind === 'move' ? exception.movedToTime : schedule.startTime
    const start = zonedToUtc(localDate, localTime, schedule.timeZone)
    const end = new Date(start.getTime() + schedule.durationMinutes * 60000)
    if (end <= from || start >= to) continue
    occurrences.push({ date, start, end, localDate, localTime, moved: exception?.kind === 'move' })
  }
  return occurrences.sort((a, b) => a.start.getTime() - b.start.getTime())
}

/** The next `count` chats not over at `from` (looking at most `horizonDays` ahead). */
export function upcomingChats(schedule: ChatSchedule, exceptions: ChatException[], from: Date, count: number, horizonDays = 400): ChatOccurrence[] {
  // A weekly schedule gives its next five within weeks, not a year: working out (and placing
  // in the zone) the 57 chats of 400 days to keep five was most of a community page's time.
  // Any chat that starts inside the short window is in it, so when it holds `count` they are
  // the same first `count` the whole horizon would give.
  const shortDays = Math.min(horizonDays, 7 * (count + 1) * (schedule.recurrence.kind === 'weekly' ? schedule.recurrence.intervalWeeks : 5))
  const soon = chatOccurrences(schedule, exceptions, from, new Date(from.getTime() + shortDays * 86400000))
  if (soon.length >= count || shortDays === horizonDays) return soon.slice(0, count)
  const to = new Date(from.getTime() + horizonDays * 86400000)
  return chatOccurrences(schedule, exceptions, from, to).slice(0, count)
}

/** Is `date` one of the dates the schedule gives (ignoring exceptions)? */
export function isScheduledDate(schedule: ChatSchedule, date: string): boolean {
  return scheduledDates(schedule, date, date).length === 1
}
