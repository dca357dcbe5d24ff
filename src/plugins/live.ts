// "Something changed" messages for pages that stay open (the schedule grid, the projector).
// A change is published by topic ("event:12"); every subscriber in every app process hears it.
// On SQLite there is one process, so an in-memory emitter is the whole story. On PostgreSQL
// several processes share the database, so a change goes through NOTIFY and each process
// LISTENs on one dedicated connection and re-emits what arrives to its own subscribers.
// PostgreSQL delivers a NOTIFY only once its transaction commits, so nobody hears of a change
// that was rolled back.
import crypto from 'node:crypto'
import { EventEmitter } from 'node:events'
import type { ServerResponse } from 'node:http'
import fp from 'fastify-plugin'
import { sql } from 'kysely'
import type pg from 'pg'
import { loadPg } from '../db/create-db.js'
import type { Config } from '../config.js'

const CHANNEL = 'hashcamp_live'
const RECONNECT_MS = 1000
const MAX_RECONNECT_MS = 30_000
/** How the LISTEN connection shows in pg_stat_activity (operators and tests find it by this). */
export const LISTEN_APPLICATION_NAME = 'hashcamp-live'
/**
 * "This process wrote to the database", with the writer's id after it: every other process
 * moves its data version on (src/db/data-version.ts), so its kept pages are built afresh.
 */
const DATA_TOPIC = 'data:'
/** Writes within this long are told in one NOTIFY: a storm of POSTs is a few, not one each. */
const DATA_NOTIFY_MS = 20

export interface LiveOptions {
  /**
   * How often the LISTEN connection is asked a `select 1`. A connection can die silently
   * (a NAT or firewall forgetting it, a failover that never sends a reset): the socket looks
   * open, nothing arrives, and only a question that gets no answer tells.
   */
  checkEveryMs: number
  /** How long that answer may take before the connection is taken for dead and replaced. */
  checkTimeoutMs: number
}

export const DEFAULT_LIVE_OPTIONS: LiveOptions = { checkEveryMs: 15_000, checkTimeoutMs: 5_000 }

/** TCP keepalive probes start after this much silence (the kernel's default is two hours). */
const KEEPALIVE_DELAY_MS = 10_000

export interface Live {
  /** Tells every process that `topic` changed. Call after the change is committed. */
  publish(topic: string): Promise<void>
  /** Calls `listener` on each change of `topic`; returns the unsubscribe function. */
  subscribe(topic: string, listener: () => void): () => void
  /** Open Server-Sent Event streams, ended when the app closes so shutdown never waits on them. */
  streams: Set<ServerResponse>
  /**
   * Changes whenever `topic` is announced in any process (and for every topic after the
   * LISTEN connection was lost, since announcements may have been missed): what in-memory
   * caches of a topic's pages and feeds are keyed by.
   */
  version(topic: string): string
}

declare module 'fastify' {
  interface FastifyInstance {
    live: Live
  }
}

