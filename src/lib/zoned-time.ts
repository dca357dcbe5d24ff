// Converting between a wall-clock time in an IANA time zone and a UTC instant, with
// nothing but Intl. Local dates are 'YYYY-MM-DD' strings and times 'HH:MM', as people
// type them; instants are Dates.

const offsetFormatters = new Map<string, Intl.DateTimeFormat>()

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = offsetFormatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    offsetFormatters.set(timeZone, formatter)
  }
  return formatter
}

export function isValidTimeZone(timeZone: string): boolean {
  if (!timeZone || !/^[A-Za-z0-9_+\-/]+$/.test(timeZone)) return false
  try {
    partsFormatter(timeZone)
    return true
  } catch {
    return false
  }
}

/** The wall-clock fields of `instant` in `timeZone`. */
export function wallClock(instant: Date, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts: Record<string, number> = {}
  for (const part of partsFormatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value)
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! }
}

/** Minutes that `timeZone` is ahead of UTC at `instant` (60 for London in summer). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  const w = wallClock(instant, timeZone)
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second)
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000)
}

/**
 * The instant at which clocks in `timeZone` show `date` `time`. A time skipped by a clock
 * change (01:30 on the spring-forward night in London) is moved forward by the gap, as
 * calendar apps do; a time that happens twice (the autumn night) is the first of the two.
 * Forms never let a skipped time through (wallTimeProblem): only stored chat schedules,
 * which recur across the change, meet it here.
 */
export function zonedToUtc(date: string, time: string, timeZone: string): Date {
  // Pure, and asked the same questions again and again (a weekly chat's next year of dates
  // on every community page and feed), while each answer costs several Intl calls.
  const key = `${date} ${time} ${timeZone}`
  let instant = instants.get(key)
  if (instant === undefined) {
    instant = zonedToUtcUncached(date, time, timeZone)
    if (instants.size >= MAX_REMEMBERED_INSTANTS) instants.clear()
    instants.set(key, instant)
  }
  return new Date(instant)
}

const MAX_REMEMBERED_INSTANTS = 20_000
const instants = new Map<string, number>()

function zonedToUtcUncached(date: string, time: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const [hh, mm] = time.split(':').map(Number) as [number, number]
  const wall = Date.UTC(y, m - 1, d, hh, mm)
  // The zone's offsets a day either side: around a clock change they differ, and each
  // gives one candidate instant. A candidate is right if the zone shows `wall` at it.
  const day = 86400000
  const candidates = [offsetMinutes(new Date(wall - day), timeZone), offsetMinutes(new Date(wall + day), timeZone)].map(
    (offset) => ({ instant: wall - offset * 60000, offset }),
  )
  const right = candidates.filter((c) => offsetMinutes(new Date(c.instant), timeZone) === c.offset).map((c) => c.instant)
  // Overlap: both are right, keep the earlier. Gap: neither is, take the one after the gap.
  return right.length ? Math.min(...right) : Math.max(...candidates.map((c) => c.instant))
}

/**
 * Whether `date` `time` happens in `timeZone` exactly once. On the spring-forward night a wall
 * time may not exist (`gap`, with the wall times the clocks jump from and to); on the autumn
 * night it may happen twice (`repeated`: zonedToUtc takes the first, `first` and `second`
 * are the two instants). Only asked of what people type, so it is not memoised.
 */
export function wallTimeProblem(date: string, time: string, timeZone: string): null | { kind: 'gap'; from: string; to: string } | { kind: 'repeated'; first: Date; second: Date } {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const [hh, mm] = time.split(':').map(Number) as [number, number]
  const wall = Date.UTC(y, m - 1, d, hh, mm)
  const day = 86400000
  const [before, after] = [offsetMinutes(new Date(wall - day), timeZone), offsetMinutes(new Date(wall + day), timeZone)]
  if (before === after) return null
  const candidates = [before, after].map((offset) => wall - offset * 60000)
  const right = candidates.filter((instant, i) => offsetMinutes(new Date(instant), timeZone) === [before, after][i])
  if (right.length === 2) {
    const [first, second] = right.sort((a, b) => a - b) as [number, number]
    return first === second ? null : { kind: 'repeated', first: new Date(first), second: new Date(second) }
  }
  if (right.length === 1) return null
  // A gap: find the minute the offset changes, then the wall times either side of the jump.
  let lo = wall - day
  let hi = wall + day
  while (hi - lo > 60000) {
    const mid = lo + Math.floor((hi - lo) / 120000) * 60000
    if (offsetMinutes(new Date(mid), timeZone) === before) lo = mid
    else hi = mid
  }
  const clock = (instant: number, offset: number) => new Date(instant + offset * 60000).toISOString().slice(11, 16)
  return { kind: 'gap', from: clock(hi, before), to: clock(hi, after) }
}

/** The local date ('YYYY-MM-DD') and time ('HH:MM') that `instant` shows in `timeZone`. */
export function utcToZoned(instant: Date, timeZone: string): { date: string; time: string } {
  const w = wallClock(instant, timeZone)
  const pad = (n: number) => String(n).padStart(2, '0')
  return { date: `${w.year}-${pad(w.month)}-${pad(w.day)}`, time: `${pad(w.hour)}:${pad(w.minute)}` }
}

// --- Calendar-date arithmetic on 'YYYY-MM-DD' strings (no time zone involved) ---

/** A real calendar date between 1900 and 2199: far enough for any chat or meetup, and no year 9999 surprises. */
export function isValidDate(date: string): boolean {
  if (!/^(19|20|21)\d{2}-\d{2}-\d{2}$/.test(date)) return false
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const parsed = new Date(Date.UTC(y, m - 1, d))
  return parsed.getUTCFullYear() === y && parsed.getUTCMonth() === m - 1 && parsed.getUTCDate() === d
}

export function isValidTime(time: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(time)
}

function toUtcDay(date: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d))
}

function fromUtcDay(day: Date): string {
  return day.toISOString().slice(0, 10)
}

export function addDays(date: string, days: number): string {
  const day = toUtcDay(date)
  day.setUTCDate(day.getUTCDate() + days)
  return fromUtcDay(day)
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const weekday = toUtcDay(date).getUTCDay()
  return weekday === 0 ? 7 : weekday
}

export function daysBetween(from: string, to: string): number {
  return Math.round((toUtcDay(to).getTime() - toUtcDay(from).getTime()) / 86400000)
}

/** The nth (1–4, or -1 for last) given ISO weekday of a month. */
export function nthWeekdayOfMonth(year: number, month: number, weekday: number, nth: number): string | null {
  const pad = (n: number) => String(n).padStart(2, '0')
  if (nth === -1) {
    const last = fromUtcDay(new Date(Date.UTC(year, month, 0)))
    return addDays(last, -((isoWeekday(last) - weekday + 7) % 7))
  }
  const first = `${year}-${pad(month)}-01`
  const date = addDays(first, (weekday - isoWeekday(first) + 7) % 7 + (nth - 1) * 7)
  return date.slice(0, 7) === first.slice(0, 7) ? date : null
}

/** An instant as ISO-8601 local time with its offset in `timeZone`: 2027-01-16T09:00:00+00:00. */
export function isoWithOffset(instant: Date, timeZone: string): string {
  const w = wallClock(instant, timeZone)
  const offset = offsetMinutes(instant, timeZone)
  const pad = (n: number) => String(Math.abs(n)).padStart(2, '0')
  const sign = offset < 0 ? '-' : '+'
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`
}
