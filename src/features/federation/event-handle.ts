// What a person pastes into Mastodon to follow a public event: @slug@host, or, when a
// community's hashtag already answers to that name (communities come first), the actor's URL.
import type { Kysely } from 'kysely'
import type { Database, EventRow } from '../../db/database.js'
import { eventActor, fediverseHandle } from './actors.js'

export async function eventFediverseHandle(db: Kysely<Database>, baseUrl: string, event: Pick<EventRow, 'id' | 'slug' | 'phase'>): Promise<string | null> {
  if (event.phase === 'draft') return null
  const taken = await db.selectFrom('communities').select('id').where('hashtag_key', '=', event.slug).limit(1).executeTakeFirst()
  return taken ? new URL(`/ap/actors/${eventActor(event.id)}`, baseUrl).href : fediverseHandle(baseUrl, event.slug)
}
