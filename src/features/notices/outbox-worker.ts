// Sends what the outbox holds. Each round claims a few due messages for a while (so a
// crashed worker's claim lapses and another sends them), renews the claim just before each
// send (so a message whose claim lapsed mid-round is not sent by two workers), and on a
// failure tries again later with exponential backoff, or gives up on a permanent refusal.
// At-least-once, as any mail sender: a crash between the SMTP server's "OK" and writing
// "sent" resends the message once more, with the same Message-ID.
import crypto from 'node:crypto'
import os from 'node:os'
import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import type { Database, OutboxRow } from '../../db/database.js'
import type { Dialect } from '../../db/dialect.js'
import { isPermanentFailure, type Mailer, type OutgoingMail } from '../../lib/mailer.js'
import { queueDueReminders } from '../meetups/reminders.service.js'
import { claimDue, findRecipients, markAttemptFailed, markSent, renewClaim, type Recipient } from './outbox.queries.js'

export interface WorkerOptions {
  /** How often to look for due messages when nobody kicks the worker. */
  pollMs: number
  /** How long a claim lasts: longer than the slowest single send (the SMTP timeouts). */
  claimMs: number
  batch: number
  maxAttempts: number
  /** First retry after this; each later one waits twice as long, up to six hours. */
  retryBaseMs: number
  /** How often to look for meetups that need their day-before reminders. */
  reminderEveryMs: number
}

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = { pollMs: 2000, claimMs: 5 * 60000, batch: 10, maxAttempts: 8, retryBaseMs: 60000, reminderEveryMs: 60000 }

const MAX_BACKOFF_MS = 6 * 3600000

export type Compose = (row: OutboxRow, recipient: Recipient) => Promise<OutgoingMail>

export class OutboxWorker {
  readonly owner = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`
  private readonly options: WorkerOptions
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private again = false
  /** Not polling (never started, or stopped). */
  private stopped = true
  /** stop() was called: finish the message in hand and claim nothing more. */
  private closing = false
  private lastReminderScan = 0

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly mailer: Mailer,
    private readonly compose: Compose,
    private readonly log: FastifyBaseLogger,
    options: Partial<WorkerOptions> = {},
  ) {
    this.options = { ...DEFAULT_WORKER_OPTIONS, ...options }
  }

  start(): void {
    this.stopped = false
    this.kick()
  }

  /** Something was queued: look now instead of at the next poll. */
  kick(): void {
    if (this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.running = this.loop().finally(() => {
      this.running = null
      if (this.stopped) return
      if (this.again) {
        this.again = false
        this.kick()
      } else {
        this.timer = setTimeout(() => this.kick(), this.options.pollMs)
        this.timer.unref()
      }
    })
  }

  /** Lets the round in progress finish (a message half-sent is worse than a slower shutdown). */
  async stop(): Promise<void> {
    this.stopped = true
    this.closing = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    await this.running
  }

  private async loop(): Promise<void> {
    try {
      if (Date.now() - this.lastReminderScan >= this.options.reminderEveryMs) {
        this.lastReminderScan = Date.now()
        await queueDueReminders(this.db, new Date())
      }
      while (!this.closing && (await this.runOnce()) > 0) {
        // keep going while there is work
      }
    } catch (error) {
      // The database went away, say: log it and try again at the next poll.
      this.log.error({ err: error }, 'outbox worker round failed')
    }
  }

  /** One round: claims due messages and tries each once; returns how many it claimed. */
  async runOnce(now: () => Date = () => new Date()): Promise<number> {
    const start = now()
    const claimed = await claimDue(this.db, this.dialect, this.owner, start.toISOString(), this.until(start), this.options.batch)
    if (!claimed.length) return 0
    const recipients = await findRecipients(this.db, [...new Set(claimed.map((row) => row.user_id))])
    for (const row of claimed) {
      // Unsent claims lapse and another worker (or this one, restarted) sends them.
      if (this.closing) break
      await this.deliver(row, recipients.get(row.user_id), now())
    }
    return claimed.length
  }

  private until(at: Date): string {
    return new Date(at.getTime() + this.options.claimMs).toISOString()
  }

  private async deliver(row: OutboxRow, recipient: Recipient | undefined, at: Date): Promise<void> {
    try {
      if (!recipient) throw new Error('recipient no longer exists')
      const mail = await this.compose(row, recipient)
      if (!(await renewClaim(this.db, row.id, this.owner, this.until(at)))) return
      // Keep the claim alive while the SMTP server takes its time (nodemailer waits up to 10 min
      // for a reply, longer than a claim): only a dead process lets its claim lapse.
      const heartbeat = setInterval(() => void renewClaim(this.db, row.id, this.owner, this.until(new Date())).catch(() => {}), this.options.claimMs / 3)
      try {
        await this.mailer.send(mail)
      } finally {
        clearInterval(heartbeat)
      }
      await markSent(this.db, row.id, this.owner, new Date().toISOString())
    } catch (error) {
      const permanent = !recipient || isPermanentFailure(error)
      const giveUp = permanent || row.attempts >= this.options.maxAttempts
      const wait = Math.min(this.options.retryBaseMs * 2 ** (row.attempts - 1), MAX_BACKOFF_MS)
      // SMTP replies often quote the address they refused: it stays out of logs and the table.
      const message = (error instanceof Error ? error.message : String(error)).replace(/[^\s<>@]+@[^\s<>@]+/g, '[address]')
      // The id and kind only: an address or a body in the log would be personal data kept forever.
      this.log.warn({ outboxId: row.id, kind: row.kind, attempts: row.attempts, giveUp }, `email not sent: ${message.slice(0, 200)}`)
      await markAttemptFailed(this.db, row.id, this.owner, message.slice(0, 500), giveUp ? null : new Date(at.getTime() + wait).toISOString())
    }
  }
}
