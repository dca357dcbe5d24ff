// Every environment variable the app reads is parsed here, once, into a typed Config.
// Nothing else in the code base reads process.env (house style: validated config in one place).
import os from 'node:os'
import path from 'node:path'

/**
 * How long a request may wait on PostgreSQL, so that a crowd or a stuck query ends in a
 * "busy, try again" page (503) instead of a queue that grows without end. 0 turns a
 * timeout off (not allowed for the wait for a connection: that wait is the queue).
 */
export interface PostgresLimits {
  /** Connections this process keeps open (each app process has its own pool). */
  poolMax: number
  /** The longest wait for a free connection from the pool, or for a new one to open. */
  connectTimeoutMs: number
  /** statement_timeout: the longest any one statement may run. */
  statementTimeoutMs: number
  /** lock_timeout: the longest a statement may wait for a lock (a row another request holds). */
  lockTimeoutMs: number
  /** idle_in_transaction_session_timeout: a transaction left open and idle this long is ended. */
  idleInTransactionTimeoutMs: number
}

export const DEFAULT_POSTGRES_LIMITS: PostgresLimits = {
  poolMax: 10,
  connectTimeoutMs: 5_000,
  statementTimeoutMs: 15_000,
  lockTimeoutMs: 5_000,
  idleInTransactionTimeoutMs: 30_000,
}

/** How long SQLite waits for another process's write before giving up (SQLITE_BUSY, a 503). */
export const DEFAULT_SQLITE_BUSY_TIMEOUT_MS = 5_000

// Limits are optional here so that scripts and tests that name a database get the defaults.
export type DatabaseConfig =
  | { dialect: 'sqlite'; file: string; busyTimeoutMs?: number }
  | { dialect: 'postgres'; url: string; limits?: PostgresLimits }

export interface Config {
  port: number
  host: string
  /** Public origin, used in links that leave the page (feeds, emails, cards). No trailing slash. */
  baseUrl: string
  /** Where the SQLite file, the generated session key and other local state live. */
  dataDir: string
  database: DatabaseConfig
  /** Secret the session-cookie key is derived from; null → a random key kept in dataDir. */
  sessionSecret: string | null
  demo: boolean
  rateLimits: boolean
  logLevel: string
  /** Run pending migrations when the app starts (the server does; `npm run migrate` exists too). */
  migrateOnStart: boolean
  /** Trust X-Forwarded-* from a reverse proxy (needed for per-IP limits and https detection). */
  trustProxy: boolean
  /** smtp(s)://user:pass@host:port; null → every email is written to dataDir/mail and listed at /dev/mail. */
  smtpUrl: string | null
  /** The From of every email: an address, optionally with a name ("Hashcamp <hello@example.org>"). */
  mailFrom: string
  /** Run the outbox worker in this process (on by default; tests and one-off scripts turn it off). */
  mailWorker: boolean
  /** Run the ActivityPub queue worker (deliveries, incoming activities) in this process (on by default; tests turn it on when they need it). */
  federationWorker: boolean
  /** Open live-grid connections (SSE) this process accepts: from one address, and in all. */
  liveLimits: { perAddress: number; total: number }
  /**
   * The auto-scheduler's worker threads: at most this many (never more than the cores less
   * one), and this many drafts waiting for one before organisers are asked to try again.
   */
  drafts: { threads: number; queue: number }
  /**
   * Whether the app may talk to servers on loopback or private addresses, over plain HTTP: the
   * Mastodon/Bluesky sign-in servers and ActivityPub peers that people name. Off in production,
   * so a typed server name cannot make the app reach into its own network (SSRF); the tests
   * turn it on to run real peers on 127.0.0.1.
   */
  allowPrivatePeers: boolean
  /**
   * Where Bluesky sign-in looks people up: the PLC directory for did:plc documents, and
   * optionally a server answering com.atproto.identity.resolveHandle instead of DNS and
   * https://<handle>/.well-known/atproto-did.
   */
  atproto: { plcUrl: string; handleResolverUrl: string | null }
}

