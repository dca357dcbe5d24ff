// `npm run autoschedule -- <instance.json> [--seed N] [--time-ms N]`: reads an instance,
// prints the result as JSON on stdout. Problems go to stderr with a non-zero exit.
import fs from 'node:fs'
import { checkInstance, InvalidInstance } from './instance.js'
import { solve } from './solver.js'

function fail(message: string): never {
  process.stderr.write(`autoschedule: ${message}\n`)
  process.exit(2)
}

const args = process.argv.slice(2)
let file: string | undefined
const options: { seed?: number; timeMs?: number } = {}
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!
  if (arg === '--seed' || arg === '--time-ms') {
    const value = Number(args[++i])
    if (!Number.isInteger(value) || value < 0) fail(`${arg} needs a whole number, not "${args[i] ?? ''}"`)
    if (arg === '--seed') options.seed = value
    else options.timeMs = value
  } else if (!file) file = arg
  else fail(`unexpected argument "${arg}"`)
}
if (!file) fail('usage: npm run autoschedule -- <instance.json> [--seed N] [--time-ms N]')

let raw: unknown
try {
  raw = JSON.parse(fs.readFileSync(file, 'utf8'))
} catch (error) {
  fail(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`)
}
try {
  const instance = checkInstance(raw)
  const started = Date.now()
  const result = solve(instance, { seed: options.seed ?? 1, timeMs: options.timeMs ?? 9000 })
  process.stderr.write(`autoschedule: ${instance.sessions.length} sessions, cost ${result.cost.total}, ${Date.now() - started} ms\n`)
  process.stdout.write(`${JSON.stringify(result)}\n`)
} catch (error) {
  if (error instanceof InvalidInstance) fail(`invalid instance: ${error.message}`)
  throw error
}
