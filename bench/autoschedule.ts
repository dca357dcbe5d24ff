// `npm run bench:autoschedule`: the auto-scheduler on a big unconference and on ten times that,
// given 1 s and 10 s (BENCH_AUTOSCHEDULE_BUDGETS=1000,10000,60000 adds a minute), with the
// greedy draft's cost and the one deterministic run's (3,000 steps per session) beside them.
// Results go in docs/benchmarks.md.
import { generate } from './autoschedule-instances.js'
import { costOf } from '../src/features/schedule/autoschedule/cost.js'
import { checkInstance } from '../src/features/schedule/autoschedule/instance.js'
import { solve } from '../src/features/schedule/autoschedule/solver.js'

const cases = [
  { name: 'big unconference', shape: { sessions: 100, rooms: 12, slots: 5, people: 300, interestsEach: 8, pinned: 0.05 } },
  { name: 'ten times that', shape: { sessions: 1000, rooms: 40, slots: 25, people: 5000, interestsEach: 8, pinned: 0.02 } },
]

const BUDGETS = (process.env.BENCH_AUTOSCHEDULE_BUDGETS ?? '1000,10000').split(',').map(Number)

type CostParts = { total: number; clash: number; overflow: number; unscheduled: number }

export interface AutoscheduleRow {
  name: string
  shape: (typeof cases)[number]['shape']
  wanted: number
  greedy: number
  /** The one deterministic run of the default step count, and how long it took. */
  defaultSteps: { cost: number; ms: number }
  /** Per time budget: the cost found and the time used. */
  budgets: { budgetMs: number; ms: number; cost: CostParts; unscheduledSessions: number }[]
}

const timed = <T>(work: () => T): { value: T; ms: number } => {
  const started = process.hrtime.bigint()
  const value = work()
  return { value, ms: Number(process.hrtime.bigint() - started) / 1e6 }
}

/** Runs both instances at every budget; the numbers docs/benchmarks.md shows. */
export function runAutoscheduleBench(): AutoscheduleRow[] {
  const rows: AutoscheduleRow[] = []
  for (const { name, shape } of cases) {
    const instance = checkInstance(generate(shape, 2026))
    const wanted = instance.sessions.reduce((sum, s) => sum + new Set([...(s.hosts ?? []), ...(s.interested ?? [])]).size, 0)
    const greedy = solve(instance, { seed: 1, iterations: 0 }).cost.total
    const oneRun = timed(() => solve(instance, { seed: 1 }))
    const row: AutoscheduleRow = { name, shape, wanted, greedy, defaultSteps: { cost: oneRun.value.cost.total, ms: oneRun.ms }, budgets: [] }
    process.stdout.write(`${name}: ${shape.sessions} sessions, ${shape.rooms} rooms, ${shape.slots} slots, ${shape.people} people, ${wanted} wanted person-sessions; greedy ${greedy}, default steps ${row.defaultSteps.cost} in ${oneRun.ms.toFixed(0)} ms\n`)
    for (const budgetMs of BUDGETS) {
      const { value: result, ms } = timed(() => solve(instance, { seed: 1, timeMs: budgetMs }))
      if (costOf(instance, result.assignments).total !== result.cost.total) throw new Error('reported cost differs from the recomputed cost')
      row.budgets.push({ budgetMs, ms, cost: result.cost, unscheduledSessions: result.unscheduled.length })
      process.stdout.write(
        `  ${budgetMs} ms budget: ${result.cost.total} (clash ${result.cost.clash}, overflow ${result.cost.overflow}, unscheduled ${result.cost.unscheduled}; ` +
          `${result.unscheduled.length} sessions unscheduled) in ${ms.toFixed(0)} ms\n`,
      )
    }
    rows.push(row)
  }
  return rows
}

// `npm run bench:autoschedule` runs this file on its own.
if (process.argv[1]?.endsWith('autoschedule.ts')) runAutoscheduleBench()
