// `npm run migrate`: apply pending migrations to the configured database and exit.
import type { Kysely } from 'kysely'
import { loadConfig } from '../config.js'
import { startupFailureLine } from '../lib/startup-errors.js'
import { createDb } from './create-db.js'
import type { Database } from './database.js'
import { migrateToLatest } from './migrator.js'

const config = loadConfig()
let db: Kysely<Database> | null = null
try {
  db = createDb(config.database, { forMigrations: true })
  const ran = await migrateToLatest(db, config.database.dialect)
  process.stdout.write(ran.length ? `${ran.join('\n')}\n` : 'Database is up to date.\n')
} catch (error) {
  // One line naming the database and what to do, as the server says it.
  process.stderr.write(`${startupFailureLine(error, config.database).replace('Hashcamp could not start', 'The database was not migrated')}\n`)
  process.exitCode = 1
} finally {
  await db?.destroy().catch(() => undefined)
}
