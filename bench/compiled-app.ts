// How the bench scripts start the app: as production runs it (`npm run start:compiled`, the
// systemd unit in docs/operations.md), the compiled JavaScript with its memory settings, here
// on a bench site on SQLite. One copy, so a change to production's settings reaches every
// measurement (bench/rsvp-storm.ts starts PostgreSQL processes of its own).
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process'
import path from 'node:path'

const ROOT = path.resolve(import.meta.dirname, '..')

/** The node flags of `npm run start:compiled` (docs/benchmarks.md, "Memory"): a capped heap, a small new space. */
export const NODE_MEMORY_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=96']
/** And its environment: two malloc arenas, not one per thread. */
export const MALLOC_SETTINGS = { MALLOC_ARENA_MAX: '2' }

export interface CompiledApp {
  /** The checkout whose build runs: this one unless given (bench/drafts.ts measures others). */
  root?: string
  dataDir: string
  port: number
  /** Node flags besides the memory ones (a CPU profile's). */
  nodeFlags?: string[]
  /** Settings besides, or instead of, the bench's own. */
  env?: NodeJS.ProcessEnv
  stdio?: StdioOptions
}

/** Starts dist/src/server.js on the site in dataDir: no demo, no rate limits, warnings only. The caller waits for /healthz. */
export function spawnCompiledApp(app: CompiledApp): ChildProcess {
  return spawn(process.execPath, [...NODE_MEMORY_FLAGS, ...(app.nodeFlags ?? []), 'dist/src/server.js'], {
    cwd: app.root ?? ROOT,
    env: {
      ...process.env,
      ...MALLOC_SETTINGS,
      PORT: String(app.port),
      HOST: '127.0.0.1',
      HASHCAMP_DATA_DIR: app.dataDir,
      DATABASE_URL: '',
      HASHCAMP_DEMO: 'off',
      HASHCAMP_RATE_LIMITS: 'off',
      LOG_LEVEL: 'warn',
      NODE_ENV: '',
      ...app.env,
    },
    stdio: app.stdio ?? ['ignore', 'inherit', 'inherit'],
  })
}

/** The command line those settings amount to, for the report. */
export function compiledAppCommand(): string {
  const env = Object.entries(MALLOC_SETTINGS).map(([name, value]) => `${name}=${value}`)
  return [...env, 'node', ...NODE_MEMORY_FLAGS].join(' ')
}
