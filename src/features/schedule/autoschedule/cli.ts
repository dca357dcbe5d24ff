// `npm run autoschedule -- <instance.json> [--seed N] [--time-ms N | --iterations N]`: reads
// an instance, prints the result as JSON on stdout. Problems go to stderr with a non-zero exit.
// With a time (9 s unless told) the search uses all of it; with a step count it is one run,
// the same for the same seed every time.
import fs from 'node:fs'
import { checkInstance, InvalidInstance } from './instance.js'
import { solve } from './solver.js'

function fail(message: string): never {
  process.stderr.write(`autoschedule: ${message}\n`)
  process.exit(2)
}

const args = process.argv.slice(2)
let file: string | undefined
const options: { seed?: number; timeMs?: number; iterations?: number } = {}
const usage = 'usage: npm run autoschedule -- <instance.json> [--seed N] [--time-ms N | --iterations N]'
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!
  if (arg === '--seed' || arg === '--time-ms' || arg === '--iterations') {
    const value = Number(args[++i])
    if (!Number.isInteger(value) || value < 0) fail(`${arg} needs a whole number, not "${args[i] ?? ''}"`)
    if (arg === '--seed') options.seed = value
    else if (arg === '--time-ms') options.timeMs = value
    else options.iterations = value
  } else if (!file) file = arg
  else fail(`unexpected argument "${arg}"`)
}
if (!file) fail(usage)
if (options.timeMs !== undefined && options.iterations !== undefined) fail(`--time-ms and --iterations are two ways to say how long; give one. ${usage}`)

let raw: unknown
try {
  raw = JSON.parse(fs.readFileSync(file, 'utf8'))
} catch (error) {
  fail(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`)
}
try {
  const instance = checkInstance(raw)
  const started = Date.now()
  const budget = options.iterations !== undefined ? { iterations: options.iterations } : { timeMs: options.timeMs ?? 9000 }
  const result = solve(instance, { seed: options.seed ?? 1, ...budget })
  process.stderr.write(`autoschedule: ${instance.sessions.length} sessions, cost ${result.cost.total}, ${Date.now() - started} ms\n`)
  process.stdout.write(`${JSON.stringify(result)}\n`)
} catch (error) {
  if (error instanceof InvalidInstance) fail(`invalid instance: ${error.message}`)
  throw error
}
