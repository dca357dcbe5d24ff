// Schedule files for conference apps (Giggity, EventFahrplan, ConfClerk): the c3voc
// "Fahrplan" schedule.xml and schedule.json, both built from one model. Their schemas are in
// test/fixtures/voc-schedule/ and the test suite validates both files against them.
import crypto from 'node:crypto'
import type { EventRow, RoomRow } from '../../db/database.js'
import { xmlText } from '../../lib/atom.js'
import { addDays, daysBetween, isoWithOffset, utcToZoned, zonedToUtc } from '../../lib/zoned-time.js'
import type { SessionPerson } from '../schedule/grid.queries.js'
import type { SessionRow } from './calendars.queries.js'
import type { Site } from './calendar-items.js'

/** A name-based UUID (version 5, URL namespace) from a stable name: the same session, the same guid, for ever. */
export function uuid5(name: string): string {
  const namespace = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex')
  const hash = crypto.createHash('sha1').update(Buffer.concat([namespace, Buffer.from(name, 'utf8')])).digest()
  hash[6] = (hash[6]! & 0x0f) | 0x50
  hash[8] = (hash[8]! & 0x3f) | 0x80
  const hex = hash.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** Both schemas want an acronym of at least four lower-case letters, digits or underscores. */
function acronymOf(slug: string): string {
  return slug.replace(/-/g, '_').padEnd(4, '_')
}

function slugify(text: string): string {
  const slug = text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '')
  return slug || 'session'
}

