// A real SMTP server for the email tests (the smtp-server package), which parses every
// message it accepts with mailparser, and ways to run the outbox worker until it is done.
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import ICAL from 'ical.js'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server'

export interface Received {
  /** RCPT TO, as the server saw it. */
  envelopeTo: string[]
  mail: ParsedMail
  raw: string
}

export interface SmtpOptions {
  /** Reply with this error to a RCPT TO instead of accepting it (a 4xx is temporary, a 5xx permanent). */
  refuse?: (address: string) => { code: number; message: string } | null
  /** Called when DATA starts; resolve to accept, or never resolve to leave the sender hanging. */
  beforeAccept?: (raw: string) => Promise<void>
  /** Milliseconds to wait before accepting each message (makes concurrent senders overlap). */
  delayMs?: number
}

export interface TestSmtp {
  url: string
  received: Received[]
  /** Waits until at least `count` messages arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>
  /** Waits until a message this predicate picks has arrived, and returns it. */
  waitForOne(pick: (received: Received) => boolean, timeoutMs?: number): Promise<Received>
  close(): Promise<void>
}

async function readAll(stream: SMTPServerDataStream): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

export async function startSmtp(options: SmtpOptions = {}): Promise<TestSmtp> {
  const received: Received[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const refusal = options.refuse?.(address.address)
      if (!refusal) return callback()
      const error = Object.assign(new Error(refusal.message), { responseCode: refusal.code })
      callback(error)
    },
    onData(stream, session, callback) {
      readAll(stream)
        .then(async (raw) => {
          if (options.beforeAccept) await options.beforeAccept(raw)
          if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs))
          received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), mail: await simpleParser(raw), raw })
          callback()
        })
        .catch((error: Error) => callback(error))
    },
  })
  server.on('error', () => {}) // a client killed mid-message is expected in the crash test
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    async waitFor(count, timeoutMs = 10000) {
      const until = Date.now() + timeoutMs
      while (received.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} emails, got ${received.length}`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      return received
    },
    async waitForOne(pick, timeoutMs = 10000) {
      const until = Date.now() + timeoutMs
      for (;;) {
        const found = received.find(pick)
        if (found) return found
        if (Date.now() > until) throw new Error(`the expected email did not come; got: ${received.map((r) => r.mail.subject).join(' | ')}`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** Runs the app's outbox worker until nothing is due. */
export async function drain(app: FastifyInstance, now?: () => Date): Promise<void> {
  while ((await app.outbox.worker.runOnce(now)) > 0) {
    // next round
  }
}

/** The emails that went to one address. */
export function mailTo(smtp: TestSmtp, address: string): Received[] {
  return smtp.received.filter((r) => r.envelopeTo.includes(address))
}

export interface Invite {
  method: string
  /** The method= parameter of the text/calendar MIME part. */
  mimeMethod: string | null
  uid: string
  sequence: number
  /** DTSTAMP, as an ISO instant (whole seconds). */
  dtstamp: string
  status: string
  summary: string
  start: string
  organizer: string | null
  attendees: string[]
}

/** The invite in an email, parsed with ical.js, and the MIME part it came in. */
export function inviteOf(received: Received): Invite | null {
  const part = /Content-Type: text\/calendar;([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)/i.exec(received.raw)
  if (!part) return null
  const mimeMethod = /method=([A-Za-z]+)/i.exec(part[1]!)?.[1] ?? null
  const attachment = received.mail.attachments.find((a) => a.filename === 'invite.ics' || a.contentType.startsWith('text/calendar') || a.contentType === 'application/ics')
  if (!attachment) throw new Error('text/calendar part but no parsable invite')
  const calendar = new ICAL.Component(ICAL.parse(attachment.content.toString('utf8')))
  const event = calendar.getFirstSubcomponent('vevent')!
  const start = event.getFirstPropertyValue('dtstart') as ICAL.Time
  return {
    method: String(calendar.getFirstPropertyValue('method')),
    mimeMethod,
    uid: String(event.getFirstPropertyValue('uid')),
    sequence: Number(event.getFirstPropertyValue('sequence')),
    dtstamp: (event.getFirstPropertyValue('dtstamp') as ICAL.Time).toJSDate().toISOString(),
    status: String(event.getFirstPropertyValue('status')),
    summary: String(event.getFirstPropertyValue('summary')),
    start: start.toJSDate().toISOString(),
    organizer: (event.getFirstPropertyValue('organizer') as string | null) ?? null,
    attendees: event.getAllProperties('attendee').map((p) => String(p.getFirstValue())),
  }
}

/** UIDs and SEQUENCEs of a feed, by UID. */
export function feedEvents(ics: string): Map<string, { sequence: number; status: string }> {
  const calendar = new ICAL.Component(ICAL.parse(ics))
  return new Map(
    calendar.getAllSubcomponents('vevent').map((e) => [String(e.getFirstPropertyValue('uid')), { sequence: Number(e.getFirstPropertyValue('sequence')), status: String(e.getFirstPropertyValue('status')) }]),
  )
}

/** A header as it was sent, unfolded ("List-Unsubscribe" → "<https://…>"). */
export function rawHeader(received: Received, name: string): string | null {
  const head = received.raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ')
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
  return line ? line.slice(name.length + 1).trim() : null
}
