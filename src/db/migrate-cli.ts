// `npm run migrate`: apply pending migrations to the configured database and exit.
import { loadConfig } from '../config.js'
import { createDb } from './create-db.js'
import { migrateToLatest } from './migrator.js'

const config = loadConfig()
const db = createDb(config.database)
try {
  const ran = await migrateToLatest(db, config.database.dialect)
  process.stdout.write(ran.length ? `${ran.join('\n')}\n` : 'Database is up to date.\n')
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  if (error instanceof Error && error.cause) process.stderr.write(`${String(error.cause)}\n`)
  process.exitCode = 1
} finally {
  await db.destroy()
}
