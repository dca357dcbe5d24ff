// Which database this run of the suite uses. test/run-dialects.mjs runs the whole suite
// once per dialect: SQLite always, PostgreSQL when TEST_DATABASE_URL is set.
import type { Dialect } from '../../src/db/dialect.js'

export function currentDialect(): Dialect {
  const dialect = process.env.TEST_DIALECT ?? 'sqlite'
  if (dialect !== 'sqlite' && dialect !== 'postgres') throw new Error(`TEST_DIALECT must be sqlite or postgres, not ${dialect}`)
  return dialect
}

export function postgresAdminUrl(): string {
  const url = process.env.TEST_DATABASE_URL
  if (!url) throw new Error('TEST_DIALECT=postgres needs TEST_DATABASE_URL (a database the tests may create databases from)')
  return url
}
