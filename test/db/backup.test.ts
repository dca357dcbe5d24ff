// `npm run backup -- FILE` while the app is writing: the copy is one committed state (no
// half-written transaction), and the app built on the restored copy shows what was there.
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { sql } from 'kysely'
import SQLite from 'better-sqlite3'
import { buildApp } from '../../src/app.js'
import { libpqEnvironment } from '../../src/db/backup.js'
import { PROJECT_ROOT } from '../../src/project-root.js'
import { testConfig } from '../helpers/build-test-app.js'
import { createCommunity, person } from '../helpers/communities.js'
import { Browser, text } from '../helpers/browser.js'
import { freshDatabase } from '../helpers/fresh-database.js'
import { currentDialect } from '../helpers/dialects.js'
import type { Config } from '../../src/config.js'

function databaseUrl(config: Config): string {
  return config.database.dialect === 'sqlite' ? `sqlite:${config.database.file}` : config.database.url
}

/** Runs the README's command, as an operator would, against the app's database. */
function runBackup(config: Config, file: string | null): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src/db/backup-cli.ts'), ...(file ? [file] : [])], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl(config), HASHCAMP_DATA_DIR: config.dataDir, SESSION_SECRET: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

test('a backup taken while the app writes restores to a working site with one consistent state', async (t) => {
  const { config, drop } = await testConfig()
  const app = await buildApp(config, { logger: false })
  t.after(async () => {
    await app.close().catch(() => undefined)
    await drop()
  })
  const host = await person(app, 'Backup Host')
  const created = await createCommunity(host, { name: 'Backed-up Borough', hashtag: '#backedup', slug: 'backedup' })
  assert.equal(created.status, 303)

  // Writes in pairs, one transaction each, for as long as the backup runs: a copy that caught
  // half of a transaction would hold an odd number of rows.
  await sql`create table backup_probe (n integer not null)`.execute(app.db)
  let writing = true
  let pairs = 0
  const writer = (async () => {
    while (writing) {
      await app.db.transaction().execute(async (trx) => {
        await sql`insert into backup_probe (n) values (${pairs}), (${pairs})`.execute(trx)
      })
      pairs += 1
      await new Promise((resolve) => setImmediate(resolve))
    }
  })()

  const file = path.join(config.dataDir, currentDialect() === 'sqlite' ? 'copy.sqlite' : 'copy.dump')
  const backup = await runBackup(config, file)
  writing = false
  await writer
  assert.equal(backup.code, 0, backup.stderr)
  assert.match(backup.stdout, /^Backed up to .*copy\.(sqlite|dump) \(/)
  assert.ok(pairs > 0, 'the app kept writing during the backup')
  assert.deepEqual(fs.readdirSync(config.dataDir).filter((name) => name.endsWith('.partial')), [], 'no temporary file is left behind')

  // Restore it as docs/operations.md says, then build the app on the restored database.
  let restored: Config
  let dropRestored = async () => {}
  if (currentDialect() === 'sqlite') {
    // One self-contained file: no -wal or -shm beside it that would have to travel with it.
    assert.ok(!fs.existsSync(`${file}-wal`))
    const restoredFile = path.join(config.dataDir, 'restored.sqlite')
    fs.copyFileSync(file, restoredFile)
    restored = { ...config, database: { dialect: 'sqlite', file: restoredFile } }
  } else {
    const target = await freshDatabase()
    dropRestored = target.drop
    assert.equal(target.database.dialect, 'postgres')
    const env = libpqEnvironment(target.database.dialect === 'postgres' ? target.database.url : '')
    const result = spawnSync('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${env.PGDATABASE}`, file], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    })
    assert.equal(result.status, 0, result.stderr)
    restored = { ...config, database: target.database }
  }
  t.after(() => dropRestored())
  const copy = await buildApp(restored, { logger: false })
  t.after(() => copy.close())
  const rows = await sql<{ n: number }>`select count(*) as n from backup_probe`.execute(copy.db)
  const count = Number(rows.rows[0]!.n)
  assert.equal(count % 2, 0, `the copy holds whole transactions only (${count} rows)`)
  assert.ok(count <= pairs * 2)

  const visitor = new Browser(copy)
  const page = await visitor.get('/communities/backedup')
  assert.equal(page.status, 200)
  assert.match(text(page.html), /Backed-up Borough/)
})

test('a backup never overwrites a file, and says how to use it when the file is not named', async (t) => {
  const { config: own, drop } = await testConfig()
  t.after(drop)
  // The database must exist for SQLite to copy it: migrate it by building the app once.
  const built = await buildApp(own, { logger: false })
  await built.close()

  const existing = path.join(own.dataDir, 'already-here.bak')
  fs.writeFileSync(existing, 'an older backup')
  const refused = await runBackup(own, existing)
  assert.equal(refused.code, 1)
  assert.match(refused.stderr, /already exists: choose a new file name/)
  assert.equal(fs.readFileSync(existing, 'utf8'), 'an older backup')

  const usage = await runBackup(own, null)
  assert.equal(usage.code, 1)
  assert.match(usage.stderr, /Usage: npm run backup -- FILE/)

  const missingFolder = await runBackup(own, path.join(own.dataDir, 'no-such-folder', 'x.bak'))
  assert.equal(missingFolder.code, 1)
  assert.match(missingFolder.stderr, /does not exist/)
})

test('without SESSION_SECRET the backup reminds the operator to keep the session key', async (t) => {
  const { config, drop } = await testConfig({ sessionSecret: null })
  t.after(drop)
  const built = await buildApp(config, { logger: false })
  await built.close()
  const file = path.join(config.dataDir, 'with-key.backup')
  const result = await runBackup(config, file)
  assert.equal(result.code, 0, result.stderr)
  assert.match(result.stdout, /session\.key safe too/)
  if (config.database.dialect === 'sqlite') {
    // The copy is one file a restore can move on its own.
    const db = new SQLite(file, { readonly: true })
    t.after(() => db.close())
    assert.equal(db.pragma('journal_mode', { simple: true }), 'delete')
  }
})
