// The demo lunch: "Lunch on Saturday at the unconference", 12 seats, full, with one party
// of two and three people on the waitlist. Rows are written as the RSVP service would
// leave them (seats_taken, and seq in the order people replied). The hosts ask two questions
// (dietary and access needs), which three of the people going have answered, so the demo
// shows both sides: the questions on the reply form, the answers on the hosts' page.
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.js'
import { zonedToUtc } from '../../lib/zoned-time.js'
import { addMeetupHost } from '../meetups/meetups.queries.js'
import { listQuestions, saveMyAnswers, saveQuestions } from '../meetups/questions.queries.js'
import { queueNotice } from '../notices/queue.js'

export async function seedDemoMeetup(db: Kysely<Database>, hostId: number, communityId: number, eventId: number, eventDay: string, people: number[], now: Date): Promise<void> {
  const stamp = now.toISOString()
  const meetup = await db
    .insertInto('meetups')
    .values({
      slug: 'unconference-lunch',
      title: 'Lunch on Saturday at the unconference (demo)',
      description: 'We decided to have lunch on Saturday at the unconference to iron out the details. **12 seats**: first come, first served.',
      starts_at: zonedToUtc(eventDay, '12:30', 'Europe/London').toISOString(),
      ends_at: zonedToUtc(eventDay, '13:30', 'Europe/London').toISOString(),
      time_zone: 'Europe/London',
      venue_name: 'The Corner Café (invented)',
      venue_address: '14 Example Lane\nLondon EC2V 7XX',
      map_url: null,
      online_url: null,
      capacity: 12,
      rsvp_opens_at: null,
      rsvp_closes_at: null,
      max_party_size: 2,
      community_id: communityId,
      event_id: eventId,
      attendee_visibility: 'attendees',
      seats_taken: 12,
      rsvp_version: 14,
      created_by: hostId,
      created_at: stamp,
      updated_at: stamp,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await addMeetupHost(db, meetup.id, hostId)
  // Ten singles and one party of two fill the 12 seats; three more wait, in order.
  const rsvps = people.slice(0, 14).map((userId, i) => ({
    meetup_id: meetup.id,
    user_id: userId,
    status: i < 11 ? ('going' as const) : ('waitlisted' as const),
    party_size: i === 1 ? 2 : 1,
    seq: i + 1,
    created_at: stamp,
    updated_at: stamp,
  }))
  await db.insertInto('rsvps').values(rsvps).execute()
  await saveQuestions(db, meetup.id, ['Any dietary needs? We will pass them on to the café.', 'Any access needs we should know about?'], stamp)
  const [dietary, access] = await listQuestions(db, meetup.id)
  // The party of two, and two of the singles (never Ann, the demo attendee, who answers herself).
  const answers: [number, string, string][] = [
    [people[1]!, 'Vegetarian, and my guest is vegan', ''],
    [people[4]!, 'No nuts, please (allergy)', ''],
    [people[6]!, '', 'I use a wheelchair: a table near the door, please'],
  ]
  for (const [userId, diet, needs] of answers) {
    await saveMyAnswers(db, meetup.id, [dietary!, access!], userId, new Map([[dietary!.id, diet], [access!.id, needs]]), stamp)
  }
  // The emails those replies sent, for the first of each kind, so a newcomer finds them at
  // /dev/mail (signed in as the demo admin) without a mail server.
  const row = await db.selectFrom('meetups').selectAll().where('id', '=', meetup.id).executeTakeFirstOrThrow()
  await queueNotice(db, { kind: 'rsvpGoing', meetup: row }, [people[0]!], `m${meetup.id}:demo`, now)
  await queueNotice(db, { kind: 'rsvpWaitlisted', meetup: row, position: 1 }, [people[11]!], `m${meetup.id}:demo`, now)
}
