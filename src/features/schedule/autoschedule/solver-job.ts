// What one auto-scheduler job is, on either side of the worker thread: the instance and the
// options in, the result out. Kept apart from the pool so the worker loads only the solver.
import { costOf } from './cost.js'
import type { Cost, Instance, Result } from './instance.js'
import { solve, type SolveOptions } from './solver.js'

export interface SolverJob {
  instance: Instance
  options: SolveOptions
  /**
   * An assignment to cost as well (the grid as it stands). Costing walks every person's
   * interests, which on a big event is work the app's thread should not do either.
   */
  alsoCost?: { session: string; slot: string; room: string }[]
}

export interface SolverAnswer {
  result: Result
  alsoCost: Cost | null
}

export function runJob(job: SolverJob): SolverAnswer {
  return { result: solve(job.instance, job.options), alsoCost: job.alsoCost ? costOf(job.instance, job.alsoCost) : null }
}
