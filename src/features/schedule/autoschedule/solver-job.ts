// What one auto-scheduler job is, on either side of the worker thread: the instance and the
// options in, the result out. Kept apart from the pool so the worker loads only the solver.
import { costOf } from './cost.js'
import type { Cost, Instance, Result } from './instance.js'
import { solve, type SolveOptions } from './solver.js'

export interface SolverJob {
  instance: Instance
  /**
   * More interested people per session, one comma-joined list each, in session order: what
   * the app sends for a big event. A few long strings cross to the thread far faster than
   * hundreds of thousands of short ones, and the thread splits them.
   */
  interestedLists?: string[]
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
  const instance = job.interestedLists ? withInterested(job.instance, job.interestedLists) : job.instance
  return { result: solve(instance, job.options), alsoCost: job.alsoCost ? costOf(instance, job.alsoCost) : null }
}

function withInterested(instance: Instance, lists: string[]): Instance {
  return {
    ...instance,
    sessions: instance.sessions.map((session, i) => {
      const list = lists[i]
      return list ? { ...session, interested: [...(session.interested ?? []), ...list.split(',')] } : session
    }),
  }
}
