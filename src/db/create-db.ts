import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { createRequire } from 'node:module'
import type pg from 'pg'
import { Kysely, PostgresDialect, SqliteDialect, type Dialect as KyselyDialect } from 'kysely'
import { DEFAULT_POSTGRES_LIMITS, DEFAULT_SQLITE_BUSY_TIMEOUT_MS, type DatabaseConfig } from '../config.js'
import type { Database } from './database.js'
import { countingDialect, type DataVersion } from './data-version.js'
import { allowDirectQueries } from './direct-sqlite.js'

const PG_INT8_OID = 20

/** pg is loaded only when PostgreSQL is used: a SQLite install never pays for it. */
export function loadPg(): typeof pg {
  return createRequire(import.meta.url)('pg') as typeof pg
}

// pg returns int8 (what count(*) and bigint sums are) as strings to avoid precision loss
// above 2^53. Our counts never get there, and SQLite returns numbers, so normalise here,
// per pool rather than through pg's global type registry.
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === PG_INT8_OID && format !== 'binary') return (value: string) => Number.parseInt(value, 10)
    return loadPg().types.getTypeParser(oid, format)
  },
}

export interface CreateDbOptions {
  /** Told when an idle PostgreSQL connection dies (a server restart, a killed backend). */
  onIdleConnectionError?: (error: Error) => void
  /**
   * Migrating: no statement or lock timeout. Building an index on a big table may take
   * minutes, and a second process starting at the same moment waits for the first one's
   * migration lock for as long as its migrations take.
   */
  forMigrations?: boolean
  /** Counts every write through this database (see data-version.ts): what kept pages are keyed by. */
  dataVersion?: DataVersion
}

const STATEMENT_CACHE_SIZE = 500

/**
 * Kysely prepares every query afresh, and preparing costs SQLite more than running most of
 * our queries: a statement is prepared once per distinct SQL text and reused (values are
 * bound per run, so this holds any number of different requests). Kysely runs a statement
 * to completion before the next, so one statement is never in use twice at once.
 */
function withStatementCache(sqlite: SQLite.Database): Pick<SQLite.Database, 'close' | 'prepare'> {
  const statements = new Map<string, SQLite.Statement>()
  return {
    close: () => sqlite.close(),
    prepare: ((source: string) => {
      let statement = statements.get(source)
      if (!statement) {
        // A query built with values inlined would fill the cache with one-offs: start afresh.
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear()
        statement = sqlite.prepare(source)
        statements.set(source, statement)
      }
      return statement
    }) as SQLite.Database['prepare'],
  }
}

export function createDb(config: DatabaseConfig, options: CreateDbOptions = {}): Kysely<Database> {
  if (config.dialect === 'postgres') {
    const limits = config.limits ?? DEFAULT_POSTGRES_LIMITS
    const unlimited = options.forMigrations === true
    // The wait for a connection (a free one from the pool, or a new one) is bounded, and so
    // is every statement and every lock wait on the server: past them the request fails with
    // an error the errors plugin shows as "busy, try again" (503), never an endless queue.
    // 0 sends nothing, which leaves the server's own setting (off unless set there).
    const pool = new (loadPg().Pool)({
      connectionString: config.url,
      types: pgTypes,
      max: unlimited ? 1 : limits.poolMax,
      connectionTimeoutMillis: limits.connectTimeoutMs,
      statement_timeout: unlimited ? 0 : limits.statementTimeoutMs,
      lock_timeout: unlimited ? 0 : limits.lockTimeoutMs,
      idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs,
    })
    // Without a listener, an idle connection that the server drops is an uncaught error
    // that takes the whole process down; the pool replaces the connection by itself.
    pool.on('error', (error) => options.onIdleConnectionError?.(error))
    return new Kysely<Database>({ dialect: counted(new PostgresDialect({ pool }), options.dataVersion) })
  }
  if (config.file !== ':memory:') fs.mkdirSync(path.dirname(config.file), { recursive: true })
  const sqlite = new SQLite(config.file)
  sqlite.pragma('journal_mode = WAL') // readers do not block the writer
  sqlite.pragma('foreign_keys = ON') // SQLite leaves foreign keys unenforced unless asked
  // Wait this long for another process's write instead of failing at once; past it, SQLITE_BUSY (a 503).
  sqlite.pragma(`busy_timeout = ${config.busyTimeoutMs ?? DEFAULT_SQLITE_BUSY_TIMEOUT_MS}`)
  sqlite.pragma('synchronous = NORMAL') // safe with WAL, and much faster than FULL
  if (options.dataVersion) {
    // Another connection's commit (npm run migrate, a backup restore, the sqlite3 shell) changes this.
    const dataVersion = sqlite.prepare('PRAGMA data_version').pluck()
    options.dataVersion.readOutside(() => dataVersion.get() as number)
  }
  const cached = withStatementCache(sqlite)
  const db = new Kysely<Database>({ dialect: counted(new SqliteDialect({ database: cached }), options.dataVersion) })
  allowDirectQueries(db, { sqlite, prepare: cached.prepare, version: options.dataVersion })
  return db
}

function counted(dialect: KyselyDialect, version: DataVersion | undefined): KyselyDialect {
  return version ? countingDialect(dialect, version) : dialect
}