export default fp<{ config: Config; options?: Partial<LiveOptions> }>(
  async (app, { config, options }) => {
    const { checkEveryMs, checkTimeoutMs } = { ...DEFAULT_LIVE_OPTIONS, ...options }
    const emitter = new EventEmitter()
    // One listener per open page; hundreds on a projector-heavy day are normal.
    emitter.setMaxListeners(0)
    const streams = new Set<ServerResponse>()
    let listener: pg.Client | null = null
    let checkTimer: NodeJS.Timeout | null = null
    let closing = false
    const counts = new Map<string, number>()
    let epoch = 0
    const announce = (topic: string): void => {
      counts.set(topic, (counts.get(topic) ?? 0) + 1)
      emitter.emit(topic)
    }

    /** A `select 1` that must come back within checkTimeoutMs. */
    const roundTrip = (client: pg.Client): Promise<void> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no answer from the database within ${checkTimeoutMs} ms`)), checkTimeoutMs)
        client.query('select 1').then(
          () => {
            clearTimeout(timer)
            resolve()
          },
          (error: unknown) => {
            clearTimeout(timer)
            reject(error instanceof Error ? error : new Error(String(error)))
          },
        )
      })

    // One LISTEN connection per process. If it drops (a database restart, a failover) or stops
    // answering (a silent drop), retry with a growing pause until it is back, then tell every
    // open page to catch up on what it may have missed meanwhile.
    const listen = async (url: string): Promise<void> => {
      const client = new (loadPg().Client)({
        connectionString: url,
        application_name: LISTEN_APPLICATION_NAME,
        keepAlive: true,
        keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
        connectionTimeoutMillis: checkTimeoutMs * 2,
      })
      let gone = false
      const lost = (error: Error): void => {
        if (gone) return
        gone = true
        if (listener === client) {
          listener = null
          if (checkTimer) clearTimeout(checkTimer)
          checkTimer = null
        }
        app.log.warn({ err: error }, 'live-update connection lost; reconnecting')
        // With the check's query still waiting, end() destroys the socket rather than wait
        // for a goodbye that a dead connection will never send.
        void client.end().catch(() => undefined)
        reconnect(url, RECONNECT_MS)
      }
      client.on('notification', (message) => {
        if (message.channel !== CHANNEL || !message.payload) return
        if (message.payload.startsWith(DATA_TOPIC)) {
          if (message.payload !== dataTopic) app.dataVersion.bumpRemote()
        } else announce(message.payload)
      })
      client.on('error', lost)
      await client.connect()
      await client.query(`listen ${CHANNEL}`)
      listener = client
      const check = (): void => {
        checkTimer = setTimeout(() => {
          roundTrip(client).then(() => {
            if (listener === client && !closing) check()
          }, lost)
        }, checkEveryMs)
        checkTimer.unref()
      }
      check()
    }
    let retrying = false
    const reconnect = (url: string, wait: number): void => {
      // One retry at a time: a failed connect can both reject and emit 'error'.
      if (closing || retrying) return
      retrying = true
      setTimeout(() => {
        retrying = false
        if (closing) return
        listen(url).then(
          () => {
            epoch += 1
            // Other processes' writes may have gone unheard meanwhile.
            app.dataVersion.bumpRemote()
            for (const topic of emitter.eventNames()) announce(String(topic))
          },
          (error: unknown) => {
            app.log.warn({ err: error }, 'live-update reconnect failed; trying again')
            reconnect(url, Math.min(wait * 2, MAX_RECONNECT_MS))
          },
        )
      }, wait).unref()
    }

    // This process's writes, told to the others once committed: a write inside a transaction
    // moves the version on when the transaction ends, so the NOTIFY goes out after the commit.
    const dataTopic = DATA_TOPIC + crypto.randomUUID()
    let dataTimer: NodeJS.Timeout | null = null
    const tellData = (): Promise<void> => {
      dataTimer = null
      return sql`select pg_notify(${CHANNEL}, ${dataTopic})`.execute(app.db).then(
        () => undefined,
        (error: unknown) => app.log.warn({ err: error }, 'could not announce a data change'),
      )
    }
    if (config.database.dialect === 'postgres') {
      await listen(config.database.url)
      app.dataVersion.onLocalWrite(() => {
        if (!dataTimer && !closing) dataTimer = setTimeout(() => void tellData(), DATA_NOTIFY_MS)
      })
    }

    const live: Live = {
      async publish(topic) {
        if (config.database.dialect === 'postgres') {
          // This process's caches move on at once (its next request must see its own change);
          // its subscribers hear of it with everyone else's, when the NOTIFY comes back.
          counts.set(topic, (counts.get(topic) ?? 0) + 1)
          await sql`select pg_notify(${CHANNEL}, ${topic})`.execute(app.db)
        } else announce(topic)
      },
      subscribe(topic, fn) {
        emitter.on(topic, fn)
        return () => emitter.off(topic, fn)
      },
      streams,
      version: (topic) => `${epoch}.${counts.get(topic) ?? 0}`,
    }
    app.decorate('live', live)

    app.addHook('preClose', async () => {
      closing = true
      // The last writes are told before the database closes.
      if (dataTimer) {
        clearTimeout(dataTimer)
        await tellData()
      }
      for (const stream of streams) stream.end()
      streams.clear()
    })
    app.addHook('onClose', async () => {
      if (checkTimer) clearTimeout(checkTimer)
      await listener?.end().catch(() => undefined)
    })
  },
  { name: 'live', dependencies: ['db'] },
)
