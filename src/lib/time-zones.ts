// The IANA time zones a person picks from, grouped by region for a <select> with <optgroup>s.
// A list, not a text box: a zone typed by hand ("BST", "London", "GMT+1") is not a zone, and
// the browser's own type-ahead finds "London" in the Europe group as fast as typing does.
import { isValidTimeZone } from './zoned-time.js'

export interface ZoneOption {
  value: string
  /** "London (GMT+1)": the city as IANA names it, and its offset from UTC at the moment. */
  label: string
}

export interface ZoneGroup {
  /** IANA's region ("Europe"); the view names it in the reader's language. */
  region: string
  zones: ZoneOption[]
}

const ZONES = Intl.supportedValuesOf('timeZone')

const offsetFormats = new Map<string, Intl.DateTimeFormat>()
/** "GMT", "GMT+1", "GMT-3:30": how far the zone's clocks are from UTC at `at`. */
function offsetAt(zone: string, at: Date): string {
  let format = offsetFormats.get(zone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone: zone, timeZoneName: 'shortOffset' })
    offsetFormats.set(zone, format)
  }
  return format.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? ''
}

// Intl (Node 20's ICU) still lists some places under names they have since dropped; a person
// from Kolkata looks for Kolkata. The value stays Intl's, so it matches what it gives back.
const RENAMED: Record<string, string> = {
  'Asia/Calcutta': 'Kolkata',
  'Europe/Kiev': 'Kyiv',
  'Asia/Saigon': 'Ho Chi Minh City',
  'Asia/Katmandu': 'Kathmandu',
  'Asia/Rangoon': 'Yangon',
  'Africa/Asmera': 'Asmara',
  'Atlantic/Faeroe': 'Faroe Islands',
  'America/Godthab': 'Nuuk',
  'Pacific/Truk': 'Chuuk',
  'Pacific/Ponape': 'Pohnpei',
  'Pacific/Enderbury': 'Kanton',
}

function cityOf(zone: string): string {
  const renamed = RENAMED[zone]
  const city = zone.split('/').slice(1).join(' / ').replaceAll('_', ' ')
  return renamed ? `${renamed} (${city})` : city
}

function buildGroups(at: Date): ZoneGroup[] {
  const groups = new Map<string, ZoneOption[]>()
  for (const zone of ZONES) {
    const [region] = zone.split('/') as [string]
    let zones = groups.get(region)
    if (!zones) groups.set(region, (zones = []))
    zones.push({ value: zone, label: `${cityOf(zone)} (${offsetAt(zone, at)})` })
  }
  // UTC itself is not among Intl's zones (it lists places), but some people keep time in it.
  return [...[...groups].map(([region, zones]) => ({ region, zones })), { region: 'UTC', zones: [{ value: 'UTC', label: 'UTC' }] }]
}

// Offsets change only when some zone's clocks do, at most on the hour: worked out once an hour.
let cached: { hour: string; groups: ZoneGroup[] } | null = null

/**
 * Every zone, grouped by region, with offsets as they are at `at`. A value that is a real zone
 * but not in the list (an old alias such as "Europe/Kiev" kept from before) is offered too, in
 * its own group, so editing a form never silently changes it.
 */
export function timeZoneGroups(at: Date, current?: string | null): ZoneGroup[] {
  const hour = at.toISOString().slice(0, 13)
  if (cached?.hour !== hour) cached = { hour, groups: buildGroups(at) }
  if (!current || current === 'UTC' || ZONES.includes(current) || !isValidTimeZone(current)) return cached.groups
  return [{ region: 'Other', zones: [{ value: current, label: `${current} (${offsetAt(current, at)})` }] }, ...cached.groups]
}
