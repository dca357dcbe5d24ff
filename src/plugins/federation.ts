// ActivityPub (issue 21): the Fedify federation, its store and queue in our database, and the
// publisher the features call after a change commits. The queue worker runs in every app
// process (claims keep them from doing the same delivery twice; HASHCAMP_FEDERATION_WORKER=off
// turns it off) and stops before the database closes.
//
// Fedify is loaded on first use, not at start-up: importing it costs about 57 MB of memory
// (docs/benchmarks.md), which a process that only serves pages and RSVPs never needs. First
// use is a federation request (WebFinger, an actor, an inbox), a change that federates, or,
// when the app is ready, deliveries left in the queue; the worker starts once it is loaded.
import fs from 'node:fs'
import path from 'node:path'
import type { Federation } from '@fedify/fedify'
import fp from 'fastify-plugin'
import { sql } from 'kysely'
import type { Config } from '../config.js'
import { federatedMeetupIdsBy } from '../features/federation/federation.queries.js'
import { KyselyKvStore } from '../features/federation/kv-store.js'
import { KyselyMessageQueue, type QueueOptions } from '../features/federation/message-queue.js'
import type { Publisher } from '../features/federation/publish.js'
import { PROJECT_ROOT } from '../project-root.js'

/** What needs Fedify itself: built on first use. */
export interface LoadedFederation {
  federation: Federation<void>
  publisher: Publisher
}

export interface Fediverse {
  queue: KyselyMessageQueue
  /** The federation and the publisher, loading Fedify the first time. */
  load(): Promise<LoadedFederation>
  /** Tells followers about a meetup's change; never fails the request that changed it. */
  meetupChanged(meetupId: number): Promise<void>
  /** The same for every meetup a person made (their suspension, or its lifting). */
  meetupsOfPersonChanged(userId: number): Promise<void>
  /** An event opened for proposals or published its schedule: its followers and its community's hear. */
  eventPhaseChanged(eventId: number): Promise<void>
  /** A chat's topic was set, changed or cleared, or the chat skipped or moved: the community's followers hear. */
  chatTopicChanged(communityId: number, chatDate: string): Promise<void>
  /** A published schedule changed: the event's followers get the changelog lines not yet sent. */
  scheduleChanged(eventId: number): Promise<void>
  /** One session was hidden or restored by a moderator: its Event is deleted, or sent again. */
  sessionChanged(eventId: number, proposalId: number): Promise<void>
}

declare module 'fastify' {
  interface FastifyInstance {
    fediverse: Fediverse
  }
}

function appVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version?: string }
  return pkg.version ?? '0.0.0'
}

export default fp<{ config: Config; queue?: Partial<QueueOptions> }>(
  async (app, { config, queue: queueOptions }) => {
    const log = app.log.child({ component: 'federation' })
    const kv = new KyselyKvStore(app.db)
    const queue = new KyselyMessageQueue(app.db, app.dialect, queueOptions)
    // Errors carry their message only: a delivery's error can quote the request it signed.
    const warn = (message: string, error: unknown) => log.warn({ error: error instanceof Error ? error.message : String(error) }, message)
    const stop = new AbortController()
    let ready = false
    let running: Promise<void> | null = null
    const startWorker = (federation: Federation<void>) => {
      if (!config.federationWorker || !ready || running || stop.signal.aborted) return
      running = federation.startQueue(undefined, { signal: stop.signal }).catch((error: unknown) => warn('the ActivityPub queue stopped', error))
    }
    let loading: Promise<LoadedFederation> | null = null
    const load = (): Promise<LoadedFederation> =>
      (loading ??= (async () => {
        const [{ buildFederation }, { Publisher }] = await Promise.all([import('../features/federation/federation.js'), import('../features/federation/publish.js')])
        const federation = buildFederation({ db: app.db, config, kv, queue, version: appVersion(), warn })
        startWorker(federation)
        return { federation, publisher: new Publisher(federation, app.db, config.baseUrl) }
      })().catch((error: unknown) => {
        loading = null // tried again next time, rather than failing for the process's life
        throw error
      }))
    /** Telling followers never fails the request that made the change: a failure is logged. */
    const quietly =
      <A extends unknown[]>(what: string, run: (publisher: Publisher, ...args: A) => Promise<void>) =>
      async (...args: A): Promise<void> => {
        try {
          await run((await load()).publisher, ...args)
        } catch (error) {
          warn(`could not queue the ActivityPub activity for ${what}`, error)
        }
      }
    const meetupChanged = quietly('a meetup', (publisher, meetupId: number) => publisher.meetupChanged(meetupId))
    app.decorate('fediverse', {
      queue,
      load,
      meetupChanged,
      async meetupsOfPersonChanged(userId: number) {
        for (const id of await federatedMeetupIdsBy(app.db, userId)) await meetupChanged(id)
      },
      eventPhaseChanged: quietly('an event', (publisher, eventId: number) => publisher.eventPhaseChanged(eventId)),
      chatTopicChanged: quietly('a chat', (publisher, communityId: number, chatDate: string) => publisher.chatTopicChanged(communityId, chatDate)),
      scheduleChanged: quietly('a schedule change', (publisher, eventId: number) => publisher.scheduleChanged(eventId)),
      sessionChanged: quietly('a session', (publisher, eventId: number, proposalId: number) => publisher.sessionChanged(eventId, proposalId)),
    })

    app.addHook('onReady', async () => {
      ready = true
      if (!config.federationWorker) return
      // Deliveries a previous run (or another process) left: this worker takes its share.
      if (loading) startWorker((await loading).federation)
      else if (await sql`select 1 from fedify_queue limit 1`.execute(app.db).then((result) => result.rows.length > 0)) await load()
    })
    app.addHook('preClose', async () => {
      stop.abort()
      await running
    })
  },
  { name: 'federation', dependencies: ['db'] },
)
