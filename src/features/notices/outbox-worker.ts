// Sends what the outbox holds. Each worker registers in mail_workers and keeps a heartbeat;
// a message it claims is its own while it lives. Each round first forgets workers that are
// dead (in this host's pid namespace: their process is gone; anywhere: their heartbeat went
// quiet), so a restarted worker takes back its predecessor's messages at once instead of after
// a lease. Just before each send it counts the attempt only if the message is still its own
// (so a worker taken for dead does not send what another took over); on a failure it tries
// again later with exponential backoff, or gives up on a permanent refusal. "Sent" is written
// as soon as the SMTP server's "250 OK" arrives, so a crash can at worst repeat the one
// message in flight, with the same Message-ID.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import type { Database, OutboxRow } from '../../db/database.js'
import type { Dialect } from '../../db/dialect.js'
import { isPermanentFailure, type Mailer, type OutgoingMail } from '../../lib/mailer.js'
import { queueDueReminders } from '../meetups/reminders.service.js'
import { forgetWorkers, heartbeat, listWorkers, signOff, type MailWorker } from './mail-workers.queries.js'
import { beginAttempt, claimDue, findRecipients, markAttemptFailed, markSent, type Recipient } from './outbox.queries.js'

export interface WorkerOptions {
  /** How often to look for due messages when nobody kicks the worker. */
  pollMs: number
  /** How often a worker says it is alive. */
  heartbeatMs: number
  /**
   * A worker silent this long is dead, its claims free (a worker on another host cannot be
   * asked directly). Several heartbeats, so a busy moment is not taken for death.
   */
  deadAfterMs: number
  batch: number
  maxAttempts: number
  /** First retry after this; each later one waits twice as long, up to six hours. */
  retryBaseMs: number
  /** How often to look for meetups that need their day-before reminders. */
  reminderEveryMs: number
}

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = { pollMs: 2000, heartbeatMs: 5000, deadAfterMs: 30000, batch: 10, maxAttempts: 8, retryBaseMs: 60000, reminderEveryMs: 60000 }

const MAX_BACKOFF_MS = 6 * 3600000
const SENT_MARK_TRIES = 4

export type Compose = (row: OutboxRow, recipient: Recipient) => Promise<OutgoingMail>

/**
 * Where a pid means something: the host name and, on Linux, the pid namespace. Two containers
 * given one host name have separate pid namespaces, so neither takes the other for dead when
 * its pid is unknown here; a worker in another namespace is judged by its heartbeat alone.
 */
function pidScope(): string {
  try {
    return `${os.hostname()} ${fs.readlinkSync('/proc/self/ns/pid')}`
  } catch {
    return os.hostname() // no /proc (macOS, Windows): one namespace per host
  }
}

/** Workers of this process, so a worker can tell a sibling in the same process from a dead predecessor with the same pid. */
const workersHere = new Set<string>()

/**
 * Is the process of a worker in this pid scope gone? A worker with our own pid that is not one
 * of ours is a predecessor that had the same pid.
 */
