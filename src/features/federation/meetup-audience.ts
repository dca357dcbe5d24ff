// Which of our actors speak for a meetup: its community, and its event once one of the event's
// organisers approved the listing and the event is public. Hidden meetups have none.
import type { Kysely } from 'kysely'
import type { Database, MeetupRow } from '../../db/database.js'
import { communityActor, eventActor } from './actors.js'
import { findCommunityById, findPublicEventById } from './federation.queries.js'

export interface Speaker {
  actor: string
  name: string
  /** Without the #; '' when it has none (an event may not). */
  hashtag: string
  hashtagKey: string
}

export async function meetupSpeakers(db: Kysely<Database>, meetup: MeetupRow | undefined): Promise<Speaker[]> {
  if (!meetup || meetup.hidden_at !== null) return []
  const speakers: Speaker[] = []
  const community = meetup.community_id === null ? undefined : await findCommunityById(db, meetup.community_id)
  if (community) speakers.push({ actor: communityActor(community.id), name: community.name, hashtag: community.hashtag, hashtagKey: community.hashtag_key })
  const event = meetup.event_id === null || meetup.event_approved !== 1 ? undefined : await findPublicEventById(db, meetup.event_id)
  if (event) speakers.push({ actor: eventActor(event.id), name: event.name, hashtag: event.hashtag, hashtagKey: event.hashtag_key })
  return speakers
}
