// Dates and times in the reader's language and the thing's own time zone, with Intl.
// Formatters are costly to build, so each (language, zone, style) is built once.
import type { Locale } from './i18n.js'

/** Welsh and English as used in the UK: 24-hour clock, day before month. */
export const INTL_LOCALE: Record<Locale, string> = { en: 'en-GB', cy: 'cy-GB' }

const STYLES = {
  /** Thursday, 2 July 2026 */
  date: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' },
  /** 2 July 2026 */
  shortDate: { day: 'numeric', month: 'long', year: 'numeric' },
  /** July 2026 */
  monthYear: { month: 'long', year: 'numeric' },
  /** 20:00 */
  time: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  /** 20:00 British Summer Time: names the zone, for times that could be misread */
  timeWithZone: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'long' },
  /** Thursday, 2 July 2026 at 20:00 */
  dateTime: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  /** Thursday, 2 July 2026 at 20:00 British Summer Time */
  dateTimeWithZone: {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'long',
  },
  /** Thursday (for weekdayName) */
  weekday: { weekday: 'long' },
} satisfies Record<string, Intl.DateTimeFormatOptions>

export type DateStyle = keyof typeof STYLES

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(locale: Locale, timeZone: string, style: DateStyle): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${style}`
  let found = formatters.get(key)
  if (!found) {
    found = new Intl.DateTimeFormat(INTL_LOCALE[locale], { ...STYLES[style], timeZone })
    formatters.set(key, found)
  }
  return found
}

/** Formats a stored UTC instant (ISO-8601 text or Date) as the given zone's local time. */
export function formatInstant(locale: Locale, instant: string | Date, timeZone: string, style: DateStyle): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant
  return formatter(locale, timeZone, style).format(date)
}

const numberFormats = new Map<Locale, Intl.NumberFormat>()
/**
 * Small whole numbers as written, per language: a list page writes "12 votes", "3 seats" a
 * few hundred times, and each Intl call was a measurable part of it. Bounded by the range.
 */
const SMALL_NUMBERS = 10_000
const smallNumbers = new Map<Locale, string[]>()

export function formatNumber(locale: Locale, value: number): string {
  let format = numberFormats.get(locale)
  if (!format) {
    format = new Intl.NumberFormat(INTL_LOCALE[locale])
    numberFormats.set(locale, format)
  }
  if (!Number.isInteger(value) || value < 0 || value >= SMALL_NUMBERS) return format.format(value)
  let written = smallNumbers.get(locale)
  if (!written) smallNumbers.set(locale, (written = []))
  return (written[value] ??= format.format(value))
}

/**
 * The instant as the clock reads in the reader's own zone, for a reader who chose one (issue 22),
 * or null when there is nothing to add: no zone chosen, or the reader's clock shows the same
 * date and time as the item's zone does (London and Lisbon in winter). Names the day as well
 * when it differs from the item's day (a 20:00 London chat is "next day, 07:00" in Sydney).
 */
export function readerTime(locale: Locale, instant: string | Date, itemZone: string, readerZone: string | null | undefined): string | null {
  if (!readerZone || readerZone === itemZone) return null
  const date = typeof instant === 'string' ? new Date(instant) : instant
  const theirs = formatter(locale, readerZone, 'dateTime').format(date)
  const items = formatter(locale, itemZone, 'dateTime').format(date)
  if (theirs === items) return null
  const sameDay = formatter(locale, readerZone, 'date').format(date) === formatter(locale, itemZone, 'date').format(date)
  return formatInstant(locale, date, readerZone, sameDay ? 'timeWithZone' : 'dateTimeWithZone')
}

/** The zone to show site-wide facts (like "member since") in, until people set their own. */
export const SITE_TIME_ZONE = 'Europe/London'

/**
 * "Wednesday" / "Dydd Mercher" for an ISO weekday (1 = Monday), from Intl; as it stands
 * at the start of a sentence or alone. Mid-sentence Welsh writes it "dydd Mercher".
 */
export function weekdayName(locale: Locale, isoWeekday: number, midSentence = false): string {
  return remembered(`weekday|${locale}|${isoWeekday}|${midSentence}`, () => {
    // 1 January 2024 was a Monday.
    const date = new Date(Date.UTC(2024, 0, isoWeekday, 12))
    const name = formatter(locale, 'UTC', 'weekday').format(date)
    const capitalised = name.charAt(0).toLocaleUpperCase(INTL_LOCALE[locale]) + name.slice(1)
    return midSentence && locale === 'cy' ? name.charAt(0).toLocaleLowerCase('cy') + name.slice(1) : capitalised
  })
}

/**
 * The zone's name at `at`, in the reader's language, as the `…WithZone` styles write it
 * ("Greenwich Mean Time" in winter, "British Summer Time" in summer), so a page that names
 * a schedule's zone and a chat's time uses one name for both.
 */
export function zoneName(locale: Locale, timeZone: string, at: Date = new Date()): string {
  const parts = formatter(locale, timeZone, 'timeWithZone').formatToParts(at)
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone
}

/** Names that depend only on their inputs: worked out once (a page names the same weekday and zone many times). */
const names = new Map<string, string>()
function remembered(key: string, work: () => string): string {
  let name = names.get(key)
  if (name === undefined) {
    name = work()
    // Bounded, though the keys are few: two languages, seven days, the zones in use.
    if (names.size >= 1000) names.clear()
    names.set(key, name)
  }
  return name
}

/** A local calendar date ('YYYY-MM-DD') in words, with no time zone arithmetic. */
export function formatLocalDate(locale: Locale, date: string, style: 'date' | 'shortDate' = 'date'): string {
  return formatInstant(locale, new Date(`${date}T12:00:00Z`), 'UTC', style)
}
