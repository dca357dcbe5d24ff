// Every calendar the app serves is written here: the `ics` package makes the VEVENTs, and
// this module fills its gaps (see ../shared/research/ics.md and docs/calendars.md):
// - times always in UTC (never floating, so no VTIMEZONE is needed and every client agrees);
// - DTSTAMP and LAST-MODIFIED from the data, never the request time, so a feed is byte-for-byte
//   the same until something changes (and its ETag with it);
// - stable UIDs and SEQUENCE passed in by the caller;
// - one VCALENDAR, METHOD:PUBLISH with no ATTENDEE, no ORGANIZER (no email in a public feed);
//   only an emailed METHOD:CANCEL names the organiser and its one recipient, as iTIP wants;
// - the calendar's NAME / X-WR-CALNAME and REFRESH-INTERVAL / X-PUBLISHED-TTL;
// - lines folded at 75 octets, not characters (the package counts characters), CRLF.
import { createHash } from 'node:crypto'
import { createEvents, type EventAttributes, type ReturnObject } from 'ics'

export interface CalendarItem {
  /** kind-id@host, never reused. */
  uid: string
  title: string
  description?: string
  location?: string
  url?: string
  start: Date
  end: Date
  status: 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED'
  sequence: number
  /** When the item last changed (UTC ISO): DTSTAMP and LAST-MODIFIED. */
  lastModified: string
  categories?: string[]
  /**
   * Only in an emailed REQUEST or CANCEL (iTIP, RFC 5546 §3.2.2 and §3.2.5 want both): the site
   * as organiser and the one recipient as attendee. Never in a feed or a download.
   */
  invite?: { organizer: { name: string; email: string }; attendee: { name: string; email: string; partstat: 'ACCEPTED' | 'TENTATIVE' } }
}

export interface CalendarInfo {
  name: string
  /** Suggested minimum time between refreshes, as an ISO duration. */
  refresh?: string
  /** PUBLISH for feeds and downloads; REQUEST and CANCEL only for emailed invites. */
  method?: 'PUBLISH' | 'REQUEST' | 'CANCEL'
}

const PRODUCT_ID = '-//Hashcamp//Hashcamp//EN'
const FOLD_AT = 75

/** TEXT escaping (RFC 5545 §3.3.11), for the properties this module writes itself. */
export function icsText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n')
}

/** Folds one content line at 75 octets, never inside a UTF-8 character; continuation lines start with a space. */
export function foldLine(line: string): string {
  if (Buffer.byteLength(line, 'utf8') <= FOLD_AT) return line
  const parts: string[] = []
  let current = ''
  let bytes = 0
  let limit = FOLD_AT
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8')
    if (bytes + size > limit) {
      parts.push(current)
      current = ''
      bytes = 0
      limit = FOLD_AT - 1 // the leading space counts
    }
    current += char
    bytes += size
  }
  parts.push(current)
  return parts.join('\r\n ')
}

/** Strips characters no calendar client should see (C0 controls other than tab and newline). */
function clean(value: string | undefined): string | undefined {
  // A lone CR would end a content line early: every line break becomes one newline first.
  // eslint-disable-next-line no-control-regex
  return value?.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
}

/** A title that is nothing once cleaned would make the package drop SUMMARY or NAME altogether. */
function titled(value: string): string {
  return clean(value)?.trim() || '–'
}

