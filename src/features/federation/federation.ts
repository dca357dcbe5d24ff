// The Fedify federation: our actors (communities and public events as Groups), WebFinger, NodeInfo, the inbox
// (Follow, Undo) and the collections. Built once per app (src/plugins/federation.ts).
import './node20-shims.js'
import {
  Accept,
  Activity,
  createFederation,
  Endpoints,
  Event,
  exportJwk,
  Follow,
  generateCryptoKeyPair,
  Group,
  importJwk,
  isActor,
  Undo,
  type Federation,
} from '@fedify/fedify'
import type { Kysely } from 'kysely'
import type { Config } from '../../config.js'
import type { Database } from '../../db/database.js'
import { renderMarkdown } from '../../lib/markdown.js'
import { communityActor, eventActor, parseActor } from './actors.js'
import {
  addFollower,
  countActivities,
  countFollowers,
  findCommunityByHashtagKey,
  findCommunityById,
  findKeyPairs,
  findPublicEventById,
  findPublicEventBySlug,
  findMeetupById,
  insertKeyPair,
  listActivities,
  listFollowers,
  nodeCounts,
  removeFollower,
} from './federation.queries.js'
import type { KyselyKvStore } from './kv-store.js'
import type { KyselyMessageQueue } from './message-queue.js'
import { meetupSpeakers } from './meetup-audience.js'
import { meetupEvent } from './meetup-objects.js'

export const ACTOR_PATH = '/ap/actors/{identifier}'
export const MEETUP_PATH = '/ap/meetups/{id}'
const PAGE_SIZE = 50
const ALGORITHMS = ['RSASSA-PKCS1-v1_5', 'Ed25519'] as const

export interface FederationParts {
  db: Kysely<Database>
  config: Config
  kv: KyselyKvStore
  queue: KyselyMessageQueue
  version: string
  /** Where something that went wrong handling a remote request is told (never with a key). */
  warn: (message: string, error: unknown) => void
}

/** The actor's key pairs, made on first use and kept (JWK) so every process signs with the same ones. */
async function keyPairsOf(db: Kysely<Database>, actor: string): Promise<CryptoKeyPair[]> {
  let stored = await findKeyPairs(db, actor)
  if (stored.length < ALGORITHMS.length) {
    const stamp = new Date().toISOString()
    for (const algorithm of ALGORITHMS) {
      if (stored.some((row) => row.algorithm === algorithm)) continue
      const pair = await generateCryptoKeyPair(algorithm)
      await insertKeyPair(db, actor, { algorithm, public_jwk: JSON.stringify(await exportJwk(pair.publicKey)), private_jwk: JSON.stringify(await exportJwk(pair.privateKey)) }, stamp)
    }
    stored = await findKeyPairs(db, actor)
  }
  // RSA first: Fedify signs HTTP requests with the first RSA key and proofs with Ed25519.
  const ordered = ALGORITHMS.map((algorithm) => stored.find((row) => row.algorithm === algorithm)).filter((row) => row !== undefined)
  return Promise.all(
    ordered.map(async (row) => ({
      publicKey: await importJwk(JSON.parse(row.public_jwk) as JsonWebKey, 'public'),
      privateKey: await importJwk(JSON.parse(row.private_jwk) as JsonWebKey, 'private'),
    })),
  )
}

/** What an actor identifier stands for now: a community, or a public event; null when neither. */
async function findActor(db: Kysely<Database>, identifier: string): Promise<{ handle: string; name: string; description: string; path: string } | null> {
  const ref = parseActor(identifier)
  if (ref?.kind === 'community') {
    const community = await findCommunityById(db, ref.id)
    return community ? { handle: community.hashtag_key, name: community.name, description: community.description, path: `/communities/${encodeURIComponent(community.slug)}` } : null
  }
  if (ref?.kind === 'event') {
    const event = await findPublicEventById(db, ref.id)
    return event ? { handle: event.slug, name: event.name, description: event.description, path: `/events/${encodeURIComponent(event.slug)}` } : null
  }
  return null
}

function semver(version: string) {
  const [major = 0, minor = 0, patch = 0] = version.split(/[.+-]/).map((part) => Number(part) || 0)
  return { major, minor, patch, prerelease: [], build: [] }
}

