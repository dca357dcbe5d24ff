// What the meetup's edit page shows, drawn by its GET and by the image form's 400
// (features/images/images.routes.ts), so both pages are the same page.
import type { Kysely } from 'kysely'
import type { Database, MeetupRow } from '../../db/database.js'
import type { Locale } from '../../i18n/i18n.js'
import { listCommunities } from '../communities/communities.queries.js'
import { listEvents } from '../events/events.queries.js'
import { findImage } from '../images/images.queries.js'
import { imageView, type ImageView } from '../images/images.view-models.js'
import { QUESTION_FIELDS, VISIBILITIES } from './meetups.schemas.js'
import { listQuestions } from './questions.queries.js'
import { meetupFormValues, toMeetupView } from './meetups.view-models.js'


export async function meetupImage(db: Kysely<Database>, baseUrl: string, meetupId: number): Promise<ImageView | null> {
  return imageView(baseUrl, await findImage(db, { kind: 'meetup', id: meetupId }))
}

/** The host's questions as the form's fields (question1…): blank where there is none. */
export async function questionValues(db: Kysely<Database>, meetupId: number): Promise<Record<string, string>> {
  const questions = await listQuestions(db, meetupId)
  return Object.fromEntries(QUESTION_FIELDS.map((name, i) => [name, questions.find((q) => q.position === i + 1)?.question ?? '']))
}

export async function meetupEditPage(db: Kysely<Database>, baseUrl: string, locale: Locale, meetup: MeetupRow, userId: number) {
  const [community, event, communities, events, image, questions] = await Promise.all([
    meetup.community_id ? db.selectFrom('communities').select('slug').where('id', '=', meetup.community_id).executeTakeFirst() : undefined,
    meetup.event_id ? db.selectFrom('events').select('slug').where('id', '=', meetup.event_id).executeTakeFirst() : undefined,
    listCommunities(db, ''),
    listEvents(db, userId),
    meetupImage(db, baseUrl, meetup.id),
    questionValues(db, meetup.id),
  ])
  return {
    meetup: toMeetupView(locale, meetup),
    values: { ...meetupFormValues(meetup, community?.slug ?? null, event?.slug ?? null), ...questions },
    errors: {},
    visibilities: VISIBILITIES,
    communities,
    events,
    image,
  }
}
