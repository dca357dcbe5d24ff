// What followers of a community or a public event hear about its meetups. Called after the
// change has committed (never inside the transaction), it compares the meetup with what each
// actor last sent about it and sends what brings that actor's followers up to date: Create the
// first time it is public there, Update on an edit, a cancellation (the Event says CANCELLED)
// or its undoing, Delete when it is deleted, hidden by a moderator or moved out of the
// community or event. Deliveries go through the queue: this only records and enqueues.
import { Create, Delete, Event, Hashtag, Note, Tombstone, Update, type Activity, type Federation } from '@fedify/fedify'
import { Temporal } from '@js-temporal/polyfill'
import type { Kysely } from 'kysely'
import type { Database, EventRow } from '../../db/database.js'
import { communityActor, eventActor } from './actors.js'
import { countFollowers, findCommunityById, lastScheduleNote, lastSentAbout, scheduleChangesAfter, findMeetupById, findPublicEventById, recordActivity } from './federation.queries.js'
import { meetupSpeakers } from './meetup-audience.js'
import { phaseNote } from './phase-notes.js'
import { chatTopicNote, findChatWithTopic } from './chat-notes.js'
import { scheduleChangesNote } from './schedule-notes.js'
import { sessionEvent } from './session-objects.js'
import { eventSessions, oneSession, sessionsOfProposals, type SessionRow } from '../calendars/calendars.queries.js'
import { meetupEvent } from './meetup-objects.js'