export class ConfigError extends Error {}

function parsePort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 3000
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a whole number from 0 to 65535, not "${raw}"`)
  }
  return port
}

function parseOnOff(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback
  const value = raw.trim().toLowerCase()
  if (['on', 'true', '1', 'yes'].includes(value)) return true
  if (['off', 'false', '0', 'no'].includes(value)) return false
  throw new ConfigError(`${name} must be "on" or "off", not "${raw}"`)
}

function parseCount(name: string, raw: string | undefined, fallback: number, least = 1): number {
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < least) throw new ConfigError(`${name} must be a whole number of at least ${least}, not "${raw}"`)
  return value
}

/** PostgreSQL's own ceiling for a timeout setting (an int4 of milliseconds). */
const MAX_TIMEOUT_MS = 2_147_483_647

function parseMilliseconds(name: string, raw: string | undefined, fallback: number, allowOff: boolean): number {
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw.trim())
  const least = allowOff ? 0 : 1
  if (!/^\d+$/.test(raw.trim()) || value < least || value > MAX_TIMEOUT_MS) {
    const range = allowOff ? 'a whole number of milliseconds (0 for no limit)' : 'a whole number of milliseconds, at least 1'
    throw new ConfigError(`${name} must be ${range}, not "${raw}"`)
  }
  return value
}

function parsePostgresLimits(env: NodeJS.ProcessEnv): PostgresLimits {
  const d = DEFAULT_POSTGRES_LIMITS
  return {
    poolMax: parseCount('HASHCAMP_PG_POOL_MAX', env.HASHCAMP_PG_POOL_MAX, d.poolMax),
    connectTimeoutMs: parseMilliseconds('HASHCAMP_PG_CONNECT_TIMEOUT_MS', env.HASHCAMP_PG_CONNECT_TIMEOUT_MS, d.connectTimeoutMs, false),
    statementTimeoutMs: parseMilliseconds('HASHCAMP_PG_STATEMENT_TIMEOUT_MS', env.HASHCAMP_PG_STATEMENT_TIMEOUT_MS, d.statementTimeoutMs, true),
    lockTimeoutMs: parseMilliseconds('HASHCAMP_PG_LOCK_TIMEOUT_MS', env.HASHCAMP_PG_LOCK_TIMEOUT_MS, d.lockTimeoutMs, true),
    idleInTransactionTimeoutMs: parseMilliseconds('HASHCAMP_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS', env.HASHCAMP_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS, d.idleInTransactionTimeoutMs, true),
  }
}

function parseDatabase(env: NodeJS.ProcessEnv, dataDir: string): DatabaseConfig {
  const raw = env.DATABASE_URL
  // Checked whichever database is in use: a typo should not wait for the move to PostgreSQL.
  const limits = parsePostgresLimits(env)
  const busyTimeoutMs = parseMilliseconds('HASHCAMP_SQLITE_BUSY_TIMEOUT_MS', env.HASHCAMP_SQLITE_BUSY_TIMEOUT_MS, DEFAULT_SQLITE_BUSY_TIMEOUT_MS, false)
  if (raw === undefined || raw === '') {
    return { dialect: 'sqlite', file: path.join(dataDir, 'hashcamp.sqlite'), busyTimeoutMs }
  }
  if (/^postgres(ql)?:\/\//.test(raw)) return { dialect: 'postgres', url: raw, limits }
  if (raw.startsWith('sqlite:')) return { dialect: 'sqlite', file: raw.slice('sqlite:'.length), busyTimeoutMs }
  throw new ConfigError('DATABASE_URL must start with postgres:// (or sqlite: followed by a file path)')
}

function parseBaseUrl(raw: string | undefined, host: string, port: number): string {
  const fallback = `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${port}`
  const value = raw === undefined || raw === '' ? fallback : raw
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ConfigError(`BASE_URL must be an absolute http(s) URL, not "${value}"`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`BASE_URL must be an http or https URL, not "${value}"`)
  }
  return url.origin + url.pathname.replace(/\/+$/, '')
}

function parseHttpUrl(name: string, raw: string | undefined, fallback: string | null): string | null {
  if (raw === undefined || raw === '') return fallback
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL, not "${raw}"`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`${name} must be an http or https URL, not "${raw}"`)
  return url.origin
}

