// `npm run bench:autoschedule`: the auto-scheduler on a big unconference and on ten times
// that, with the greedy draft's cost beside the final one. Results go in docs/benchmarks.md.
import { generate } from './autoschedule-instances.js'
import { costOf } from '../src/features/schedule/autoschedule/cost.js'
import { checkInstance } from '../src/features/schedule/autoschedule/instance.js'
import { solve } from '../src/features/schedule/autoschedule/solver.js'

const cases = [
  { name: 'big unconference', shape: { sessions: 100, rooms: 12, slots: 5, people: 300, interestsEach: 8, pinned: 0.05 }, budgetMs: 1000 },
  { name: 'ten times that', shape: { sessions: 1000, rooms: 40, slots: 25, people: 5000, interestsEach: 8, pinned: 0.02 }, budgetMs: 10_000 },
]

export interface AutoscheduleRow {
  name: string
  shape: (typeof cases)[number]['shape']
  budgetMs: number
  ms: number
  greedy: number
  cost: { total: number; clash: number; overflow: number; unscheduled: number }
  wanted: number
  unscheduledSessions: number
}

/** Runs both instances; the numbers docs/benchmarks.md shows. */
export function runAutoscheduleBench(): AutoscheduleRow[] {
  const rows: AutoscheduleRow[] = []
  for (const { name, shape, budgetMs } of cases) {
    const instance = checkInstance(generate(shape, 2026))
    const greedy = solve(instance, { seed: 1, iterations: 0 })
    // The time budget leaves room for building the model and the greedy draft.
    const started = process.hrtime.bigint()
    const result = solve(instance, { seed: 1, timeMs: budgetMs * 0.9 })
    const ms = Number(process.hrtime.bigint() - started) / 1e6
    const check = costOf(instance, result.assignments)
    if (check.total !== result.cost.total) throw new Error('reported cost differs from the recomputed cost')
    const wanted = instance.sessions.reduce((sum, s) => sum + new Set([...(s.hosts ?? []), ...(s.interested ?? [])]).size, 0)
    rows.push({ name, shape, budgetMs, ms, greedy: greedy.cost.total, cost: result.cost, wanted, unscheduledSessions: result.unscheduled.length })
    process.stdout.write(
      `${name}: ${shape.sessions} sessions, ${shape.rooms} rooms, ${shape.slots} slots, ${shape.people} people — ` +
        `${ms.toFixed(0)} ms (budget ${budgetMs} ms); greedy ${greedy.cost.total} → ${result.cost.total} ` +
        `(clash ${result.cost.clash}, overflow ${result.cost.overflow}, unscheduled ${result.cost.unscheduled}) ` +
        `of ${wanted} wanted person-sessions; ${result.unscheduled.length} sessions unscheduled\n`,
    )
  }
  return rows
}

// `npm run bench:autoschedule` runs this file on its own.
if (process.argv[1]?.endsWith('autoschedule.ts')) runAutoscheduleBench()
