// Sending one email: through SMTP when SMTP_URL is set, otherwise into the data folder's mail/
// that /dev/mail lists, so a newcomer sees every notice without a mail server. Both build
// the same RFC 5322 message with nodemailer; only the last step differs. A folder message is
// written whole or not at all (temp file, fsync, rename), so a crash never leaves half an .eml.
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Transporter } from 'nodemailer'

export interface OutgoingMail {
  /** Exactly one recipient: a notice to many people is many messages, so nobody sees another's address. */
  to: string
  from: string
  subject: string
  text: string
  html: string
  /** Stable for the notice (from its idempotency key): a resend is recognisably the same message. */
  messageId: string
  headers: Record<string, string>
  /** An invite: the body's METHOD and the MIME part's method= parameter are the same by construction. */
  calendar?: { method: 'REQUEST' | 'CANCEL'; filename: string; content: string }
  /** The outbox row it comes from: kept in the folder's summary, never put in the message. */
  outbox?: { id: number; kind: string }
}

export interface Mailer {
  readonly kind: 'smtp' | 'folder'
  send(mail: OutgoingMail): Promise<void>
  close(): void
}

/** What a folder message looks like to /dev/mail, next to the .eml itself. */
export interface StoredMailSummary {
  file: string
  to: string
  subject: string
  date: string
  text: string
  calendar: string | null
  messageId: string
  /** The outbox row and its kind (absent in summaries written before they were kept). */
  outboxId?: number | null
  kind?: string | null
}

/** A 5xx reply is the server saying "never": retrying would only annoy it. */
export function isPermanentFailure(error: unknown): boolean {
  const { responseCode, command } = error as { responseCode?: number; command?: string }
  // Only a refusal of this recipient or this message is final. A 5xx to the greeting, AUTH or
  // MAIL FROM is about the server's set-up (or ours): every message would fail the same way.
  return typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600 && (command === 'RCPT TO' || command === 'DATA')
}

function message(mail: OutgoingMail) {
  return {
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    headers: mail.headers,
    ...(mail.calendar ? { icalEvent: { method: mail.calendar.method, filename: mail.calendar.filename, content: mail.calendar.content } } : {}),
  }
}

/** nodemailer is loaded with the first email, not at start. */
async function nodemailer() {
  return (await import('nodemailer')).default
}

class SmtpMailer implements Mailer {
  readonly kind = 'smtp'
  private transport: Transporter | null = null
  constructor(private readonly url: string) {}
  async send(mail: OutgoingMail): Promise<void> {
    // One pooled connection per process is plenty for notices, and polite to the server.
    this.transport ??= (await nodemailer()).createTransport(this.url.includes('?') ? this.url : `${this.url}?pool=true&maxConnections=2`)
    await this.transport.sendMail(message(mail))
  }
  close(): void {
    this.transport?.close()
  }
}

/** Safe for a file name, and sorts by time. */
function fileStem(mail: OutgoingMail, now: Date): string {
  const id = mail.messageId.replace(/[^A-Za-z0-9._-]/g, '').slice(0, 60)
  return `${now.toISOString().replace(/[:.]/g, '-')}-${id}`
}

/** Temp files of writes a crash cut short are this old before the next mailer clears them. */
const STALE_TEMP_MS = 3600000

/**
 * Writes a file so that it is either absent or whole, even if the process dies half-way: into
 * a temp file in the same folder (a dot-name /dev/mail never lists), flushed to disk, then
 * renamed, which replaces a name in one step.
 */
async function writeWhole(dir: string, name: string, content: string | Buffer): Promise<void> {
  const temp = path.join(dir, `.${name}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`)
  const file = await fs.open(temp, 'wx')
  try {
    await file.writeFile(content)
    await file.sync()
  } finally {
    await file.close()
  }
  await fs.rename(temp, path.join(dir, name))
}

/** Makes the renames themselves durable (a no-op where a folder cannot be opened, as on Windows). */
async function syncFolder(dir: string): Promise<void> {
  try {
    const handle = await fs.open(dir, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // Not supported here: the files are whole either way, only their names may lag a power cut.
  }
}

async function removeStaleTemps(dir: string, now: number): Promise<void> {
  for (const name of await fs.readdir(dir)) {
    if (!name.startsWith('.') || !name.endsWith('.tmp')) continue
    const where = path.join(dir, name)
    const stat = await fs.stat(where).catch(() => null)
    if (stat && now - stat.mtimeMs > STALE_TEMP_MS) await fs.rm(where, { force: true })
  }
}

class FolderMailer implements Mailer {
  readonly kind = 'folder'
  private transport: Transporter | null = null
  private tidied = false
  constructor(private readonly dir: string) {}
  async send(mail: OutgoingMail): Promise<void> {
    this.transport ??= (await nodemailer()).createTransport({ streamTransport: true, buffer: true, newline: 'windows' })
    const info = await this.transport.sendMail(message(mail))
    await fs.mkdir(this.dir, { recursive: true })
    if (!this.tidied) {
      this.tidied = true
      await removeStaleTemps(this.dir, Date.now())
    }
    const now = new Date()
    const stem = fileStem(mail, now)
    const summary: StoredMailSummary = {
      file: `${stem}.eml`,
      to: mail.to,
      subject: mail.subject,
      date: now.toISOString(),
      text: mail.text,
      calendar: mail.calendar?.content ?? null,
      messageId: mail.messageId,
      outboxId: mail.outbox?.id ?? null,
      kind: mail.outbox?.kind ?? null,
    }
    await writeWhole(this.dir, `${stem}.eml`, info.message as Buffer)
    // The summary last: /dev/mail lists summaries, so a message shows only once its .eml is whole.
    await writeWhole(this.dir, `${stem}.json`, JSON.stringify(summary))
    await syncFolder(this.dir)
  }
  close(): void {}
}

export function mailFolder(dataDir: string): string {
  return path.join(dataDir, 'mail')
}

export function createMailer(config: { smtpUrl: string | null; dataDir: string }): Mailer {
  return config.smtpUrl ? new SmtpMailer(config.smtpUrl) : new FolderMailer(mailFolder(config.dataDir))
}

/** The newest folder messages first, for /dev/mail. */
export async function listStoredMail(dataDir: string, limit = 100): Promise<StoredMailSummary[]> {
  let names: string[]
  try {
    names = await fs.readdir(mailFolder(dataDir))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  // Temp files (dot-names, .tmp) are writes in progress or cut short by a crash: never listed.
  const newest = names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort().reverse().slice(0, limit)
  const read = await Promise.all(
    newest.map(async (name) => {
      try {
        return JSON.parse(await fs.readFile(path.join(mailFolder(dataDir), name), 'utf8')) as StoredMailSummary
      } catch {
        return null // removed meanwhile, or an older half-written one: skip it
      }
    }),
  )
  return read.filter((m): m is StoredMailSummary => m !== null)
}
