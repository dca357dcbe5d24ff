// Runs migrations/ with Kysely's Migrator. Our own provider (a) imports files by URL, which
// works on every OS under ESM, and (b) hands each migration the dialect, because Kysely
// offers no supported way to ask a Kysely<any> which dialect it is (kysely#1191).
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Migrator, NO_MIGRATIONS, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely'
import type { Dialect } from './dialect.js'

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../migrations')

export interface DialectMigration {
  up(db: Kysely<any>, dialect: Dialect): Promise<void>
  down?(db: Kysely<any>, dialect: Dialect): Promise<void>
}

class DialectAwareProvider implements MigrationProvider {
  constructor(
    private readonly folder: string,
    private readonly dialect: Dialect,
  ) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {}
    const files = (await fs.readdir(this.folder)).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).sort()
    for (const file of files) {
      const mod = (await import(pathToFileURL(path.join(this.folder, file)).href)) as DialectMigration
      const { up, down } = mod
      migrations[file.replace(/\.(ts|js)$/, '')] = {
        up: (db) => up(db, this.dialect),
        down: down ? (db) => down(db, this.dialect) : undefined,
      }
    }
    return migrations
  }
}

function migratorFor(db: Kysely<any>, dialect: Dialect): Migrator {
  return new Migrator({ db, provider: new DialectAwareProvider(MIGRATIONS_DIR, dialect) })
}

function unwrap(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')
    const where = failed ? ` in migration ${failed.migrationName}` : ''
    throw new Error(`Migration failed${where}`, { cause: result.error })
  }
  return (result.results ?? []).map((r) => `${r.direction} ${r.migrationName}`)
}

/** Applies every pending migration; returns what ran, e.g. ["Up 2026_11_26_0900_create_users"]. */
export async function migrateToLatest(db: Kysely<any>, dialect: Dialect): Promise<string[]> {
  return unwrap(await migratorFor(db, dialect).migrateToLatest())
}

/** Undoes every migration (used by the round-trip test). */
export async function migrateDownToEmpty(db: Kysely<any>, dialect: Dialect): Promise<string[]> {
  return unwrap(await migratorFor(db, dialect).migrateTo(NO_MIGRATIONS))
}

/** Migrates up or down to the named migration (tests of a migration over existing rows). */
export async function migrateTo(db: Kysely<any>, dialect: Dialect, name: string): Promise<string[]> {
  return unwrap(await migratorFor(db, dialect).migrateTo(name))
}
