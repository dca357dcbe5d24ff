// The auto-scheduler's thread pool: answers equal to solving in-process, no more threads than
// allowed, a bounded queue, a crashed thread failing only its own job, and close() ending
// every thread (a thread left running would keep this file's process alive: the test times out).
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { generate } from '../../bench/autoschedule-instances.js'
import type { Instance } from '../../src/features/schedule/autoschedule/instance.js'
import { SolverBusyError, SolverClosedError, SolverCrashedError, SolverPool } from '../../src/features/schedule/autoschedule/pool.js'
import { solve } from '../../src/features/schedule/autoschedule/solver.js'

/** Big enough that no assignment costs 0: a timed job runs for its whole time. */
const instance = generate({ sessions: 60, rooms: 6, slots: 4, people: 200, interestsEach: 6, pinned: 0.05 }, 11)

describe('auto-scheduler thread pool', { timeout: 60_000 }, () => {
  test('a job’s answer is the in-process one, and the grid as it stands is costed beside it', async (t) => {
    const pool = new SolverPool({ threads: 1, queue: 0 })
    t.after(() => pool.close())
    const current = solve(instance, { seed: 2, iterations: 0 }).assignments
    const answer = await pool.solve({ instance, options: { seed: 5, iterations: 20_000 }, alsoCost: current })
    assert.deepEqual(answer.result, solve(instance, { seed: 5, iterations: 20_000 }))
    assert.deepEqual(answer.alsoCost, solve(instance, { seed: 2, iterations: 0 }).cost)
  })

  test('no more threads than allowed; further jobs wait in the queue, and beyond it are refused at once', async (t) => {
    const pool = new SolverPool({ threads: 2, queue: 1 })
    t.after(() => pool.close())
    const jobs = [1, 2, 3].map((seed) => pool.solve({ instance, options: { seed, timeMs: 300 } }))
    assert.equal(pool.threadCount, 2)
    assert.equal(pool.running, 2)
    assert.equal(pool.waiting, 1)
    await assert.rejects(pool.solve({ instance, options: { seed: 4, timeMs: 300 } }), SolverBusyError)
    const answers = await Promise.all(jobs)
    assert.equal(answers.length, 3, 'the queued job ran once a thread was free')
    assert.equal(pool.threadCount, 2, 'the threads wait for the next job')
    assert.equal(pool.running + pool.waiting, 0)
  })

  test('a thread that dies fails only its own job, with the reason; the job queued behind it gets a new thread', async (t) => {
    const pool = new SolverPool({ threads: 1, queue: 1 })
    t.after(() => pool.close())
    const broken = pool.solve({ instance: null as unknown as Instance, options: {} })
    const next = pool.solve({ instance, options: { seed: 1, iterations: 1000 } })
    await assert.rejects(broken, (error: unknown) => error instanceof SolverCrashedError && /thread stopped.*Cannot read properties of null/.test(error.message))
    assert.deepEqual((await next).result, solve(instance, { seed: 1, iterations: 1000 }))
  })

  test('close() ends the threads at once: the running and the waiting job are rejected, and later jobs too', async () => {
    const pool = new SolverPool({ threads: 1, queue: 1 })
    // A first small job, so the thread is up and takes the long one straight away: close() must stop it mid-search.
    await pool.solve({ instance, options: { iterations: 1 } })
    const running = pool.solve({ instance, options: { seed: 1, timeMs: 600_000 } })
    const waiting = pool.solve({ instance, options: { seed: 2, timeMs: 600_000 } })
    const rejected = [assert.rejects(running, SolverClosedError), assert.rejects(waiting, SolverClosedError)]
    await pool.close()
    await Promise.all(rejected)
    assert.equal(pool.threadCount, 0)
    await assert.rejects(pool.solve({ instance, options: { iterations: 1 } }), SolverClosedError)
  })

  test('an idle thread ends after its idle time; the next job starts another', async (t) => {
    const pool = new SolverPool({ threads: 1, queue: 0, idleMs: 50 })
    t.after(() => pool.close())
    await pool.solve({ instance, options: { iterations: 1000 } })
    while (pool.threadCount > 0) await new Promise((resolve) => setTimeout(resolve, 10))
    assert.equal((await pool.solve({ instance, options: { seed: 1, iterations: 1000 } })).result.cost.total, solve(instance, { seed: 1, iterations: 1000 }).cost.total)
  })
})
