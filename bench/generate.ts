// The benchmark's data: a big site, written straight into a fresh SQLite file with bulk
// inserts (minutes through the forms, seconds this way). Deterministic for a seed.
//
//   50 communities, each with a weekly chat, 200 members and 20 topics
//   10,000 people, all with the password BENCH_PASSWORD (one hash, shared: hashing 10,000
//     times would take minutes and measure nothing)
//   one event, "benchcamp", published: 40 rooms × 25 session slots over two days, 1,000
//     proposals all placed, 300,000 interest votes (30 per person), 20 stars per person
//   200 meetups of 30 seats, most full with a waiting list
//
// Person 1 is the event's organiser and the site admin; person 2 has a personal calendar
// feed with the token in BENCH_CALENDAR_TOKEN.
import type { Kysely } from 'kysely'
import { hashPassword } from '../src/features/accounts/passwords.js'
import { random } from '../src/features/schedule/autoschedule/solver.js'
import { createDb } from '../src/db/create-db.js'
import type { Database } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrator.js'

export const BENCH_PASSWORD = 'benchmark passphrase'
export const BENCH_CALENDAR_TOKEN = 'bench-personal-calendar-token-0123456789abcdef'
export const BENCH_EVENT = 'benchcamp'
export const SHAPE = { communities: 50, people: 10_000, proposals: 1000, votesEach: 30, rooms: 40, slotsPerDay: 13, days: 2, meetups: 200, starsEach: 20 }

async function insertMany<T extends keyof Database>(db: Kysely<Database>, table: T, rows: Record<string, unknown>[], chunk = 500): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await db.insertInto(table).values(rows.slice(i, i + chunk) as any).execute()
  }
}

function pickDistinct(rand: () => number, n: number, count: number): number[] {
  const chosen = new Set<number>()
  while (chosen.size < count) chosen.add(1 + Math.floor(rand() ** 1.6 * n)) // skewed: some sessions are popular
  return [...chosen]
}

