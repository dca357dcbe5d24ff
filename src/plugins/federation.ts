// ActivityPub (issue 21): the Fedify federation, its store and queue in our database, and the
// publisher the features call after a change commits. The queue worker runs in every app
// process (claims keep them from doing the same delivery twice; HASHCAMP_FEDERATION_WORKER=off
// turns it off); it starts when the app is ready and stops before the database closes.
import fs from 'node:fs'
import path from 'node:path'
import type { Federation } from '@fedify/fedify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { buildFederation } from '../features/federation/federation.js'
import { federatedMeetupIdsBy } from '../features/federation/federation.queries.js'
import { KyselyKvStore } from '../features/federation/kv-store.js'
import { KyselyMessageQueue, type QueueOptions } from '../features/federation/message-queue.js'
import { Publisher } from '../features/federation/publish.js'
import { PROJECT_ROOT } from '../project-root.js'

export interface Fediverse {
  federation: Federation<void>
  queue: KyselyMessageQueue
  publisher: Publisher
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
    const federation = buildFederation({ db: app.db, config, kv, queue, version: appVersion(), warn })
    const publisher = new Publisher(federation, app.db, config.baseUrl)
    /** Telling followers never fails the request that made the change: a failure is logged. */
    const quietly =
      <A extends unknown[]>(what: string, run: (...args: A) => Promise<void>) =>
      async (...args: A): Promise<void> => {
        try {
          await run(...args)
        } catch (error) {
          warn(`could not queue the ActivityPub activity for ${what}`, error)
        }
      }
    const meetupChanged = quietly('a meetup', (meetupId: number) => publisher.meetupChanged(meetupId))
    app.decorate('fediverse', {
      federation,
      queue,
      publisher,
      meetupChanged,
      async meetupsOfPersonChanged(userId: number) {
        for (const id of await federatedMeetupIdsBy(app.db, userId)) await meetupChanged(id)
      },
      eventPhaseChanged: quietly('an event', (eventId: number) => publisher.eventPhaseChanged(eventId)),
      chatTopicChanged: quietly('a chat', (communityId: number, chatDate: string) => publisher.chatTopicChanged(communityId, chatDate)),
      scheduleChanged: quietly('a schedule change', (eventId: number) => publisher.scheduleChanged(eventId)),
      sessionChanged: quietly('a session', (eventId: number, proposalId: number) => publisher.sessionChanged(eventId, proposalId)),
    })

    const stop = new AbortController()
    let running: Promise<void> | null = null
    app.addHook('onReady', async () => {
      if (!config.federationWorker) return
      running = federation.startQueue(undefined, { signal: stop.signal }).catch((error: unknown) => warn('the ActivityPub queue stopped', error))
    })
    app.addHook('preClose', async () => {
      stop.abort()
      await running
    })
  },
  { name: 'federation', dependencies: ['db'] },
)
