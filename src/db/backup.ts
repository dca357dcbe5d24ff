// A consistent copy of the database while the app keeps running (`npm run backup -- FILE`).
// SQLite: the online backup API copies pages from a connection of its own, restarting
// when another connection writes, so the copy is one committed state, WAL included. A
// plain `cp` of a WAL database can copy the main file and the WAL from different moments.
// PostgreSQL: pg_dump, which reads one snapshot; restore is pg_restore (docs/operations.md).
// Either way the copy is written beside its destination under a temporary name and renamed
// when complete, so an interrupted backup never leaves a file that looks like a good one.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import type { DatabaseConfig } from '../config.js'

export class BackupError extends Error {}

export interface BackupResult {
  file: string
  bytes: number
  ms: number
}

/** Refuses a destination that would overwrite something, or a folder that is not there. */
function checkDestination(destination: string): string {
  const target = path.resolve(destination)
  if (fs.existsSync(target)) throw new BackupError(`${target} already exists: choose a new file name (a backup never overwrites one)`)
  if (!fs.existsSync(path.dirname(target))) throw new BackupError(`the folder ${path.dirname(target)} does not exist`)
  return target
}

function temporaryName(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.partial`)
}

export async function backupSqlite(source: string, destination: string): Promise<BackupResult> {
  const target = checkDestination(destination)
  if (!fs.existsSync(source)) throw new BackupError(`there is no database at ${source}`)
  const started = Date.now()
  const partial = temporaryName(target)
  // Read-only: the backup must never be the thing that changes or locks out the live app.
  const live = new SQLite(source, { readonly: true, fileMustExist: true })
  live.pragma('busy_timeout = 5000')
  try {
    await live.backup(partial)
  } catch (error) {
    fs.rmSync(partial, { force: true })
    throw new BackupError(`the copy failed: ${error instanceof Error ? error.message : String(error)}`)
  } finally {
    live.close()
  }
  // A copy nobody has checked is a hope, not a backup.
  const copy = new SQLite(partial, { fileMustExist: true })
  try {
    const check = copy.pragma('quick_check', { simple: true })
    if (check !== 'ok') throw new BackupError(`the copy failed its integrity check: ${String(check)}`)
    // The backup API copies the live file's journal mode; a copy in WAL mode would leave
    // -wal/-shm files beside it that must travel with it. One self-contained file is simpler.
    copy.pragma('journal_mode = DELETE')
  } catch (error) {
    copy.close()
    fs.rmSync(partial, { force: true })
    throw error
  }
  copy.close()
  fs.renameSync(partial, target)
  return { file: target, bytes: fs.statSync(target).size, ms: Date.now() - started }
}

// libpq's own variables for the parts of DATABASE_URL. On the command line, `ps` would show
// the password to every user of the machine; the environment is the process's own.
const LIBPQ_QUERY_SETTINGS: Record<string, string> = { sslmode: 'PGSSLMODE', sslrootcert: 'PGSSLROOTCERT', sslcert: 'PGSSLCERT', sslkey: 'PGSSLKEY', options: 'PGOPTIONS' }

export function libpqEnvironment(url: string): Record<string, string> {
  const parsed = new URL(url)
  const env: Record<string, string> = {
    PGHOST: decodeURIComponent(parsed.hostname.replace(/^\[|\]$/g, '')) || 'localhost',
    PGPORT: parsed.port || '5432',
    PGDATABASE: decodeURIComponent(parsed.pathname.slice(1)) || 'postgres',
  }
  if (parsed.username) env.PGUSER = decodeURIComponent(parsed.username)
  if (parsed.password) env.PGPASSWORD = decodeURIComponent(parsed.password)
  for (const [name, variable] of Object.entries(LIBPQ_QUERY_SETTINGS)) {
    const value = parsed.searchParams.get(name)
    if (value !== null) env[variable] = value
  }
  return env
}

export async function backupPostgres(url: string, destination: string): Promise<BackupResult> {
  const target = checkDestination(destination)
  const started = Date.now()
  const partial = temporaryName(target)
  // The custom format is compressed and lets pg_restore pick tables or run in parallel.
  const child = spawn('pg_dump', ['--format=custom', '--no-owner', `--file=${partial}`], {
    env: { ...process.env, ...libpqEnvironment(url) },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new BackupError('pg_dump is not installed: install the PostgreSQL client (apt-get install postgresql-client) matching your server') : error),
    )
    child.on('close', resolve)
  }).catch((error: unknown) => {
    fs.rmSync(partial, { force: true })
    throw error
  })
  if (code !== 0) {
    fs.rmSync(partial, { force: true })
    throw new BackupError(`pg_dump failed: ${stderr.trim().split('\n').slice(-2).join(' ') || `exit code ${code}`}`)
  }
  fs.renameSync(partial, target)
  return { file: target, bytes: fs.statSync(target).size, ms: Date.now() - started }
}

export function backupDatabase(database: DatabaseConfig, destination: string): Promise<BackupResult> {
  return database.dialect === 'sqlite' ? backupSqlite(database.file, destination) : backupPostgres(database.url, destination)
}
