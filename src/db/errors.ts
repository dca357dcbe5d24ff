/** True when a query failed on a UNIQUE constraint, on either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false
  const code = (error as { code?: unknown }).code
  // better-sqlite3: SQLITE_CONSTRAINT_UNIQUE (or _PRIMARYKEY); pg: SQLSTATE 23505.
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505'
}

/** True when a query failed on a FOREIGN KEY constraint (the row it points to is gone), on either dialect. */
export function isForeignKeyViolation(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false
  const code = (error as { code?: unknown }).code
  // better-sqlite3: SQLITE_CONSTRAINT_FOREIGNKEY; pg: SQLSTATE 23503.
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503'
}

/**
 * PostgreSQL's SQLSTATEs for "not now": a statement or lock wait that ran past its timeout
 * (57014 query_canceled, 55P03 lock_not_available), no connection slot left on the server
 * (53300 too_many_connections), the server starting up or shutting down (57P03).
 */
const BUSY_SQLSTATES = new Set(['57014', '55P03', '53300', '57P03'])

/** pg-pool's words when no connection came within connectionTimeoutMillis (a free one, or a new one). */
const POOL_TIMEOUTS = new Set(['timeout exceeded when trying to connect', 'Connection terminated due to connection timeout'])

/**
 * True when a query failed because the database is too busy or briefly unreachable, on
 * either dialect: the request was fine and may well succeed in a few seconds, so the person
 * gets "busy, try again" (503 with Retry-After) rather than "something broke" (500).
 * SQLite's SQLITE_BUSY (and SQLITE_BUSY_*) comes once busy_timeout has run out. Causes are
 * followed a few levels, as pg-pool wraps a connection timeout around the socket's error.
 */
export function isDatabaseBusy(error: unknown): boolean {
  let current: unknown = error
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown }
    if (typeof code === 'string' && (BUSY_SQLSTATES.has(code) || code === 'ECONNREFUSED' || code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'))) return true
    if (typeof message === 'string' && POOL_TIMEOUTS.has(message)) return true
    current = cause
  }
  return false
}
