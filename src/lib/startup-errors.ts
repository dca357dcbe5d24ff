// Why the app could not start, in one line a person can act on. A stack trace tells an
// operator nothing they can fix; the file or address and the next step do. Used by the
// server and by `npm run migrate`, before any logger exists.
import type { DatabaseConfig } from '../config.js'

interface ErrorLike {
  message?: string
  code?: string
  cause?: unknown
  errors?: unknown[]
}

/** The error and its causes (Error.cause, AggregateError.errors), outermost first. */
function chain(error: unknown): ErrorLike[] {
  const seen: ErrorLike[] = []
  const queue: unknown[] = [error]
  while (queue.length && seen.length < 10) {
    const next = queue.shift()
    if (!next || typeof next !== 'object' || seen.includes(next as ErrorLike)) continue
    const e = next as ErrorLike
    seen.push(e)
    if (e.cause) queue.push(e.cause)
    if (Array.isArray(e.errors)) queue.push(...e.errors)
  }
  return seen
}

/** host:port/database of a PostgreSQL URL, without the user or password. */
export function postgresAddress(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`
  } catch {
    return 'the address in DATABASE_URL'
  }
}

const POSTGRES_UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET'])

function describePostgres(errors: ErrorLike[], url: string): string | null {
  const where = `PostgreSQL at ${postgresAddress(url)}`
  const code = (wanted: (c: string) => boolean) => errors.find((e) => e.code && wanted(e.code))?.code
  const unreachable = code((c) => POSTGRES_UNREACHABLE.has(c))
  if (unreachable) return `Cannot reach ${where} (${unreachable}): start PostgreSQL, or correct DATABASE_URL.`
  if (code((c) => c === '3D000')) return `${where} has no such database: create it (createdb), or correct DATABASE_URL.`
  if (code((c) => c === '28P01' || c === '28000')) return `${where} refused the user or password in DATABASE_URL: correct them.`
  if (errors.some((e) => e.message?.includes('timeout'))) return `${where} did not answer in time: check that it is running and reachable, or correct DATABASE_URL.`
  return null
}

function describeSqlite(errors: ErrorLike[], file: string): string | null {
  const codes = new Set(errors.map((e) => e.code).filter(Boolean))
  if (codes.has('SQLITE_NOTADB') || codes.has('SQLITE_CORRUPT')) {
    return `The SQLite file ${file} is damaged or is not a database: restore it from a backup, or move it away to start afresh.`
  }
  if (codes.has('SQLITE_CANTOPEN') || codes.has('EACCES') || codes.has('EPERM') || codes.has('EISDIR') || codes.has('ENOTDIR') || codes.has('EROFS')) {
    return `Cannot open the SQLite file ${file}: check that its folder exists and that this user may read and write both, or set HASHCAMP_DATA_DIR to another folder.`
  }
  if (codes.has('SQLITE_READONLY') || codes.has('SQLITE_PERM')) {
    return `The SQLite file ${file} cannot be written: give this user write access to it and its folder.`
  }
  return null
}

function describeMigrations(errors: ErrorLike[], where: string): string | null {
  // Kysely's words when the database ran a migration this copy of the app does not have.
  const missing = errors.map((e) => /previously executed migration (\S+) is missing/.exec(e.message ?? '')?.[1]).find(Boolean)
  if (missing) {
    return `The database ${where} was set up by a newer Hashcamp (migration ${missing} is not in this version): run the version that made it, or restore a backup made with this one.`
  }
  const failed = errors.map((e) => /^Migration failed in migration (\S+)/.exec(e.message ?? '')?.[1]).find(Boolean)
  if (failed) {
    const cause = errors.at(-1)?.message ?? 'unknown error'
    return `Migration ${failed} failed on the database ${where} (${cause}): restore a backup, or report this with the log.`
  }
  return null
}

/** One line saying what stopped the start and what to do, or null for an error we do not know. */
export function describeStartupError(error: unknown, database: DatabaseConfig): string | null {
  const errors = chain(error)
  if (database.dialect === 'postgres') {
    return describePostgres(errors, database.url) ?? describeMigrations(errors, `at ${postgresAddress(database.url)}`)
  }
  return describeSqlite(errors, database.file) ?? describeMigrations(errors, database.file)
}

/** The line to print: our description, or the error's own message with where to find more. */
export function startupFailureLine(error: unknown, database: DatabaseConfig): string {
  const known = describeStartupError(error, database)
  if (known) return `Hashcamp could not start. ${known}`
  const message = error instanceof Error ? error.message : String(error)
  return `Hashcamp could not start: ${message} (run with LOG_LEVEL=debug to see the whole error).`
}
