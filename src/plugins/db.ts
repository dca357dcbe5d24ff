import fp from 'fastify-plugin'
import type { Kysely } from 'kysely'
import type { Config } from '../config.js'
import { createDb } from '../db/create-db.js'
import type { Database } from '../db/database.js'
import type { Dialect } from '../db/dialect.js'
import { migrateToLatest } from '../db/migrator.js'
import { DataVersion } from '../db/data-version.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<Database>
    dialect: Dialect
    /** Changes after every committed write (see src/db/data-version.ts). */
    dataVersion: DataVersion
  }
}

/** Opens the database named by the config, brings its schema up to date, closes it on app.close(). */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    const dataVersion = new DataVersion()
    const db = createDb(config.database, { dataVersion, onIdleConnectionError: (error) => app.log.warn({ err: error }, 'idle database connection lost') })
    app.decorate('db', db)
    app.decorate('dataVersion', dataVersion)
    app.decorate('dialect', config.database.dialect)
    app.addHook('onClose', async () => {
      await db.destroy()
    })
    if (config.migrateOnStart) {
      // PostgreSQL migrates on a connection of its own, without the statement and lock
      // timeouts (create-db.ts says why); SQLite has none, and its file may be :memory:.
      const migrating = config.database.dialect === 'postgres' ? createDb(config.database, { forMigrations: true }) : db
      try {
        const ran = await migrateToLatest(migrating, config.database.dialect)
        if (ran.length) app.log.info({ migrations: ran }, 'database migrated')
      } finally {
        if (migrating !== db) await migrating.destroy()
      }
    }
  },
  { name: 'db' },
)
