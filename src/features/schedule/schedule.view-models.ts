// The grid → what the editor, the public schedule and the projector show, in the reader's
// language. Rows are slots (grouped by day), columns are rooms.
import type { EventRow, RoomRow, ScheduleChangeRow, SlotKind, SlotRow } from '../../db/database.js'
import { PROGRAMME_SLOT_KINDS, SESSION_SLOT_KINDS } from '../../db/database.js'
import { formatInstant, formatLocalDate } from '../../i18n/format.js'
import type { Translator } from '../../i18n/i18n.js'
import { needsList } from '../events/events.schemas.js'
import type { Conflict } from './conflicts.js'
import type { GridData } from './grid-data.js'

export interface SessionView {
  proposalId: number
  title: string
  path: string
  interest: number
  capacity: number
  pinned: boolean
  cancelled: boolean
  starred: boolean
  mine: boolean
  conflicts: string[]
}

export interface CellView {
  slotId: number
  roomId: number
  roomName: string
  session: SessionView | null
  cancelled: SessionView[]
}

export interface SlotView {
  id: number
  kind: SlotKind
  label: string
  day: string
  timeLabel: string
  startsAt: string
  endsAt: string
  takesSessions: boolean
  now: boolean
  next: boolean
  cells: CellView[]
}

export interface RoomView {
  id: number
  name: string
  capacity: number
  location: string
  features: string[]
  accessibilityNotes: string
}

export interface GridView {
  rooms: RoomView[]
  days: { day: string; label: string; slots: SlotView[] }[]
  nowSlot: SlotView | null
  nextSlot: SlotView | null
  sessionCount: number
  conflictCount: number
}

export function roomView(t: Translator['t'], room: RoomRow): RoomView {
  return {
    id: room.id,
    name: room.name,
    capacity: room.capacity,
    location: room.location,
    features: needsList(room.features).map((need) => t(`proposals.need.${need}`)),
    accessibilityNotes: room.accessibility_notes,
  }
}

export function conflictText(t: Translator['t'], conflict: Conflict): string {
  switch (conflict.kind) {
    case 'host':
      return t('schedule.conflict.host', { name: conflict.name, other: conflict.other })
    case 'capacity':
      return t('schedule.conflict.capacity', { interest: conflict.interest, capacity: conflict.capacity })
    case 'needs':
      return t('schedule.conflict.needs', { needs: conflict.needs.map((need) => t(`proposals.need.${need}`)).join(', ') })
  }
}

export function slotTimeLabel(i18n: Translator, timeZone: string, slot: Pick<SlotRow, 'starts_at' | 'ends_at'>): string {
  return `${formatInstant(i18n.locale, slot.starts_at, timeZone, 'time')}–${formatInstant(i18n.locale, slot.ends_at, timeZone, 'time')}`
}

/** "Next" only means something on the day: a slot weeks away is not next. */
const NEXT_WITHIN_MS = 12 * 3600_000

/**
 * The slot on now at `at`, and the next one with sessions in it (if it starts within the
 * next few hours): during a session, "next" is the sessions after the break, not the break.
 */
export function nowAndNext<T extends Pick<SlotRow, 'starts_at' | 'ends_at' | 'kind'>>(slots: readonly T[], at: Date): { now: T | null; next: T | null } {
  const iso = at.toISOString()
  const now = slots.find((s) => s.starts_at <= iso && iso < s.ends_at) ?? null
  const next = slots.find((s) => s.starts_at > iso && PROGRAMME_SLOT_KINDS.includes(s.kind) && Date.parse(s.starts_at) - at.getTime() <= NEXT_WITHIN_MS) ?? null
  return { now, next }
}

export interface GridOptions {
  at: Date
  viewerId: number | null
  /** Show only the viewer's starred and own sessions. */
  mine: boolean
  /** Cancelled sessions show on the public grid, not in the editor. */
  showCancelled: boolean
}

