// A start that cannot succeed (database down, a damaged or unopenable SQLite file, a database
// from a newer version, a port in use) says so in one line that names the file or address
// and what to do, and exits 1: an operator should never have to read a stack trace.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { sql } from 'kysely'
import { createDb } from '../src/db/create-db.js'
import { migrateToLatest } from '../src/db/migrator.js'
import { currentDialect } from './helpers/dialects.js'
import { freshDatabase } from './helpers/fresh-database.js'

interface Start {
  code: number | null
  stdout: string
  stderr: string
}

async function startServer(env: Record<string, string>, script = 'src/server.ts'): Promise<Start> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', HASHCAMP_DEMO: 'off', LOG_LEVEL: 'info', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
  const [code] = (await once(child, 'exit')) as [number | null]
  clearTimeout(timer)
  return { code, stdout, stderr }
}

/** Exit 1, exactly one line on stderr matching `expected`, and nothing that looks like a stack. */
function assertOneLineFailure(start: Start, expected: RegExp): void {
  assert.equal(start.code, 1, `exit code 1\n${start.stderr}`)
  const lines = start.stderr.trim().split('\n')
  assert.equal(lines.length, 1, `one line on stderr, not:\n${start.stderr}`)
  assert.match(lines[0]!, expected)
  assert.doesNotMatch(start.stderr + start.stdout, /^\s+at /m, 'no stack trace')
}

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hashcamp-start-'))
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

test('a damaged SQLite file is named, with what to do', async (t) => {
  const dir = tempDir(t)
  fs.writeFileSync(path.join(dir, 'hashcamp.sqlite'), 'this is not a database '.repeat(300))
  const start = await startServer({ HASHCAMP_DATA_DIR: dir })
  assertOneLineFailure(start, new RegExp(`SQLite file ${path.join(dir, 'hashcamp.sqlite').replaceAll('/', '\\/')} is damaged or is not a database: restore it from a backup`))
})

test('a SQLite file that cannot be opened is named, with what to do', async (t) => {
  const dir = tempDir(t)
  // A folder where the file should be: as root, permissions would not stop the open.
  fs.mkdirSync(path.join(dir, 'hashcamp.sqlite'))
  const start = await startServer({ HASHCAMP_DATA_DIR: dir })
  assertOneLineFailure(start, /Cannot open the SQLite file .*hashcamp\.sqlite: check that its folder exists .* or set HASHCAMP_DATA_DIR/)
})

test('npm run migrate says the same one line', async (t) => {
  const dir = tempDir(t)
  fs.writeFileSync(path.join(dir, 'hashcamp.sqlite'), 'this is not a database '.repeat(300))
  const start = await startServer({ HASHCAMP_DATA_DIR: dir }, 'src/db/migrate-cli.ts')
  assertOneLineFailure(start, /^The database was not migrated\. The SQLite file .* is damaged/)
})

test('an unreachable PostgreSQL is named by address, never with its password', async (t) => {
  // Port 1 on loopback: nothing listens there.
  const start = await startServer({ HASHCAMP_DATA_DIR: tempDir(t), DATABASE_URL: 'postgres://hashcamp:s3cret-pw@127.0.0.1:1/hashcamp' })
  assertOneLineFailure(start, /Cannot reach PostgreSQL at 127\.0\.0\.1:1\/hashcamp \(ECONNREFUSED\): start PostgreSQL, or correct DATABASE_URL\./)
  assert.doesNotMatch(start.stderr, /s3cret-pw/)
})

test(`a ${currentDialect()} database set up by a newer version says which migration it does not know`, async (t) => {
  const fresh = await freshDatabase()
  t.after(() => fresh.drop())
  const db = createDb(fresh.database)
  await migrateToLatest(db, fresh.database.dialect)
  await sql`insert into kysely_migration (name, timestamp) values ('2099_01_01_0000_from_the_future', ${new Date().toISOString()})`.execute(db)
  await db.destroy()
  const env: Record<string, string> = fresh.database.dialect === 'postgres' ? { DATABASE_URL: fresh.database.url, HASHCAMP_DATA_DIR: fresh.dataDir } : { HASHCAMP_DATA_DIR: path.dirname(fresh.database.file) }
  if (fresh.database.dialect === 'sqlite') fs.renameSync(fresh.database.file, path.join(path.dirname(fresh.database.file), 'hashcamp.sqlite'))
  const start = await startServer(env)
  assertOneLineFailure(start, /was set up by a newer Hashcamp \(migration 2099_01_01_0000_from_the_future is not in this version\)/)
})

test('a port in use is named, with what to do', async (t) => {
  const blocker = net.createServer()
  blocker.listen(0, '127.0.0.1')
  await once(blocker, 'listening')
  t.after(() => blocker.close())
  const port = (blocker.address() as net.AddressInfo).port
  const fresh = await freshDatabase()
  t.after(() => fresh.drop())
  const env: Record<string, string> = fresh.database.dialect === 'postgres' ? { DATABASE_URL: fresh.database.url } : {}
  const start = await startServer({ ...env, HASHCAMP_DATA_DIR: fresh.dataDir, PORT: String(port) })
  assert.equal(start.code, 1)
  assert.match(start.stderr.trim(), new RegExp(`^Hashcamp could not start: port ${port} on 127\\.0\\.0\\.1 is in use by another program\\. Stop it, or set PORT to another port\\.$`))
})

test('a bad database pool setting stops the start in one line naming the variable', async (t) => {
  const start = await startServer({ HASHCAMP_DATA_DIR: tempDir(t), HASHCAMP_PG_LOCK_TIMEOUT_MS: 'five seconds' })
  assertOneLineFailure(start, /^Configuration error: HASHCAMP_PG_LOCK_TIMEOUT_MS must be a whole number of milliseconds \(0 for no limit\), not "five seconds"$/)
})