function parseSmtpUrl(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null
  // The URL holds a password: the message names the rule, never the value.
  if (!/^smtps?:\/\/[^/]/.test(raw)) throw new ConfigError('SMTP_URL must look like smtp://user:password@host:587 or smtps://…')
  return raw
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = parsePort(env.PORT)
  const host = env.HOST || 'localhost'
  const dataDir = path.resolve(env.HASHCAMP_DATA_DIR || 'data')
  // Links that leave the site (cards, share links, feeds) are built from BASE_URL; in
  // production a guessed http://localhost would put broken links into every chat.
  if (env.NODE_ENV === 'production' && !env.BASE_URL) {
    throw new ConfigError('BASE_URL must be set in production (NODE_ENV=production), for example https://hashcamp.example.org')
  }
  const sessionSecret = env.SESSION_SECRET || null
  if (sessionSecret !== null && sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET must be at least 32 characters long')
  }
  const baseUrl = parseBaseUrl(env.BASE_URL, host, port)
  return {
    port,
    host,
    baseUrl,
    dataDir,
    database: parseDatabase(env, dataDir),
    sessionSecret,
    demo: parseOnOff('HASHCAMP_DEMO', env.HASHCAMP_DEMO, true),
    rateLimits: parseOnOff('HASHCAMP_RATE_LIMITS', env.HASHCAMP_RATE_LIMITS, true),
    logLevel: env.LOG_LEVEL || 'info',
    migrateOnStart: true,
    trustProxy: parseOnOff('TRUST_PROXY', env.TRUST_PROXY, false),
    smtpUrl: parseSmtpUrl(env.SMTP_URL),
    mailFrom: env.MAIL_FROM || `Hashcamp <hashcamp@${new URL(baseUrl).hostname}>`,
    mailWorker: parseOnOff('HASHCAMP_MAIL_WORKER', env.HASHCAMP_MAIL_WORKER, true),
    federationWorker: parseOnOff('HASHCAMP_FEDERATION_WORKER', env.HASHCAMP_FEDERATION_WORKER, true),
    // A phone or a projector keeps one live grid open per tab; an office behind one address
    // may have dozens. Each open connection holds a socket and memory for hours.
    liveLimits: {
      perAddress: parseCount('HASHCAMP_LIVE_PER_ADDRESS', env.HASHCAMP_LIVE_PER_ADDRESS, 50),
      total: parseCount('HASHCAMP_LIVE_TOTAL', env.HASHCAMP_LIVE_TOTAL, 5000),
    },
    // A draft keeps one core busy for seconds; one core stays for pages, RSVPs and mail.
    drafts: {
      threads: parseCount('HASHCAMP_DRAFT_THREADS', env.HASHCAMP_DRAFT_THREADS, Math.max(1, os.availableParallelism() - 1)),
      queue: parseCount('HASHCAMP_DRAFT_QUEUE', env.HASHCAMP_DRAFT_QUEUE, 4, 0),
    },
    allowPrivatePeers: parseOnOff('HASHCAMP_ALLOW_PRIVATE_PEERS', env.HASHCAMP_ALLOW_PRIVATE_PEERS, false),
    atproto: {
      plcUrl: parseHttpUrl('ATPROTO_PLC_URL', env.ATPROTO_PLC_URL, 'https://plc.directory')!,
      handleResolverUrl: parseHttpUrl('ATPROTO_HANDLE_RESOLVER', env.ATPROTO_HANDLE_RESOLVER, null),
    },
  }
}

export function usesHttps(config: Pick<Config, 'baseUrl'>): boolean {
  return config.baseUrl.startsWith('https:')
}
