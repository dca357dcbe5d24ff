// An outbox worker in a process of its own, for the tests that kill one mid-send or run two
// at once. It builds the app on the test's database (mailing through the test's SMTP server,
// or into the mail folder when the config has none), says "ready", waits for a line on
// stdin, sends until nothing is due, says "done <claimed>" and exits.
import readline from 'node:readline'
import { buildApp } from '../../src/app.js'
import type { Config } from '../../src/config.js'

const config = JSON.parse(process.env.HASHCAMP_TEST_CONFIG!) as Config
const app = await buildApp({ ...config, mailWorker: false, migrateOnStart: false }, { logger: false, mailWorker: { batch: Number(process.env.BATCH || 10) } })
process.stdout.write('ready\n')
const input = readline.createInterface({ input: process.stdin })
await new Promise((resolve) => input.once('line', resolve))
input.close()
let claimed = 0
for (let n = await app.outbox.worker.runOnce(); n > 0; n = await app.outbox.worker.runOnce()) claimed += n
process.stdout.write(`done ${claimed}\n`)
await app.close()
process.exit(0)
