// What the event's edit page shows, drawn by its GET and by the image form's 400
// (features/images/images.routes.ts), so both pages are the same page.
import type { Kysely } from 'kysely'
import type { Database, EventRow } from '../../db/database.js'
import type { Locale } from '../../i18n/i18n.js'
import { listCommunities } from '../communities/communities.queries.js'
import { findImage } from '../images/images.queries.js'
import { imageView, type ImageView } from '../images/images.view-models.js'
import { eventFormValues, toEventHeader } from './events.view-models.js'


export async function eventImage(db: Kysely<Database>, baseUrl: string, eventId: number): Promise<ImageView | null> {
  return imageView(baseUrl, await findImage(db, { kind: 'event', id: eventId }))
}

export async function eventEditPage(db: Kysely<Database>, baseUrl: string, locale: Locale, event: EventRow) {
  const [community, communities, image] = await Promise.all([
    event.community_id ? db.selectFrom('communities').select('slug').where('id', '=', event.community_id).executeTakeFirst() : undefined,
    listCommunities(db, ''),
    eventImage(db, baseUrl, event.id),
  ])
  return {
    event: toEventHeader(locale, event),
    values: eventFormValues(event, community?.slug ?? null),
    errors: {},
    communities,
    image,
  }
}
