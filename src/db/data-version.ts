// The whole database's data version: a value that changes after every committed write, read
// before a page is built so a kept page (src/lib/kept-pages.ts) is served only while nothing
// it came from can have changed. Counted by the database layer itself (a wrapped Kysely
// driver), so no write path can forget it; new queries need nothing extra.
//
// Bumping too often only costs a rebuild; bumping too rarely would serve a stale page. So
// every statement that is not a plain SELECT bumps, after it ran, and so does every commit
// and rollback of a transaction that ran one, after it finished. A page built while a write
// lands was built under the version read before: it is never served for the new one.
import type { CompiledQuery, DatabaseConnection, Dialect, Driver, QueryResult, TransactionSettings } from 'kysely'

export class DataVersion {
  /** Writes through this process's own connections. */
  #local = 0
  /** Changes heard of from elsewhere: another process's NOTIFY, a lost LISTEN connection. */
  #remote = 0
  #outside: (() => number) | null = null
  /** A direct write (directWrite) in the SQLite transaction now open. */
  #directWriteInTransaction = false
  readonly #onLocalWrite = new Set<() => void>()

  /** The version now: compare for equality only. */
  current(): string {
    return `${this.#local}.${this.#remote}.${this.#outside?.() ?? 0}`
  }

  /** A statement or commit of ours changed (or may have changed) the data. */
  bumpLocal(): void {
    this.#local += 1
    for (const listener of this.#onLocalWrite) listener()
  }

  /**
   * A write run straight on SQLite's one connection, past the driver (src/db/direct-sqlite.ts):
   * outside a transaction it counts at once; inside one it counts when the transaction ends,
   * as the driver's own writes do. SQLite has one connection, so one transaction at a time.
   */
  directWrite(inTransaction: boolean): void {
    if (inTransaction) this.#directWriteInTransaction = true
    else this.bumpLocal()
  }

  /** Whether the transaction now ending had a direct write; clears it for the next. */
  takeDirectWriteInTransaction(): boolean {
    const wrote = this.#directWriteInTransaction
    this.#directWriteInTransaction = false
    return wrote
  }

  /** Someone else changed the data, as far as we know. */
  bumpRemote(): void {
    this.#remote += 1
  }

  /** A cheap reading that changes when another connection commits (SQLite's PRAGMA data_version). */
  readOutside(read: () => number): void {
    this.#outside = read
  }

  /** Told after each local write (PostgreSQL tells other processes); returns the unsubscribe function. */
  onLocalWrite(listener: () => void): () => void {
    this.#onLocalWrite.add(listener)
    return () => this.#onLocalWrite.delete(listener)
  }
}

/** A statement that cannot change data: a SELECT (no data-modifying CTE can precede it). */
const PLAIN_SELECT = /^\s*select\b/i
/** DML that reports how many rows it touched: none touched, nothing changed. */
const DML = /^\s*(insert|update|delete)\b/i
/** What the drivers send to run a transaction: its commit or rollback is counted when it ends. */
const TRANSACTION_CONTROL = /^\s*(begin|start transaction|commit|rollback|savepoint|release)\b/i

export function changesData(query: Pick<CompiledQuery, 'sql'>, result: Pick<QueryResult<unknown>, 'numAffectedRows'>): boolean {
  if (PLAIN_SELECT.test(query.sql) || TRANSACTION_CONTROL.test(query.sql)) return false
  return !(DML.test(query.sql) && result.numAffectedRows === 0n)
}

const counted = new WeakMap<DatabaseConnection, { inTransaction: boolean; wrote: boolean }>()

/** `dialect`, with every write through it counted in `version`. */
export function countingDialect(dialect: Dialect, version: DataVersion): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => countingDriver(dialect.createDriver(), version),
  }
}

function countingDriver(driver: Driver, version: DataVersion): Driver {
  const stateOf = (connection: DatabaseConnection) => counted.get(connection)!
  const endTransaction = async (connection: DatabaseConnection, end: () => Promise<void>): Promise<void> => {
    const state = stateOf(connection)
    try {
      await end()
    } finally {
      // Both asked: the second clears the direct-write mark whatever the first says.
      const directWrote = version.takeDirectWriteInTransaction()
      if (state.wrote || directWrote) version.bumpLocal()
      state.inTransaction = false
      state.wrote = false
    }
  }
  const counting: Driver = {
    init: () => driver.init(),
    destroy: () => driver.destroy(),
    releaseConnection: (connection) => driver.releaseConnection(connection),
    async acquireConnection() {
      const connection = await driver.acquireConnection()
      // Drivers hand out the same connection objects again: each is wrapped once, in place,
      // so the object the driver gets back in beginTransaction and the rest is its own.
      if (!counted.has(connection)) {
        const state = { inTransaction: false, wrote: false }
        counted.set(connection, state)
        const execute = connection.executeQuery.bind(connection)
        connection.executeQuery = async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
          let result: QueryResult<R> | undefined
          try {
            result = await execute<R>(query)
            return result
          } finally {
            // A failed statement may still have written (a trigger, a partial multi-row insert outside a transaction).
            if (!result || changesData(query, result)) {
              if (state.inTransaction) state.wrote = true
              else version.bumpLocal()
            }
          }
        }
      }
      return connection
    },
    async beginTransaction(connection, settings: TransactionSettings) {
      await driver.beginTransaction(connection, settings)
      stateOf(connection).inTransaction = true
    },
    commitTransaction: (connection) => endTransaction(connection, () => driver.commitTransaction(connection)),
    rollbackTransaction: (connection) => endTransaction(connection, () => driver.rollbackTransaction(connection)),
  }
  if (driver.savepoint) counting.savepoint = driver.savepoint.bind(driver)
  if (driver.rollbackToSavepoint) counting.rollbackToSavepoint = driver.rollbackToSavepoint.bind(driver)
  if (driver.releaseSavepoint) counting.releaseSavepoint = driver.releaseSavepoint.bind(driver)
  return counting
}
