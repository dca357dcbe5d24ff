// `npm run backup -- FILE`: a consistent copy of the configured database, taken while the
// app runs (src/db/backup.ts). Restoring is in docs/operations.md.
import fs from 'node:fs'
import path from 'node:path'
import { ConfigError, loadConfig } from '../config.js'
import { BackupError, backupDatabase } from './backup.js'

const USAGE = 'Usage: npm run backup -- FILE   (a new file: SQLite copy, or pg_dump custom format on PostgreSQL)'

try {
  const destination = process.argv[2]
  if (!destination || destination.startsWith('-')) throw new BackupError(USAGE)
  const config = loadConfig()
  const result = await backupDatabase(config.database, destination)
  process.stdout.write(`Backed up to ${result.file} (${(result.bytes / 1024).toFixed(0)} KiB in ${result.ms} ms).\n`)
  // Without SESSION_SECRET, sign-ins, unsubscribe links and emailed links are signed with a key
  // kept in the data folder: a restore without it signs everyone out and breaks those links.
  const keyFile = path.join(config.dataDir, 'session.key')
  if (!config.sessionSecret && fs.existsSync(keyFile)) {
    process.stdout.write(`Keep ${keyFile} safe too (or set SESSION_SECRET): links already emailed need it.\n`)
  }
  // Event and meetup images are files, not rows: the copy above names them but does not hold them.
  const images = path.join(config.dataDir, 'images')
  if (fs.existsSync(images) && fs.readdirSync(images).length > 0) {
    process.stdout.write(`Copy ${images}${path.sep} too, now (rsync -a, without --delete): the database copy names the images it holds, not their files.\n`)
  }
} catch (error) {
  if (!(error instanceof BackupError || error instanceof ConfigError)) throw error
  process.stderr.write(`Backup failed: ${error.message}\n`)
  process.exitCode = 1
}
