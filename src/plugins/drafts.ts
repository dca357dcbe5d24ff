// The auto-scheduler's worker threads (src/features/schedule/autoschedule/pool.ts), one pool
// for the app: a draft on a big event computes beside the app's thread, not on it. Threads
// start with the first draft and end when the app closes.
import os from 'node:os'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { SolverPool } from '../features/schedule/autoschedule/pool.js'

declare module 'fastify' {
  interface FastifyInstance {
    drafts: SolverPool
  }
}

export default fp<{ config: Config }>(
  async (app, { config }) => {
    // More threads than cores less one would take the core the app's own thread needs.
    const threads = Math.min(config.drafts.threads, Math.max(1, os.availableParallelism() - 1))
    const pool = new SolverPool({ threads, queue: config.drafts.queue })
    app.decorate('drafts', pool)
    app.addHook('onClose', async () => pool.close())
  },
  { name: 'drafts' },
)
