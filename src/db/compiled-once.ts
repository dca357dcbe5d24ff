// Hot queries built once. Kysely builds a query's tree and compiles it to SQL on every call,
// which cost more than SQLite's own work for most of a page's queries (docs/benchmarks.md,
// issue 23). A query whose SQL does not depend on its values is built here once per dialect,
// with a marker in place of each value, and each call only puts the values where the markers
// were. The statement, the values' binding and the result are exactly Kysely's. On SQLite it
// runs straight on better-sqlite3 when that is safe (direct-sqlite.ts).
import type { Compilable, CompiledQuery, DialectAdapter, Kysely } from 'kysely'
import type { Database } from './database.js'
import { runDirectly } from './direct-sqlite.js'

const MARKER = '\u0000hashcamp-parameter:'

interface Compiled {
  query: CompiledQuery
  /** For each of the compiled query's parameters: the name of the value it takes, or null for a constant. */
  slots: (string | null)[]
}

/**
 * `compiledOnce((db, p) => db.selectFrom('users').selectAll().where('id', '=', p.id))`
 * returns `(db, { id }) => rows`. `p`'s properties are markers, so the builder must use them
 * only as values in the query (never in JavaScript: `if (p.x)`, `p.list.length`, a `sql.lit`),
 * and the query's shape must be the same for every value (no `in` with a list). Anything else
 * is refused when the query is first built. `db` may be a transaction.
 */
export function compiledOnce<Params extends object, Row>(
  build: (db: Kysely<Database>, params: Params) => Compilable<Row>,
): (db: Kysely<Database>, params: Params) => Promise<Row[]> {
  // Per dialect adapter: a transaction shares its database's adapter, and the SQL differs by dialect.
  const byAdapter = new WeakMap<DialectAdapter, Compiled>()
  const compile = (db: Kysely<Database>): Compiled => {
    const markers = new Proxy({} as Params, { get: (_target, name) => MARKER + String(name) })
    const query = build(db, markers).compile()
    if (query.sql.includes(MARKER)) throw new Error(`compiledOnce: a value was written into the SQL itself: ${query.sql}`)
    const slots = query.parameters.map((value) => (typeof value === 'string' && value.startsWith(MARKER) ? value.slice(MARKER.length) : null))
    return { query, slots }
  }
  return async (db, params) => {
    const adapter = db.getExecutor().adapter
    let compiled = byAdapter.get(adapter)
    if (!compiled) {
      compiled = compile(db)
      byAdapter.set(adapter, compiled)
    }
    const { query, slots } = compiled
    const parameters = slots.map((name, i) => (name === null ? query.parameters[i] : (params as Record<string, unknown>)[name]))
    // On SQLite, straight on the connection when that is safe (direct-sqlite.ts says when).
    const rows = runDirectly<Row>(db as Kysely<unknown>, query.sql, parameters)
    if (rows) return rows
    const result = await db.executeQuery<Row>({ ...query, parameters })
    return result.rows
  }
}