export async function generateBenchData(file: string, seed = 2026): Promise<{ ms: number }> {
  const started = Date.now()
  const db = createDb({ dialect: 'sqlite', file })
  await migrateToLatest(db, 'sqlite')
  const rand = random(seed)
  const now = new Date()
  const stamp = now.toISOString()
  const hash = await hashPassword(BENCH_PASSWORD)

  await db.transaction().execute(async (trx) => {
    await insertMany(
      trx,
      'users',
      Array.from({ length: SHAPE.people }, (_, i) => ({
        email: `person${i + 1}@bench.example.org`,
        password_hash: hash,
        display_name: `Person ${i + 1}`,
        handle: `person${i + 1}`,
        role: i === 0 ? 'admin' : 'member',
        locale: i % 10 === 0 ? 'cy' : 'en',
        created_at: stamp,
        updated_at: stamp,
      })),
    )
    await insertMany(
      trx,
      'communities',
      Array.from({ length: SHAPE.communities }, (_, i) => ({
        slug: `community-${i + 1}`,
        name: `Community ${i + 1}`,
        hashtag: `#bench${i + 1}`,
        hashtag_key: `bench${i + 1}`,
        description: 'A benchmark community that chats every week about its work.',
        chat_place: 'Twitter',
        time_zone: 'Europe/London',
        created_by: 1,
        created_at: stamp,
        updated_at: stamp,
      })),
    )
    const members: Record<string, unknown>[] = []
    const schedules: Record<string, unknown>[] = []
    const topics: Record<string, unknown>[] = []
    for (let c = 1; c <= SHAPE.communities; c += 1) {
      schedules.push({ community_id: c, kind: 'weekly', weekday: 1 + (c % 7), start_time: '20:00', duration_minutes: 60, starts_on: '2026-01-05', updated_at: stamp })
      for (let m = 0; m < 200; m += 1) members.push({ community_id: c, user_id: 1 + ((c * 200 + m) % SHAPE.people), role: m === 0 ? 'host' : 'member', joined_at: stamp })
      for (let k = 0; k < 20; k += 1) topics.push({ community_id: c, title: `Topic ${k + 1} of community ${c}`, proposed_by: 1 + ((c + k) % SHAPE.people), created_at: stamp, updated_at: stamp })
    }
    await insertMany(trx, 'community_members', members)
    await insertMany(trx, 'chat_schedules', schedules)
    await insertMany(trx, 'topics', topics)

    const firstDay = new Date(now.getTime() + 30 * 86400000).toISOString().slice(0, 10)
    const lastDay = new Date(now.getTime() + 31 * 86400000).toISOString().slice(0, 10)
    const event = await trx
      .insertInto('events')
      .values({ slug: BENCH_EVENT, name: 'Bench Camp', hashtag: '#benchcamp', hashtag_key: 'benchcamp', community_id: 1, description: 'The benchmark unconference.', venue_name: 'A very large venue', time_zone: 'Europe/London', first_day: firstDay, last_day: lastDay, day_starts: '08:00', day_ends: '20:00', phase: 'published', schedule_published_at: stamp, created_by: 1, created_at: stamp, updated_at: stamp })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx.insertInto('event_organisers').values({ event_id: event.id, user_id: 1, added_at: stamp }).execute()
    await insertMany(trx, 'rooms', Array.from({ length: SHAPE.rooms }, (_, i) => ({ event_id: event.id, name: `Room ${i + 1}`, capacity: 10 + ((i * 7) % 90), features: i % 3 ? 'projector' : '', position: i + 1, created_at: stamp, updated_at: stamp })))
    const slots: Record<string, unknown>[] = []
    for (const day of [firstDay, lastDay]) {
      for (let s = 0; s < SHAPE.slotsPerDay; s += 1) {
        if (day === lastDay && s === SHAPE.slotsPerDay - 1) break // 25 session slots in all
        const startMinutes = 9 * 60 + s * 40
        const time = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
        // London in late December is UTC: local times are UTC times.
        slots.push({ event_id: event.id, day, start_time: time(startMinutes), end_time: time(startMinutes + 30), starts_at: `${day}T${time(startMinutes)}:00.000Z`, ends_at: `${day}T${time(startMinutes + 30)}:00.000Z`, kind: 'session', created_at: stamp, updated_at: stamp })
      }
    }
    await insertMany(trx, 'slots', slots)
    const formats = ['discussion', 'talk', 'workshop', 'show-and-tell'] as const
    await insertMany(
      trx,
      'proposals',
      Array.from({ length: SHAPE.proposals }, (_, i) => ({
        event_id: event.id,
        title: `Session ${i + 1}: ${['Alt text that helps', 'Plain English', 'Crisis comms', 'Open data', 'Accessible PDFs'][i % 5]}`,
        description: 'What we learnt, what went wrong, and what we would do next time. Bring your questions.',
        format: formats[i % formats.length],
        state: 'scheduled',
        proposer_id: 1 + ((i * 13) % SHAPE.people),
        created_at: stamp,
        updated_at: stamp,
      })),
    )
    const proposalIds = (await trx.selectFrom('proposals').select('id').orderBy('id').execute()).map((r) => r.id)
    const roomIds = (await trx.selectFrom('rooms').select('id').orderBy('id').execute()).map((r) => r.id)
    const slotIds = (await trx.selectFrom('slots').select('id').orderBy('id').execute()).map((r) => r.id)
    await insertMany(
      trx,
      'schedule_entries',
      proposalIds.map((proposalId, i) => ({ event_id: event.id, proposal_id: proposalId, slot_id: slotIds[Math.floor(i / roomIds.length)], room_id: roomIds[i % roomIds.length], created_at: stamp, updated_at: stamp })),
    )
    const votes: Record<string, unknown>[] = []
    const stars: Record<string, unknown>[] = []
    for (let person = 1; person <= SHAPE.people; person += 1) {
      for (const p of pickDistinct(rand, proposalIds.length, SHAPE.votesEach)) votes.push({ proposal_id: proposalIds[p - 1], user_id: person, created_at: stamp })
      if (person <= 2000) for (const p of pickDistinct(rand, proposalIds.length, SHAPE.starsEach)) stars.push({ proposal_id: proposalIds[p - 1], user_id: person, created_at: stamp })
    }
    await insertMany(trx, 'proposal_votes', votes, 1000)
    await insertMany(trx, 'stars', stars, 1000)

    const meetups = Array.from({ length: SHAPE.meetups }, (_, i) => {
      const start = new Date(now.getTime() + (2 + (i % 60)) * 86400000)
      start.setUTCHours(12, 30, 0, 0)
      return {
        slug: `lunch-${i + 1}`,
        title: `Lunch ${i + 1}`,
        description: 'Lunch together after the chat. Seats are limited.',
        starts_at: start.toISOString(),
        ends_at: new Date(start.getTime() + 3600000).toISOString(),
        time_zone: 'Europe/London',
        venue_name: 'The Café',
        venue_address: '1 High Street',
        capacity: 30,
        community_id: 1 + (i % SHAPE.communities),
        created_by: 1 + i,
        created_at: stamp,
        updated_at: stamp,
      }
    })
    await insertMany(trx, 'meetups', meetups)
    const meetupIds = (await trx.selectFrom('meetups').select('id').orderBy('id').execute()).map((r) => r.id)
    await insertMany(trx, 'meetup_hosts', meetupIds.map((id, i) => ({ meetup_id: id, user_id: 1 + i })))
    const rsvps: Record<string, unknown>[] = []
    for (const [i, id] of meetupIds.entries()) {
      const replies = 20 + (i % 20) // 20 to 39 replies for 30 seats
      for (let r = 0; r < replies; r += 1) rsvps.push({ meetup_id: id, user_id: 1 + ((i * 37 + r) % SHAPE.people), status: r < 30 ? 'going' : 'waitlisted', party_size: 1, seq: r + 1, created_at: stamp, updated_at: stamp })
      await trx.updateTable('meetups').set({ seats_taken: Math.min(30, replies), rsvp_version: replies }).where('id', '=', id).execute()
    }
    await insertMany(trx, 'rsvps', rsvps, 1000)
    await trx.insertInto('calendar_tokens').values({ user_id: 2, token: BENCH_CALENDAR_TOKEN, created_at: stamp }).execute()
  })
  await db.destroy()
  return { ms: Date.now() - started }
}