/** `acronym-id-title`; the part after the acronym needs four characters at least (XSD voc-slug-new). */
function slugOf(acronym: string, id: number, title: string): string {
  const tail = `${id}-${slugify(title)}`
  return `${acronym}-${tail.length >= 4 ? tail : `${tail}-session`}`
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`

interface FrabSession {
  id: number
  guid: string
  date: string
  start: string
  duration: string
  room: string
  slug: string
  url: string
  title: string
  type: string
  abstract: string
  persons: string[]
}

interface FrabDay {
  index: number
  date: string
  start: string
  end: string
  rooms: { name: string; guid: string; sessions: FrabSession[] }[]
}

export interface FrabModel {
  title: string
  acronym: string
  start: string
  end: string
  daysCount: number
  timeZone: string
  url: string
  baseUrl: string
  version: string
  rooms: { name: string; guid: string; capacity: number }[]
  days: FrabDay[]
}

export function frabModel(site: Site, event: EventRow, rooms: RoomRow[], sessions: SessionRow[], people: SessionPerson[], version: string): FrabModel {
  const acronym = acronymOf(event.slug)
  const tz = event.time_zone
  const names = new Map<number, string[]>()
  for (const p of people) names.set(p.proposal_id, [...(names.get(p.proposal_id) ?? []), p.display_name])
  // From the room's id, which never changes: a renamed room is the same room to an app.
  const roomGuid = (room: RoomRow) => uuid5(`room-${room.id}@${site.host}`)
  const live = sessions.filter((s) => s.cancelled_at === null)
  const days: FrabDay[] = []
  const count = daysBetween(event.first_day, event.last_day) + 1
  for (let i = 0; i < count; i++) {
    const date = addDays(event.first_day, i)
    const onDay = live.filter((s) => utcToZoned(new Date(s.starts_at), tz).date === date)
    days.push({
      index: i + 1,
      date,
      start: isoWithOffset(zonedToUtc(date, event.day_starts, tz), tz),
      end: isoWithOffset(zonedToUtc(date, event.day_ends, tz), tz),
      rooms: rooms.map((room) => ({
        name: room.name,
        guid: roomGuid(room),
        sessions: onDay
          .filter((s) => s.room_id === room.id)
          .map((s) => {
            const start = new Date(s.starts_at)
            return {
              id: s.proposal_id,
              guid: uuid5(`session-${s.proposal_id}@${site.host}`),
              date: isoWithOffset(start, tz),
              start: utcToZoned(start, tz).time,
              duration: hhmm(Math.round((Date.parse(s.ends_at) - start.getTime()) / 60000)),
              room: room.name,
              slug: slugOf(acronym, s.proposal_id, s.title),
              url: `${site.baseUrl}/events/${event.slug}/proposals/${s.proposal_id}`,
              title: s.title,
              type: s.format,
              abstract: s.description,
              persons: names.get(s.proposal_id) ?? [],
            }
          }),
      })),
    })
  }
  return {
    title: event.name,
    acronym,
    start: event.first_day,
    end: event.last_day,
    daysCount: count,
    timeZone: tz,
    url: `${site.baseUrl}/events/${event.slug}`,
    baseUrl: `${site.baseUrl}/`,
    version,
    rooms: rooms.map((r) => ({ name: r.name, guid: roomGuid(r), capacity: r.capacity })),
    days,
  }
}

export function frabJson(model: FrabModel): unknown {
  return {
    $schema: 'https://c3voc.de/schedule/schema.json',
    generator: { name: 'Hashcamp' },
    schedule: {
      version: model.version,
      base_url: model.baseUrl,
      conference: {
        acronym: model.acronym,
        title: model.title,
        start: model.start,
        end: model.end,
        daysCount: model.daysCount,
        timeslot_duration: '00:15',
        time_zone_name: model.timeZone,
        url: model.url,
        rooms: model.rooms.map((r) => ({ name: r.name, guid: r.guid, capacity: r.capacity })),
        days: model.days.map((day) => ({
          index: day.index,
          date: day.date,
          day_start: day.start,
          day_end: day.end,
          rooms: Object.fromEntries(
            day.rooms.map((room) => [
              room.name,
              room.sessions.map((s) => ({
                id: s.id,
                guid: s.guid,
                date: s.date,
                start: s.start,
                duration: s.duration,
                room: s.room,
                slug: s.slug,
                url: s.url,
                title: s.title,
                subtitle: '',
                track: null,
                type: s.type,
                language: null,
                abstract: s.abstract,
                description: '',
                persons: s.persons.map((name) => ({ name })),
                links: [],
              })),
            ]),
          ),
        })),
      },
    },
  }
}

export function frabXml(model: FrabModel, fileUrl: string): string {
  const x = xmlText
  const out: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<schedule>',
    '  <generator name="Hashcamp"/>',
    `  <url>${x(fileUrl)}</url>`,
    `  <version>${x(model.version)}</version>`,
    '  <conference>',
    `    <title>${x(model.title)}</title>`,
    `    <acronym>${x(model.acronym)}</acronym>`,
    `    <start>${model.start}</start>`,
    `    <end>${model.end}</end>`,
    `    <days>${model.daysCount}</days>`,
    '    <timeslot_duration>00:15</timeslot_duration>',
    `    <base_url>${x(model.baseUrl)}</base_url>`,
    `    <url>${x(model.url)}</url>`,
    `    <time_zone_name>${x(model.timeZone)}</time_zone_name>`,
    '  </conference>',
  ]
  for (const day of model.days) {
    out.push(`  <day index="${day.index}" date="${day.date}" start="${day.start}" end="${day.end}">`)
    for (const room of day.rooms) {
      out.push(`    <room name="${x(room.name)}" guid="${room.guid}">`)
      for (const s of room.sessions) {
        out.push(
          `      <event guid="${s.guid}" id="${s.id}">`,
          `        <date>${s.date}</date>`,
          `        <start>${s.start}</start>`,
          `        <duration>${s.duration}</duration>`,
          `        <room>${x(s.room)}</room>`,
          `        <slug>${x(s.slug)}</slug>`,
          `        <url>${x(s.url)}</url>`,
          `        <title>${x(s.title)}</title>`,
          '        <subtitle></subtitle>',
          '        <track></track>',
          `        <type>${x(s.type)}</type>`,
          `        <abstract>${x(s.abstract)}</abstract>`,
          `        <persons>${s.persons.map((name) => `<person>${x(name)}</person>`).join('')}</persons>`,
          '      </event>',
        )
      }
      out.push('    </room>')
    }
    out.push('  </day>')
  }
  out.push('</schedule>', '')
  return out.join('\n')
}
