// The demo community: #lgovsm, a weekly Wednesday evening chat, a dozen topics with
// votes, and a few past chats in the archive. Written through the same queries the app uses.
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.js'
import { scheduledDates } from '../../lib/chat-recurrence.js'
import { addDays, utcToZoned } from '../../lib/zoned-time.js'
import { addMember, insertCommunity, saveSchedule } from '../communities/communities.queries.js'
import { insertTopic, setTopicVote, updateTopic } from '../communities/topics.queries.js'

const TIME_ZONE = 'Europe/London'

const TOPICS = [
  'Crisis comms when the floods come',
  'Is X still worth it for councils?',
  'Moving to Bluesky and Mastodon',
  'Alt text and accessible images',
  'Measuring what matters, not vanity metrics',
  'Dealing with abuse aimed at staff',
  'Election-period rules (purdah) online',
  'Short video on a tiny budget',
  'Working with the Welsh Language Standards',
  'Getting services teams to write plainly',
  'Live-tweeting council meetings',
  'What we learned from #lgovsm ten years on',
]

/** `people`: the demo accounts' ids, host first. */
export async function seedDemoCommunity(db: Kysely<Database>, people: number[], now: Date): Promise<number> {
  const [host, ...members] = people as [number, ...number[]]
  const stamp = now.toISOString()
  const community = await insertCommunity(db, {
    slug: 'lgovsm',
    name: '#lgovsm — local gov social media (demo)',
    hashtag: 'lgovsm',
    description:
      'A demo community. People who run social media for UK councils meet on **Wednesday evenings** to swap what works.\n\n' +
      'Suggest a topic, vote for the ones you want, and the hosts pick one for each chat.',
    chat_place: 'On X and Bluesky: follow #lgovsm',
    chat_url: 'https://x.com/search?q=%23lgovsm&f=live',
    time_zone: TIME_ZONE,
    created_by: host,
    created_at: stamp,
    updated_at: stamp,
  })
  await addMember(db, community.id, host, 'host', true, stamp)
  for (const [index, member] of members.entries()) await addMember(db, community.id, member, 'member', index % 2 === 0, stamp)

  // Weekly on Wednesdays at 20:00 London time, started eight weeks ago.
  const today = utcToZoned(now, TIME_ZONE).date
  const startsOn = addDays(today, -56)
  await saveSchedule(db, {
    community_id: community.id,
    kind: 'weekly',
    weekday: 3,
    interval_weeks: 1,
    nth: 1,
    start_time: '20:00',
    duration_minutes: 60,
    starts_on: startsOn,
    ends_on: null,
    updated_at: stamp,
  })

  const topicIds: number[] = []
  for (const [index, title] of TOPICS.entries()) {
    const topic = await insertTopic(db, {
      community_id: community.id,
      title,
      description: '',
      proposed_by: people[index % people.length]!,
      created_at: stamp,
      updated_at: stamp,
    })
    topicIds.push(topic.id)
    // A spread of votes (4, 4, 3, 3, 2, …), so the list has an order to it.
    const voters = index < 9 ? people.slice(0, Math.max(0, people.length - Math.floor(index / 2))) : []
    for (const voter of voters) await setTopicVote(db, topic.id, voter, true, stamp)
  }

  // The last three chats are in the archive with their topics; the next one has its topic.
  const past = scheduledDates({ recurrence: { kind: 'weekly', weekday: 3, intervalWeeks: 1 }, startTime: '20:00', durationMinutes: 60, startsOn, endsOn: null, timeZone: TIME_ZONE }, startsOn, addDays(today, -1)).slice(-3)
  for (const [index, date] of past.entries()) {
    await updateTopic(db, topicIds[9 + index]!, { chat_date: date, done: 1, notes_url: index === 2 ? 'https://example.org/lgovsm-notes' : null, updated_at: stamp })
  }
  const next = scheduledDates({ recurrence: { kind: 'weekly', weekday: 3, intervalWeeks: 1 }, startTime: '20:00', durationMinutes: 60, startsOn, endsOn: null, timeZone: TIME_ZONE }, addDays(today, 1), addDays(today, 8))[0]
  if (next) await updateTopic(db, topicIds[0]!, { chat_date: next, updated_at: stamp })
  return community.id
}