function plainName(name: string): string {
  return titled(name).replace(/"/g, "'")
}

function attributes(item: CalendarItem): EventAttributes {
  const stamp = Date.parse(item.lastModified)
  return {
    uid: item.uid,
    title: titled(item.title),
    ...(item.description ? { description: clean(item.description) } : {}),
    ...(item.location ? { location: clean(item.location) } : {}),
    ...(item.url ? { url: item.url } : {}),
    start: item.start.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: item.end.getTime(),
    endInputType: 'utc',
    endOutputType: 'utc',
    status: item.status,
    sequence: item.sequence,
    timestamp: stamp,
    lastModified: stamp,
    ...(item.categories?.length ? { categories: item.categories.map((c) => clean(c)!.replace(/,/g, ' ')) } : {}),
    ...(item.invite
      ? {
          // The package writes a DQUOTE in a CN as \", which RFC 5545 forbids: names lose theirs.
          organizer: { name: plainName(item.invite.organizer.name), email: item.invite.organizer.email },
          // RSVP=FALSE: the app reads no replies by email; people answer on the page.
          attendees: [{ name: plainName(item.invite.attendee.name), email: item.invite.attendee.email, rsvp: false, role: 'REQ-PARTICIPANT', partstat: item.invite.attendee.partstat }],
        }
      : {}),
  } as EventAttributes
}

/** One VCALENDAR with every item, as text/calendar wants it. */
export function calendarText(info: CalendarInfo, items: readonly CalendarItem[]): string {
  const method = info.method ?? 'PUBLISH'
  const calendar = finished(createEvents([], { productId: PRODUCT_ID, method, calName: titled(info.name) }), info)
  const footer = 'END:VCALENDAR\r\n'
  return calendar.slice(0, -footer.length) + items.map((item) => veventText(attributes(item), method)).join('') + footer
}

/**
 * An item's VEVENT, as lines ready to send. The package validates every event (yup) and that
 * was most of a personal feed's cost, while the same session, meetup or chat is in many
 * people's feeds and in its event's: so each is made once per content (its attributes are
 * the key) and kept, the least recently used going first. An emailed invite names its one
 * recipient: made each time, never kept (it would be of no use again, and an address).
 */
function veventText(attrs: EventAttributes, method: string): string {
  const make = () => {
    const calendar = finished(createEvents([attrs], { productId: PRODUCT_ID, method }), { name: '' })
    return calendar.slice(calendar.indexOf('BEGIN:VEVENT\r\n'), calendar.lastIndexOf('END:VEVENT\r\n') + 'END:VEVENT\r\n'.length)
  }
  if (attrs.attendees?.length) return make()
  // A digest, not the attributes themselves: a description can be kilobytes, kept twice over.
  const key = createHash('sha256').update(`${method}\n${JSON.stringify(attrs)}`).digest('base64url')
  let text = vevents.get(key)
  if (text === undefined) {
    text = make()
    keptChars += text.length
  } else {
    vevents.delete(key) // re-inserted last: the Map's order is the eviction order
  }
  vevents.set(key, text)
  while (vevents.size > MAX_KEPT_VEVENTS || keptChars > MAX_KEPT_CHARS) {
    const [oldest, oldText] = vevents.entries().next().value!
    vevents.delete(oldest)
    keptChars -= oldText.length
  }
  return text
}

/** Enough for a big event's sessions and the chats and meetups around them; bounded in size too (descriptions run to 5,000 characters). */
const MAX_KEPT_VEVENTS = 3000
const MAX_KEPT_CHARS = 4_000_000
const vevents = new Map<string, string>()
let keptChars = 0

/** The package's output with our fixes: its folding undone and redone by octets, the name and refresh lines. */
function finished({ error, value }: ReturnObject, info: Pick<CalendarInfo, 'name' | 'refresh'>): string {
  if (error || value === undefined || value === null) throw error ?? new Error('ics produced nothing')
  const refresh = info.refresh ?? 'PT1H'
  const lines = value
    .replace(/\r\n[ \t]/g, '') // unfold what the package folded by characters
    .split('\r\n')
    .filter((line) => line !== '')
    .flatMap((line) => {
      if (line.startsWith('X-PUBLISHED-TTL:')) return [`X-PUBLISHED-TTL:${refresh}`, `REFRESH-INTERVAL;VALUE=DURATION:${refresh}`]
      // The package escapes only newlines in the calendar name; commas and semicolons too.
      if (line.startsWith('X-WR-CALNAME:')) return [`X-WR-CALNAME:${icsText(titled(info.name))}`, `NAME:${icsText(titled(info.name))}`]
      return [line]
    })
  return lines.map(foldLine).join('\r\n') + '\r\n'
}
