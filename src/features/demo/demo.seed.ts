// The demo a newcomer sees after `npm start` on an empty database. Everything it makes
// is labelled "(demo)"; passwords are random, returned to the caller to print once, and
// stored only as hashes. Later features add their demo content here.
import crypto from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database, Role } from '../../db/database.js'
import { isUniqueViolation } from '../../db/errors.js'
import { hashPassword } from '../accounts/passwords.js'
import { claimFirstAdmin, countUsers, insertUser } from '../accounts/users.queries.js'
import { seedDemoCommunity } from './demo-community.seed.js'
import { seedDemoEvent } from './demo-event.seed.js'
import { seedDemoMeetup } from './demo-meetup.seed.js'
import { seedDemoSchedule } from './demo-schedule.seed.js'

export interface DemoLogin {
  email: string
  password: string
  role: string
}

interface DemoPerson {
  email: string
  displayName: string
  handle: string
  role: Role
  bio: string
  xHandle?: string
  mastodonHandle?: string
  blueskyHandle?: string
}

const PEOPLE: DemoPerson[] = [
  {
    email: 'organiser@example.org',
    displayName: 'Olu Organiser (demo)',
    handle: 'olu',
    role: 'admin',
    bio: 'Demo account. Runs the #lgovsm chat and organises the camp.',
    xHandle: 'lgovsm',
    mastodonHandle: 'olu@social.example.org',
  },
  {
    email: 'ann@example.org',
    displayName: 'Ann Attendee (demo)',
    handle: 'ann',
    role: 'member',
    bio: 'Demo account. Social media officer at a district council.',
    blueskyHandle: 'ann.bsky.social',
  },
  { email: 'bryn@example.org', displayName: 'Bryn Member (demo)', handle: 'bryn', role: 'member', bio: 'Demo account. Digital team, Welsh county council.' },
  { email: 'cat@example.org', displayName: 'Cat Member (demo)', handle: 'cat', role: 'member', bio: 'Demo account. Comms lead, fire and rescue service.' },
]

const ROLE_LABEL: Record<Role, string> = { admin: 'site admin and organiser', organiser: 'organiser', member: 'member' }

class SiteNotEmpty extends Error {}

function randomPassword(): string {
  return crypto.randomBytes(12).toString('base64url')
}

/** Seeds the demo when the site has no accounts yet; returns the logins to print (none if not seeded). */
export async function seedDemoIfEmpty(db: Kysely<Database>, now: Date): Promise<DemoLogin[]> {
  if ((await countUsers(db)) > 0) return []
  const stamp = now.toISOString()
  const people = await Promise.all(PEOPLE.map(async (person) => ({ person, password: randomPassword() })))
  const hashed = await Promise.all(people.map(async (p) => ({ ...p, hash: await hashPassword(p.password) })))
  try {
    await db.transaction().execute(async (trx) => {
      const ids: number[] = []
      for (const { person, hash } of hashed) {
        const user = await insertUser(trx, {
          email: person.email,
          password_hash: hash,
          display_name: person.displayName,
          handle: person.handle,
          bio: person.bio,
          x_handle: person.xHandle ?? null,
          mastodon_handle: person.mastodonHandle ?? null,
          bluesky_handle: person.blueskyHandle ?? null,
          role: person.role,
          // The demo's addresses are made up; treated as confirmed so the demo's emails show at /dev/mail.
          email_verified_at: stamp,
          created_at: stamp,
          updated_at: stamp,
        })
        // Someone else became the first admin meanwhile: the site is not empty after all.
        if (person.role === 'admin' && !(await claimFirstAdmin(trx, user.id))) throw new SiteNotEmpty()
        ids.push(user.id)
      }
      const communityId = await seedDemoCommunity(trx, ids, now)
      const camp = await seedDemoEvent(trx, ids[0]!, communityId, now)
      await seedDemoSchedule(trx, { id: camp.eventId, day: camp.day, timeZone: camp.timeZone }, now)
      await seedDemoMeetup(trx, ids[0]!, communityId, camp.eventId, camp.day, [...ids.slice(1), ...camp.voters], now)
    })
  } catch (error) {
    // Another process seeded (or someone signed up) at the same moment: leave theirs.
    if (error instanceof SiteNotEmpty || isUniqueViolation(error)) return []
    throw error
  }
  return hashed.map(({ person, password }) => ({ email: person.email, password, role: ROLE_LABEL[person.role] }))
}