/** What each actor last sent about this object: a Create or Update leaves it live there. */
async function lastSentByActor(db: Kysely<Database>, objectId: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom('federation_activities').select(['actor', 'type']).where('object_id', '=', objectId).orderBy('id').execute()
  return new Map(rows.map((row) => [row.actor, row.type]))
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
    const speakers = await meetupSpeakers(this.db, meetup)
    const previous = await lastSentByActor(this.db, objectId.href)
    for (const [actor, type] of previous) {
      if (type !== 'Delete' && !speakers.some((speaker) => speaker.actor === actor)) await this.send(actor, 'Delete', objectId, new Tombstone({ id: objectId, deleted: Temporal.Now.instant() }))
    }
    if (!meetup) return
    for (const speaker of speakers) {
      const live = previous.has(speaker.actor) && previous.get(speaker.actor) !== 'Delete'
      const event = meetupEvent({ meetup, speaker, objectId, actorId: ctx.getActorUri(speaker.actor), followersId: ctx.getFollowersUri(speaker.actor), baseUrl: this.baseUrl })
      await this.send(speaker.actor, live ? 'Update' : 'Create', objectId, event)
    }
  }

  /**
   * An event's phase changed: opening for proposals, or publishing its schedule, is news for
   * the event's followers and its community's. Each is told once per event, however often
   * organisers step the phase back and forth.
   */
  async eventPhaseChanged(eventId: number): Promise<void> {
    const event = await findPublicEventById(this.db, eventId)
    if (!event || (event.phase !== 'proposals' && event.phase !== 'published')) return
    const objectId = new URL(`/ap/notes/event-${event.id}-${event.phase}`, this.baseUrl)
    const community = event.community_id === null ? undefined : await findCommunityById(this.db, event.community_id)
    const actors = [eventActor(event.id), ...(community ? [communityActor(community.id)] : [])]
    const sent = await lastSentByActor(this.db, objectId.href)
    const tag = await this.tagOf(event)
    for (const actor of actors) {
      if (sent.has(actor)) continue
      await this.send(actor, 'Create', objectId, this.note(actor, objectId, phaseNote(event, this.baseUrl, tag), tag))
    }
    // Publishing again after a step back sends only sessions not sent before.
    if (event.phase === 'published') await this.sessionsChanged(event, eventSessions(this.db, event.id, new Date().toISOString()), [], { onlyNew: true })
  }

  /** A moderator hid or restored one session: Delete its Event, or send it again. */
  async sessionChanged(eventId: number, proposalId: number): Promise<void> {
    const event = await findPublicEventById(this.db, eventId)
    if (!event || event.schedule_published_at === null) return
    await this.sessionsChanged(event, sessionsOfProposals(this.db, event.id, [proposalId]), [proposalId])
  }

  /** A public session's Event as JSON-LD, for whoever fetches /ap/sessions/{id}; null when not public. */
  async sessionDocument(proposalId: number): Promise<unknown> {
    const entry = await this.db.selectFrom('schedule_entries').select('event_id').where('proposal_id', '=', proposalId).executeTakeFirst()
    const event = entry ? await findPublicEventById(this.db, entry.event_id) : undefined
    const session = event ? await oneSession(this.db, event.id, proposalId) : undefined
    if (!event || !session) return null
    const ctx = this.context()
    const actor = eventActor(event.id)
    const objectId = new URL(`/ap/sessions/${proposalId}`, this.baseUrl)
    const object = sessionEvent({ session, timeZone: event.time_zone, objectId, actorId: ctx.getActorUri(actor), followersId: ctx.getFollowersUri(actor), baseUrl: this.baseUrl, tag: await this.tagOf(event) })
    return object.toJsonLd({ format: 'compact', contextLoader: ctx.contextLoader })
  }

  /** A public Note from one of our actors, to its followers, with the hashtag as a tag. */
  private note(actor: string, objectId: URL, content: { html: string; url: string }, tag: { hashtag: string; url: URL } | null): Note {
    const ctx = this.context()
    return new Note({
      id: objectId,
      attribution: ctx.getActorUri(actor),
      content: content.html,
      url: new URL(content.url, this.baseUrl),
      tags: tag ? [new Hashtag({ name: `#${tag.hashtag}`, href: tag.url })] : [],
      published: Temporal.Now.instant(),
      to: new URL('https://www.w3.org/ns/activitystreams#Public'),
      cc: ctx.getFollowersUri(actor),
    })
  }

  /** The hashtag an event's posts carry: its own, else its community's. */
  private async tagOf(event: EventRow): Promise<{ hashtag: string; url: URL } | null> {
    const community = event.community_id === null || event.hashtag ? undefined : await findCommunityById(this.db, event.community_id)
    const hashtag = event.hashtag || community?.hashtag || ''
    const hashtagKey = event.hashtag ? event.hashtag_key : (community?.hashtag_key ?? '')
    return hashtag ? { hashtag, url: new URL(`/tags/${encodeURIComponent(hashtagKey)}`, this.baseUrl) } : null
  }

  /**
   * Sessions on a published grid as Events from the event's actor: Create the first time one
   * is there, Update when it moves, is retimed or cancelled (CANCELLED), Delete when it is no
   * longer public (hidden, or the schedule unpublished). Mastodon shows an Update as an edit of
   * the post it already has, so only new sessions make new posts.
   */
  private async sessionsChanged(event: EventRow, loaded: Promise<SessionRow[]>, expected: number[] = [], options = { onlyNew: false }): Promise<void> {
    const sessions = await loaded
    const ctx = this.context()
    const actor = eventActor(event.id)
    const objectIdOf = (proposalId: number) => new URL(`/ap/sessions/${proposalId}`, this.baseUrl)
    const ids = [...new Set([...sessions.map((s) => s.proposal_id), ...expected])]
    const previous = await lastSentAbout(this.db, actor, ids.map((id) => objectIdOf(id).href))
    const tag = await this.tagOf(event)
    const followers = await countFollowers(this.db, actor)
    for (const id of ids) {
      const objectId = objectIdOf(id)
      const live = (previous.get(objectId.href) ?? 'Delete') !== 'Delete'
      const session = sessions.find((s) => s.proposal_id === id)
      if (!session) {
        if (live) await this.send(actor, 'Delete', objectId, new Tombstone({ id: objectId, deleted: Temporal.Now.instant() }), followers)
        continue
      }
      // A session cancelled before it was ever sent is not news.
      if ((!live && session.cancelled_at !== null) || (live && options.onlyNew)) continue
      const object = sessionEvent({ session, timeZone: event.time_zone, objectId, actorId: ctx.getActorUri(actor), followersId: ctx.getFollowersUri(actor), baseUrl: this.baseUrl, tag })
      await this.send(actor, live ? 'Update' : 'Create', objectId, object, followers)
    }
  }

  /**
   * A host gave an upcoming chat its topic, changed it or cleared it: the community's followers
   * hear it as a Note (Create, then Update, or Delete when cleared or the chat is skipped).
   * Chats already over are history, not news: nothing is sent for them.
   */
  async chatTopicChanged(communityId: number, chatDate: string): Promise<void> {
    const community = await findCommunityById(this.db, communityId)
    if (!community) return
    const actor = communityActor(communityId)
    const objectId = new URL(`/ap/notes/chat-${communityId}-${chatDate}`, this.baseUrl)
    const live = ((await lastSentByActor(this.db, objectId.href)).get(actor) ?? 'Delete') !== 'Delete'
    const chat = await findChatWithTopic(this.db, community, chatDate)
    if (chat && chat.start.getTime() < Date.now()) return
    if (!chat || !chat.topic) {
      if (live) await this.send(actor, 'Delete', objectId, new Tombstone({ id: objectId, deleted: Temporal.Now.instant() }))
      return
    }
    const tag = { hashtag: community.hashtag, url: new URL(`/tags/${encodeURIComponent(community.hashtag_key)}`, this.baseUrl) }
    const note = this.note(actor, objectId, chatTopicNote(community, { start: chat.start, topic: chat.topic }, this.baseUrl, tag.url), tag)
    await this.send(actor, live ? 'Update' : 'Create', objectId, note)
  }

  /**
   * A published schedule changed (sessions added, moved, retimed, cancelled): the event's
   * followers get the changelog's lines since the last such Note, in one Note. Callers may
   * call this after any grid change; changes already sent are never sent again.
   */
  async scheduleChanged(eventId: number): Promise<void> {
    const event = await findPublicEventById(this.db, eventId)
    if (!event || event.phase !== 'published') return
    const actor = eventActor(event.id)
    const prefix = new URL(`/ap/notes/schedule-${event.id}-`, this.baseUrl).href
    const lastSent = await lastScheduleNote(this.db, actor, prefix)
    // The first Note after federation is switched on: only fresh changes, never an old backlog.
    const since = lastSent === null ? new Date(Date.now() - 10 * 60_000).toISOString() : null
    const changes = await scheduleChangesAfter(this.db, event.id, lastSent ?? 0, since)
    if (!changes.length) return
    const tag = await this.tagOf(event)
    const objectId = new URL(`${prefix}${changes[changes.length - 1]!.id}`)
    const note = this.note(actor, objectId, scheduleChangesNote(event, changes, this.baseUrl, tag), tag)
    await this.send(actor, 'Create', objectId, note)
    const changed = [...new Set(changes.map((change) => change.proposal_id).filter((id): id is number => id !== null))]
    await this.sessionsChanged(event, sessionsOfProposals(this.db, event.id, changed), changed)
  }

  /** `followers`: the actor's count when the caller already has it (one query for many sends). */
  private async send(actor: string, type: 'Create' | 'Update' | 'Delete', objectId: URL, object: Event | Tombstone | Note, followers?: number): Promise<void> {
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
    if ((followers ?? (await countFollowers(this.db, actor))) === 0) return
    await ctx.sendActivity({ identifier: actor }, 'followers', activity, { preferSharedInbox: true })
  }
}