export function toGrid(i18n: Translator, event: EventRow, data: GridData, options: GridOptions): GridView {
  const { t } = i18n
  const rooms = data.rooms.map((room) => roomView(t, room))
  const roomById = new Map(data.rooms.map((r) => [r.id, r]))
  const ownProposals = new Set(data.people.filter((p) => p.user_id === options.viewerId).map((p) => p.proposal_id))
  const { now, next } = nowAndNext(data.slots, options.at)

  const sessionView = (entry: GridData['entries'][number]): SessionView => ({
    proposalId: entry.proposal_id,
    title: entry.title,
    path: `/events/${event.slug}/proposals/${entry.proposal_id}`,
    interest: data.interest.get(entry.proposal_id) ?? 0,
    capacity: roomById.get(entry.room_id)?.capacity ?? 0,
    pinned: entry.pinned === 1,
    cancelled: entry.cancelled_at !== null,
    starred: data.starred.has(entry.proposal_id),
    mine: ownProposals.has(entry.proposal_id),
    conflicts: (data.conflicts.get(entry.proposal_id) ?? []).map((c) => conflictText(t, c)),
  })
  const wanted = (s: SessionView) => !options.mine || s.starred || s.mine

  const cells = new Map<string, { live: SessionView | null; cancelled: SessionView[] }>()
  for (const entry of data.entries) {
    const key = `${entry.slot_id}:${entry.room_id}`
    const cell = cells.get(key) ?? { live: null, cancelled: [] }
    const view = sessionView(entry)
    if (!wanted(view)) continue
    if (!view.cancelled) cell.live = view
    else if (options.showCancelled) cell.cancelled.push(view)
    cells.set(key, cell)
  }

  const days: GridView['days'] = []
  const slotViews: SlotView[] = []
  for (const slot of data.slots) {
    let day = days.at(-1)
    if (!day || day.day !== slot.day) {
      day = { day: slot.day, label: formatLocalDate(i18n.locale, slot.day), slots: [] }
      days.push(day)
    }
    const view: SlotView = {
      id: slot.id,
      kind: slot.kind,
      label: slot.label,
      day: slot.day,
      timeLabel: slotTimeLabel(i18n, event.time_zone, slot),
      startsAt: slot.starts_at,
      endsAt: slot.ends_at,
      takesSessions: SESSION_SLOT_KINDS.includes(slot.kind),
      now: slot.id === now?.id,
      next: slot.id === next?.id,
      cells: data.rooms.map((room) => {
        const cell = cells.get(`${slot.id}:${room.id}`)
        return { slotId: slot.id, roomId: room.id, roomName: room.name, session: cell?.live ?? null, cancelled: cell?.cancelled ?? [] }
      }),
    }
    day.slots.push(view)
    slotViews.push(view)
  }
  const live = data.entries.filter((e) => e.cancelled_at === null)
  return {
    rooms,
    days,
    nowSlot: slotViews.find((s) => s.now) ?? null,
    nextSlot: slotViews.find((s) => s.next) ?? null,
    sessionCount: live.length,
    conflictCount: live.filter((e) => (data.conflicts.get(e.proposal_id) ?? []).length > 0).length,
  }
}

/** "Alt text that actually helps moved from Room 1, 10:00 to Hall, 11:00": one changelog line. */
export function changeText(i18n: Translator, event: Pick<EventRow, 'time_zone' | 'first_day' | 'last_day'>, change: ScheduleChangeRow): string {
  const style = event.first_day === event.last_day ? 'time' : 'dateTime'
  const when = (iso: string | null) => (iso ? formatInstant(i18n.locale, iso, event.time_zone, style) : '')
  const params = { title: change.title, fromRoom: change.from_room ?? '', from: when(change.from_starts_at), toRoom: change.to_room ?? '', to: when(change.to_starts_at) }
  return i18n.t(`schedule.change.${change.kind}`, params)
}