export function buildFederation({ db, config, kv, queue, version, warn }: FederationParts): Federation<void> {
  const federation = createFederation<void>({
    kv,
    queue,
    // The plugin starts the queue when the app is ready and stops it when the app closes.
    manuallyStartQueue: true,
    origin: config.baseUrl,
    // Off in production: a remote server must not make us fetch from our own network (SSRF).
    allowPrivateAddress: config.allowPrivatePeers,
    userAgent: { software: `Hashcamp/${version}`, url: new URL(config.baseUrl) },
    onOutboxError: (error) => warn('an ActivityPub delivery failed', error),
  })

  federation
    .setActorDispatcher(ACTOR_PATH, async (ctx, identifier) => {
      const found = await findActor(db, identifier)
      if (!found) return null
      const keys = await ctx.getActorKeyPairs(identifier)
      return new Group({
        id: ctx.getActorUri(identifier),
        preferredUsername: found.handle,
        name: found.name,
        summary: found.description ? renderMarkdown(found.description) : null,
        url: new URL(found.path, config.baseUrl),
        inbox: ctx.getInboxUri(identifier),
        outbox: ctx.getOutboxUri(identifier),
        followers: ctx.getFollowersUri(identifier),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        manuallyApprovesFollowers: false,
        discoverable: true,
        publicKey: keys[0]?.cryptographicKey ?? null,
        assertionMethods: keys.map((key) => key.multikey),
      })
    })
    // A community's hashtag first; else a public event's slug.
    .mapHandle(async (_ctx, handle) => {
      const community = await findCommunityByHashtagKey(db, handle.normalize('NFC').toLowerCase())
      if (community) return communityActor(community.id)
      const event = await findPublicEventBySlug(db, handle)
      return event ? eventActor(event.id) : null
    })
    .setKeyPairsDispatcher(async (_ctx, identifier) => (parseActor(identifier) === null ? [] : keyPairsOf(db, identifier)))

  federation
    .setFollowersDispatcher(`${ACTOR_PATH}/followers`, async (_ctx, identifier, cursor) => {
      // No cursor: everyone at once, for sending to "followers".
      const rows = await listFollowers(db, identifier, cursor === null ? 0 : Number(cursor) || 0, cursor === null ? null : PAGE_SIZE)
      const items = rows.map((row) => ({
        id: new URL(row.actor_id),
        inboxId: new URL(row.actor_inbox),
        endpoints: row.shared_inbox ? { sharedInbox: new URL(row.shared_inbox) } : null,
      }))
      const last = rows.at(-1)
      return { items, nextCursor: cursor !== null && rows.length === PAGE_SIZE && last ? String(last.id) : null }
    })
    .setCounter((_ctx, identifier) => countFollowers(db, identifier))
    .setFirstCursor(() => '0')

  federation
    .setOutboxDispatcher(`${ACTOR_PATH}/outbox`, async (ctx, identifier, cursor) => {
      const rows = await listActivities(db, identifier, cursor === null || cursor === '' ? null : Number(cursor), PAGE_SIZE)
      const items = await Promise.all(rows.map((row) => Activity.fromJsonLd(JSON.parse(row.payload), { documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader })))
      const last = rows.at(-1)
      return { items, nextCursor: rows.length === PAGE_SIZE && last ? String(last.id) : null }
    })
    .setCounter((_ctx, identifier) => countActivities(db, identifier))
    .setFirstCursor(() => '')

  federation.setObjectDispatcher(Event, MEETUP_PATH, async (ctx, values) => {
    const meetup = /^\d{1,15}$/.test(values.id) ? await findMeetupById(db, Number(values.id)) : undefined
    const [speaker] = await meetupSpeakers(db, meetup)
    if (!meetup || !speaker) return null
    return meetupEvent({ meetup, speaker, objectId: ctx.getObjectUri(Event, values), actorId: ctx.getActorUri(speaker.actor), followersId: ctx.getFollowersUri(speaker.actor), baseUrl: config.baseUrl })
  })

  federation
    .setInboxListeners(`${ACTOR_PATH}/inbox`, '/ap/inbox')
    .on(Follow, async (ctx, follow) => {
      if (follow.id === null || follow.actorId === null || follow.objectId === null) return
      const target = ctx.parseUri(follow.objectId)
      if (target?.type !== 'actor') return
      if (!(await findActor(db, target.identifier))) return
      const follower = await follow.getActor(ctx)
      if (!isActor(follower) || follower.id === null || follower.inboxId === null) return
      await addFollower(db, {
        target_actor: target.identifier,
        actor_id: follower.id.href,
        actor_inbox: follower.inboxId.href,
        shared_inbox: follower.endpoints?.sharedInbox?.href ?? null,
        created_at: new Date().toISOString(),
      })
      await ctx.sendActivity({ identifier: target.identifier }, follower, new Accept({ id: new URL(`#accept-${encodeURIComponent(follow.id.href)}`, ctx.getActorUri(target.identifier)), actor: follow.objectId, object: follow }))
    })
    .on(Undo, async (ctx, undo) => {
      const object = await undo.getObject(ctx)
      if (!(object instanceof Follow) || object.objectId === null || undo.actorId === null) return
      // Only the follower may take its Follow back (Fedify checked that the signer is undo's actor).
      if (object.actorId?.href !== undo.actorId.href) return
      const target = ctx.parseUri(object.objectId)
      if (target?.type !== 'actor') return
      await removeFollower(db, target.identifier, undo.actorId.href)
    })
    .onError((_ctx, error) => warn('an incoming ActivityPub activity failed', error))

  federation.setNodeInfoDispatcher('/nodeinfo/2.1', async () => {
    const counts = await nodeCounts(db)
    return {
      software: { name: 'hashcamp', version: semver(version) },
      protocols: ['activitypub'],
      usage: { users: { total: counts.users }, localPosts: counts.meetups, localComments: 0 },
      openRegistrations: true,
    }
  })

  return federation
}
