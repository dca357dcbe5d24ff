// The demo unconference: a Saturday in January in central London (the venue is invented),
// linked to the demo community, with about 40 proposals, interest votes from 150 demo
// members, and a few walk-up pitches in the queue. The 150 voters exist only to vote:
// their password hash is not a hash, so no one can sign in as them.
import type { Kysely } from 'kysely'
import type { Database, ProposalFormat } from '../../db/database.js'
import { nthWeekdayOfMonth, utcToZoned } from '../../lib/zoned-time.js'
import { addOrganiser, insertEvent } from '../events/events.queries.js'

const TIME_ZONE = 'Europe/London'
const VOTERS = 150

const TITLES = [
  'Crisis comms: what we learned from the floods',
  'Is it time to leave X?',
  'Bluesky and Mastodon for councils: a starter kit',
  'Alt text that actually helps',
  'Plain English for policy people',
  'Measuring outcomes, not likes',
  'Handling abuse aimed at frontline staff',
  'Purdah and social media: the grey areas',
  'Video on a phone and a shoestring',
  'Bilingual posting that works in Welsh and English',
  'Live-posting council meetings',
  'Building a digital comms team from scratch',
  'Open data people can use',
  'Service design for comms folk',
  'Chatbots: hype, help or harm?',
  'Writing for GOV.UK style',
  'Accessibility audits on a budget',
  'The newsletter is back',
  'Working with local journalists',
  'Data protection for social media managers',
  'Community engagement beyond the usual suspects',
  'Using AI tools safely in comms',
  'Wellbeing for people who are always online',
  'Consultations people want to answer',
  'Emergency alerts and what comes next',
  'Proving the value of comms to the chief exec',
  'Content design pairing: a live demo',
  'Templates that save us all time',
  'Social listening without creepiness',
  'Winning hearts for climate action',
  'Engaging young people where they are',
  'Making FOI less painful',
  'Photography, consent and children',
  'Rural broadband and digital inclusion',
  'Councillor social media: support or police?',
  'Show and tell: our new website',
  'What we stopped doing (and nobody noticed)',
  'Cross-council collaboration that stuck',
  'Mentoring the next lgovsm generation',
  'Open mic: your biggest comms fail',
]
const FORMATS: ProposalFormat[] = ['discussion', 'discussion', 'talk', 'workshop', 'show-and-tell', 'other']
const NEEDS = ['', 'projector', '', 'step-free', 'projector hearing-loop', '', 'whiteboard', '']
const WALK_UPS = [
  { title: 'Lightning round: one tool I love', name: 'Priya (demo)', handle: 'priya_comms' },
  { title: 'Comms for the cost of living crisis', name: 'Gareth (demo)', handle: null },
  { title: 'Can we fix council Facebook comments?', name: 'Sam (demo)', handle: 'samtweets' },
]

/** `organiserId` runs the event; `communityId` is the demo community it belongs to. */
export async function seedDemoEvent(db: Kysely<Database>, organiserId: number, communityId: number, now: Date): Promise<{ eventId: number; day: string; timeZone: string; voters: number[] }> {
  const stamp = now.toISOString()
  // The third Saturday of next January.
  const { date: today } = utcToZoned(now, TIME_ZONE)
  const day = nthWeekdayOfMonth(Number(today.slice(0, 4)) + 1, 1, 6, 3)!
  const event = await insertEvent(db, {
    slug: 'lgovcamp',
    name: 'LocalGovCamp London (demo)',
    hashtag: 'lgovcamp',
    community_id: communityId,
    description:
      'A demo unconference. There is no agenda until the morning: **you** pitch the sessions.\n\n' +
      'Propose a session now, say which ones you would go to, and pitch it on the day.',
    venue_name: 'The Guildhall Rooms (invented venue)',
    venue_address: '12 Example Lane\nLondon EC2V 7XX',
    map_url: null,
    time_zone: TIME_ZONE,
    first_day: day,
    last_day: day,
    day_starts: '09:00',
    day_ends: '17:00',
    created_by: organiserId,
    created_at: stamp,
    updated_at: stamp,
  })
  await db.updateTable('events').set({ phase: 'proposals' }).where('id', '=', event.id).execute()
  await addOrganiser(db, event.id, organiserId, stamp)

  const voters = await db
    .insertInto('users')
    .values(
      Array.from({ length: VOTERS }, (_, i) => ({
        email: `voter${i + 1}@demo.example.org`,
        // Not a scrypt hash: verifyPassword always says no, so nobody can sign in as a voter.
        password_hash: 'demo-voter-cannot-sign-in',
        display_name: `Demo Voter ${i + 1}`,
        email_verified_at: stamp,
        bio: 'Demo account that only votes.',
        role: 'member' as const,
        created_at: stamp,
        updated_at: stamp,
      })),
    )
    .returning('id')
    .execute()

  const proposals = await db
    .insertInto('proposals')
    .values(
      TITLES.map((title, i) => ({
        event_id: event.id,
        title,
        description: '',
        format: FORMATS[i % FORMATS.length]!,
        needs: NEEDS[i % NEEDS.length]!,
        // The organiser proposed the first; demo members the rest, so the grid has no false host clashes.
        proposer_id: i === 0 ? organiserId : voters[(i * 37) % VOTERS]!.id,
        pitcher_name: null,
        pitcher_handle: null,
        queue_position: null,
        notes_url: null,
        created_at: stamp,
        updated_at: stamp,
      })),
    )
    .returning('id')
    .execute()

  // A long tail of interest: the first proposals draw most of the room, the last few almost no one.
  const votes = proposals.flatMap((proposal, p) =>
    voters.filter((_, v) => (v * 31 + p * 17) % 100 < Math.max(2, 60 - p * 1.5)).map((voter) => ({ proposal_id: proposal.id, user_id: voter.id, created_at: stamp })),
  )
  for (let i = 0; i < votes.length; i += 1000) await db.insertInto('proposal_votes').values(votes.slice(i, i + 1000)).execute()

  await db
    .insertInto('proposals')
    .values(
      WALK_UPS.map((pitch, i) => ({
        event_id: event.id,
        title: pitch.title,
        description: '',
        format: 'discussion' as const,
        needs: '',
        proposer_id: null,
        pitcher_name: pitch.name,
        pitcher_handle: pitch.handle,
        walk_up: 1,
        queue_position: i + 1,
        notes_url: null,
        created_at: stamp,
        updated_at: stamp,
      })),
    )
    .execute()
  return { eventId: event.id, day, timeZone: TIME_ZONE, voters: voters.map((v) => v.id) }
}
