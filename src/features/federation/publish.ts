// What followers of a community hear about its meetups. Called after the change has committed
// (never inside the transaction), it compares the meetup with what was last sent about it and
// sends the one activity that brings followers up to date: Create the first time it is public,
// Update on an edit, a cancellation (the Event says CANCELLED) or its undoing, Delete when it
// is deleted, hidden by a moderator or moved out of the community. Deliveries go through the
// queue: this only records and enqueues.
import { Create, Delete, Event, Tombstone, Update, type Activity, type Federation } from '@fedify/fedify'
import { Temporal } from '@js-temporal/polyfill'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.js'
import { communityActor } from './actors.js'
import { countFollowers, findCommunityById, findMeetupById, recordActivity } from './federation.queries.js'
import { meetupEvent } from './meetup-objects.js'

async function lastSent(db: Kysely<Database>, objectId: string) {
  return db.selectFrom('federation_activities').select(['actor', 'type']).where('object_id', '=', objectId).orderBy('id', 'desc').limit(1).executeTakeFirst()
}

export class Publisher {
  constructor(
    private readonly federation: Federation<void>,
    private readonly db: Kysely<Database>,
    private readonly baseUrl: string,
  ) {}

  private context() {
    return this.federation.createContext(new URL(this.baseUrl), undefined)
  }

  /** Brings followers up to date with this meetup, whatever happened to it. */
  async meetupChanged(meetupId: number): Promise<void> {
    const ctx = this.context()
    const objectId = ctx.getObjectUri(Event, { id: String(meetupId) })
    const meetup = await findMeetupById(this.db, meetupId)
    const community = meetup && meetup.hidden_at === null && meetup.community_id !== null ? await findCommunityById(this.db, meetup.community_id) : undefined
    const previous = await lastSent(this.db, objectId.href)
    const live = previous !== undefined && previous.type !== 'Delete'
    const actor = community ? communityActor(community.id) : null
    if (live && previous.actor !== actor) await this.send(previous.actor, 'Delete', objectId, new Tombstone({ id: objectId, deleted: Temporal.Now.instant() }))
    if (!meetup || !community || !actor) return
    const event = meetupEvent({ meetup, community, objectId, actorId: ctx.getActorUri(actor), followersId: ctx.getFollowersUri(actor), baseUrl: this.baseUrl })
    await this.send(actor, live && previous.actor === actor ? 'Update' : 'Create', objectId, event)
  }

  private async send(actor: string, type: 'Create' | 'Update' | 'Delete', objectId: URL, object: Event | Tombstone): Promise<void> {
    const ctx = this.context()
    const actorId = ctx.getActorUri(actor)
    const stamp = new Date()
    // Unique per sending: a second Update of the same meetup is a new activity.
    const id = new URL(`${objectId.href}#${type.toLowerCase()}-${stamp.getTime()}-${Math.random().toString(36).slice(2, 8)}`)
    const values = { id, actor: actorId, object, to: new URL('https://www.w3.org/ns/activitystreams#Public'), cc: ctx.getFollowersUri(actor), published: Temporal.Instant.from(stamp.toISOString()) }
    const activity: Activity = type === 'Create' ? new Create(values) : type === 'Update' ? new Update({ ...values, updated: values.published }) : new Delete(values)
    await recordActivity(this.db, {
      actor,
      activity_id: id.href,
      type,
      object_id: objectId.href,
      payload: JSON.stringify(await activity.toJsonLd({ format: 'compact', contextLoader: ctx.contextLoader })),
      created_at: stamp.toISOString(),
    })
    // No followers, nothing to deliver: the outbox has it for whoever follows later.
    if ((await countFollowers(this.db, actor)) === 0) return
    await ctx.sendActivity({ identifier: actor }, 'followers', activity, { preferSharedInbox: true })
  }
}
