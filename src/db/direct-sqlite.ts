// The hot queries (src/db/compiled-once.ts) run straight on better-sqlite3 when that is safe,
// past Kysely's executor: its layers of promises and closures per statement cost more CPU
// and garbage than SQLite's own work on an RSVP (issue 23, docs/benchmarks.md). The
// statement, its values and its rows are those Kysely's SQLite driver would give.
//
// Safe means on the connection as Kysely would use it. SQLite has one connection, and
// Kysely's driver lends it to one user at a time; a transaction holds it from BEGIN to
// COMMIT. So: a transaction's own query runs directly (the connection is in its transaction);
// a query on the database itself runs directly only while no transaction is open, since it
// would otherwise run inside someone else's. Then it goes Kysely's way and waits its turn.
// Nothing here streams rows (an open iterator would also hold the connection).
import type { DialectAdapter, Kysely } from 'kysely'
import type SQLite from 'better-sqlite3'
import { changesData, type DataVersion } from './data-version.js'

interface DirectSqlite {
  sqlite: SQLite.Database
  /** The statement cache Kysely's driver uses too (create-db.ts). */
  prepare: (sql: string) => SQLite.Statement
  version: DataVersion | undefined
}

// By the database's dialect adapter: one per Kysely instance, shared with its transactions.
const direct = new WeakMap<DialectAdapter, DirectSqlite>()

export function allowDirectQueries<DB>(db: Kysely<DB>, sqlite: DirectSqlite): void {
  direct.set(db.getExecutor().adapter, sqlite)
}

/** The query's rows, run directly, or undefined when it must go Kysely's way. */
export function runDirectly<Row>(db: Kysely<unknown>, sql: string, parameters: readonly unknown[]): Row[] | undefined {
  const executor = db.getExecutor()
  const target = direct.get(executor.adapter)
  // A plugin (db.withPlugin) may change the rows Kysely returns: that goes Kysely's way too.
  if (!target || executor.plugins.length > 0 || db.isTransaction !== target.sqlite.inTransaction) return undefined
  const statement = target.prepare(sql)
  // As the driver counts (data-version.ts): a statement that failed may still have written.
  let result: { rows: Row[]; numAffectedRows: bigint | undefined } | undefined
  try {
    // As Kysely's driver: a statement that returns rows is read with all(), any other is run.
    result = statement.reader ? { rows: statement.all(parameters) as Row[], numAffectedRows: undefined } : { rows: [], numAffectedRows: BigInt(statement.run(parameters).changes) }
    return result.rows
  } finally {
    if (!result || changesData({ sql }, result)) target.version?.directWrite(db.isTransaction)
  }
}
