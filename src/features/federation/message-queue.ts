// Fedify's message queue over Kysely (both dialects): outgoing deliveries (each retried by
// Fedify itself, which enqueues the retry with a delay) and incoming activities. Several app
// processes may listen on one database: a worker claims a message with one UPDATE that only
// succeeds while nobody holds it, so no two workers ever run the same message. A claim is a
// lease: if the process dies mid-message, the message is free again once the lease runs out.
import type { MessageQueue, MessageQueueEnqueueOptions, MessageQueueListenOptions } from '@fedify/fedify'
import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/database.js'
import type { Dialect } from '../../db/dialect.js'

export interface QueueOptions {
  /** How often an idle worker looks for due messages. */
  pollIntervalMs: number
  /** How long a claim lasts: longer than any one message takes (a delivery times out well within it). */
  leaseMs: number
  /** A message whose handler threw this many times is dropped (Fedify retries deliveries itself). */
  maxAttempts: number
}

export const DEFAULT_QUEUE_OPTIONS: QueueOptions = { pollIntervalMs: 2_000, leaseMs: 5 * 60_000, maxAttempts: 5 }

export interface ClaimedMessage {
  id: number
  message: unknown
  attempts: number
}

function delayMs(options: MessageQueueEnqueueOptions | undefined): number {
  return options?.delay ? Math.max(0, options.delay.total({ unit: 'millisecond' })) : 0
}

export class KyselyMessageQueue implements MessageQueue {
  readonly nativeRetrial = false
  readonly options: QueueOptions
  /** Wakes this process's idle listeners: something was just queued here. */
  private readonly wakers = new Set<() => void>()

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    options: Partial<QueueOptions> = {},
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.options = { ...DEFAULT_QUEUE_OPTIONS, ...options }
  }

  async enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    await this.enqueueMany([message], options)
  }

  async enqueueMany(messages: unknown[], options?: MessageQueueEnqueueOptions): Promise<void> {
    if (!messages.length) return
    const now = this.clock()
    const deliverAfter = new Date(now.getTime() + delayMs(options)).toISOString()
    const rows = messages.map((message) => ({ message: JSON.stringify(message), deliver_after: deliverAfter, created_at: now.toISOString() }))
    for (let i = 0; i < rows.length; i += 200) await this.db.insertInto('fedify_queue').values(rows.slice(i, i + 200)).execute()
    if (delayMs(options) === 0) for (const wake of this.wakers) wake()
  }

  /**
   * Claims the oldest due message nobody holds, or null. The same guard is on the UPDATE and
   * its inner SELECT: on PostgreSQL the SELECT … FOR UPDATE SKIP LOCKED lets workers claim side
   * by side without waiting on each other, and a row claimed meanwhile fails the re-check; on
   * SQLite the single UPDATE runs under the database's one write lock.
   */
  async claim(): Promise<ClaimedMessage | null> {
    const now = this.clock()
    const stamp = now.toISOString()
    const until = new Date(now.getTime() + this.options.leaseMs).toISOString()
    let due = this.db
      .selectFrom('fedify_queue')
      .select('id')
      .where('deliver_after', '<=', stamp)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', stamp)]))
      .orderBy('deliver_after')
      .orderBy('id')
      .limit(1)
    if (this.dialect === 'postgres') due = due.forUpdate().skipLocked()
    const row = await this.db
      .updateTable('fedify_queue')
      .set((eb) => ({ locked_until: until, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', (eb) => eb.selectFrom(due.as('due')).select('due.id'))
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', stamp)]))
      .returning(['id', 'message', 'attempts'])
      .executeTakeFirst()
    return row ? { id: row.id, message: JSON.parse(row.message) as unknown, attempts: row.attempts } : null
  }

  /** The message ran: it is gone. */
  async done(id: number): Promise<void> {
    await this.db.deleteFrom('fedify_queue').where('id', '=', id).execute()
  }

  /** The handler threw: try again later, or give up after maxAttempts. */
  async failed(claimed: ClaimedMessage): Promise<void> {
    if (claimed.attempts >= this.options.maxAttempts) return this.done(claimed.id)
    const later = new Date(this.clock().getTime() + 2 ** claimed.attempts * 1_000).toISOString()
    await this.db.updateTable('fedify_queue').set({ locked_until: null, deliver_after: later }).where('id', '=', claimed.id).execute()
  }

  async listen(handler: (message: unknown) => Promise<void> | void, options: MessageQueueListenOptions = {}): Promise<void> {
    const { signal } = options
    while (!signal?.aborted) {
      let claimed: ClaimedMessage | null = null
      try {
        claimed = await this.claim()
      } catch {
        // The database is busy or gone for a moment: try at the next poll.
      }
      if (claimed) {
        try {
          await handler(claimed.message)
          await this.done(claimed.id)
        } catch {
          await this.failed(claimed).catch(() => undefined)
        }
        continue
      }
      await this.idle(signal)
    }
  }

  /** Waits one poll interval, or less when something is queued here or listening stops. */
  private idle(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer)
        this.wakers.delete(finish)
        signal?.removeEventListener('abort', finish)
        resolve()
      }
      const timer = setTimeout(finish, this.options.pollIntervalMs)
      // An idle queue never keeps the process alive.
      timer.unref()
      this.wakers.add(finish)
      signal?.addEventListener('abort', finish, { once: true })
    })
  }

  /** Messages waiting (tests and the admin page). */
  async size(): Promise<number> {
    const row = await this.db.selectFrom('fedify_queue').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()
    return Number(row.n)
  }
}