function processGone(worker: MailWorker): boolean {
  if (worker.pid === process.pid) return !workersHere.has(worker.id)
  try {
    process.kill(worker.pid, 0)
    return false
  } catch (error) {
    // EPERM: it runs, as another user. Only ESRCH says nobody has that pid.
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

export class OutboxWorker {
  readonly host = pidScope()
  readonly id = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`
  private readonly options: WorkerOptions
  private timer: NodeJS.Timeout | null = null
  private heartbeatTimer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  /** Rounds run one after another, whoever calls runOnce. */
  private rounds: Promise<unknown> = Promise.resolve()
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

  /**
   * Lets the round in progress finish (a message half-sent is worse than a slower shutdown),
   * then gives back the messages it had not reached and signs off.
   */
  async stop(): Promise<void> {
    this.stopped = true
    this.closing = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    await this.running
    await this.rounds.catch(() => undefined)
    if (!this.heartbeatTimer) return
    clearInterval(this.heartbeatTimer)
    this.heartbeatTimer = null
    workersHere.delete(this.id)
    await signOff(this.db, this.id).catch((error: unknown) => this.log.warn({ err: error }, 'outbox worker could not sign off; its claims free up when it is found dead'))
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
  runOnce(now: () => Date = () => new Date()): Promise<number> {
    const round = this.rounds.catch(() => undefined).then(() => this.round(now))
    this.rounds = round
    return round
  }

  private async round(now: () => Date): Promise<number> {
    if (this.closing) return 0
    await this.register()
    await this.forgetDeadWorkers(now())
    const claimed = await claimDue(this.db, this.dialect, this.id, now().toISOString(), this.options.batch)
    if (!claimed.length) return 0
    const recipients = await findRecipients(this.db, [...new Set(claimed.map((row) => row.user_id))])
    for (const row of claimed) {
      // What this worker does not reach it gives back when it stops, or it is taken back when it dies.
      if (this.closing) break
      await this.deliver(row, recipients.get(row.user_id), now())
    }
    return claimed.length
  }

  /** Says this worker is alive, now and every heartbeatMs from now until it stops. */
  private async register(): Promise<void> {
    if (this.heartbeatTimer) return
    workersHere.add(this.id)
    const me = { id: this.id, host: this.host, pid: process.pid }
    await heartbeat(this.db, me, new Date().toISOString())
    // Beats go on while a send waits on a slow SMTP server: only a dead process falls silent.
    this.heartbeatTimer = setInterval(() => {
      heartbeat(this.db, me, new Date().toISOString()).catch((error: unknown) => this.log.warn({ err: error }, 'outbox worker heartbeat failed'))
    }, this.options.heartbeatMs)
    this.heartbeatTimer.unref()
  }

  private async forgetDeadWorkers(at: Date): Promise<void> {
    const quietSince = new Date(at.getTime() - this.options.deadAfterMs).toISOString()
    const dead = (await listWorkers(this.db)).filter((w) => w.id !== this.id && (w.heartbeat_at < quietSince || (w.host === this.host && processGone(w))))
    if (!dead.length) return
    this.log.info({ workers: dead.map((w) => w.id) }, 'outbox workers found dead; their messages are due again')
    await forgetWorkers(this.db, dead)
  }

  private async deliver(row: OutboxRow, recipient: Recipient | undefined, at: Date): Promise<void> {
    let attempts = row.attempts
    try {
      if (!recipient) throw new Error('recipient no longer exists')
      const mail = await this.compose(row, recipient)
      const counted = await beginAttempt(this.db, row.id, this.id)
      if (counted === null) return
      attempts = counted
      await this.mailer.send({ ...mail, outbox: { id: row.id, kind: row.kind } })
    } catch (error) {
      const permanent = !recipient || isPermanentFailure(error)
      const giveUp = permanent || attempts >= this.options.maxAttempts
      const wait = Math.min(this.options.retryBaseMs * 2 ** Math.max(attempts - 1, 0), MAX_BACKOFF_MS)
      // SMTP replies often quote the address they refused: it stays out of logs and the table.
      const message = (error instanceof Error ? error.message : String(error)).replace(/[^\s<>@]+@[^\s<>@]+/g, '[address]')
      // The id and kind only: an address or a body in the log would be personal data kept forever.
      this.log.warn({ outboxId: row.id, kind: row.kind, attempts, giveUp }, `email not sent: ${message.slice(0, 200)}`)
      await markAttemptFailed(this.db, row.id, this.id, message.slice(0, 500), giveUp ? null : new Date(at.getTime() + wait).toISOString())
      return
    }
    await this.recordSent(row.id)
  }

  /**
   * The server has the message: "sent" must be written, or it goes again. A database hiccup
   * here is retried a few times rather than treated as a failed send.
   */
  private async recordSent(id: number): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await markSent(this.db, id, this.id, new Date().toISOString())
        return
      } catch (error) {
        if (attempt >= SENT_MARK_TRIES) throw error
        this.log.warn({ err: error, outboxId: id }, 'could not record a sent email yet; trying again')
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt))
      }
    }
  }
}
