// A small pool of worker threads for the auto-scheduler, so that a draft on a big event (seconds
// of pure computation) runs beside the app's thread instead of on it: pages, RSVPs, live grids
// and mail carry on meanwhile. Threads start when a job needs one, wait for the next job for a
// while, then end. A job beyond the threads waits in a short queue; beyond the queue it is
// refused at once (SolverBusyError), since an organiser would rather hear "try again" than wait
// minutes. The instance goes to the thread by structured clone, the answer comes back the same way.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { SolverAnswer, SolverJob } from './solver-job.js'

export class SolverBusyError extends Error {
  constructor() {
    super('every auto-scheduler thread is busy and the queue is full')
  }
}

/** The pool was closed (the app is shutting down) before the job finished. */
export class SolverClosedError extends Error {
  constructor() {
    super('the auto-scheduler pool is closed')
  }
}

/** The job's thread died under it: a bug, or out of memory. The pool starts another for the next job. */
export class SolverCrashedError extends Error {}

export interface PoolOptions {
  /** Threads at most (at least 1). */
  threads: number
  /** Jobs that may wait for a thread (0: none wait, a job is refused when every thread is busy). */
  queue: number
  /** An idle thread ends after this long; the next job starts a new one. */
  idleMs?: number
}

interface Task {
  job: SolverJob
  resolve: (answer: SolverAnswer) => void
  reject: (error: Error) => void
}

interface Thread {
  worker: Worker
  task: Task | null
  idleTimer: NodeJS.Timeout | null
  /** Why it ended, when it ended by an uncaught error rather than by terminate(). */
  failure: Error | null
}

/**
 * The worker's file beside this one. Compiled (dist/), it is plain JavaScript. Under tsx (npm
 * start, the tests) it is TypeScript, and a thread does not get tsx's loader from the process's
 * `--import tsx` on Node 20 (tsx issue #354): a one-line module registers it, then imports the file.
 */
function workerEntry(): URL {
  if (path.extname(fileURLToPath(import.meta.url)) === '.js') return new URL('./solver-worker.js', import.meta.url)
  const boot = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}
register()
await import(${JSON.stringify(new URL('./solver-worker.ts', import.meta.url).href)})`
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`)
}
const WORKER_ENTRY = workerEntry()

export class SolverPool {
  private readonly threads = new Set<Thread>()
  private readonly waitingTasks: Task[] = []
  private closed = false

  constructor(private readonly options: PoolOptions) {
    if (!Number.isInteger(options.threads) || options.threads < 1) throw new RangeError('threads must be a whole number of at least 1')
    if (!Number.isInteger(options.queue) || options.queue < 0) throw new RangeError('queue must be a whole number of at least 0')
  }

  /** Threads alive now, busy or idle. */
  get threadCount(): number {
    return this.threads.size
  }

  /** Jobs a thread is working on now. */
  get running(): number {
    let n = 0
    for (const thread of this.threads) if (thread.task) n++
    return n
  }

  /** Jobs waiting for a thread. */
  get waiting(): number {
    return this.waitingTasks.length
  }

  /** Whether a job given now would be refused: every thread busy (or none may start) and the queue full. */
  get full(): boolean {
    return this.running >= this.options.threads && this.waitingTasks.length >= this.options.queue
  }

  /** Runs the job on a thread; rejects at once with SolverBusyError when the threads and the queue are full. */
  solve(job: SolverJob): Promise<SolverAnswer> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new SolverClosedError())
      const task = { job, resolve, reject }
      const thread = [...this.threads].find((t) => !t.task) ?? (this.threads.size < this.options.threads ? this.start() : null)
      if (thread) this.give(thread, task)
      else if (this.waitingTasks.length < this.options.queue) this.waitingTasks.push(task)
      else reject(new SolverBusyError())
    })
  }

  /** Ends every thread; running and waiting jobs are rejected with SolverClosedError. */
  async close(): Promise<void> {
    this.closed = true
    for (const task of this.waitingTasks.splice(0)) task.reject(new SolverClosedError())
    await Promise.all([...this.threads].map((thread) => thread.worker.terminate()))
  }

  private start(): Thread {
    const thread: Thread = { worker: new Worker(WORKER_ENTRY), task: null, idleTimer: null, failure: null }
    this.threads.add(thread)
    thread.worker.on('message', (answer: SolverAnswer) => {
      const task = thread.task
      thread.task = null
      task?.resolve(answer)
      this.next(thread)
    })
    thread.worker.on('error', (error) => {
      thread.failure = error
    })
    // 'exit' follows 'error', and also ends a thread terminated by close() or the idle timer.
    thread.worker.on('exit', (code) => {
      this.threads.delete(thread)
      if (thread.idleTimer) clearTimeout(thread.idleTimer)
      const task = thread.task
      thread.task = null
      if (task) {
        if (this.closed) task.reject(new SolverClosedError())
        else task.reject(new SolverCrashedError(`the auto-scheduler's thread stopped (exit code ${code}): ${thread.failure?.message ?? 'no error given'}`, { cause: thread.failure ?? undefined }))
      }
      // A replacement for a job that was waiting on the thread that died.
      if (!this.closed && this.waitingTasks.length && this.threads.size < this.options.threads) this.give(this.start(), this.waitingTasks.shift()!)
    })
    return thread
  }

  private give(thread: Thread, task: Task): void {
    if (thread.idleTimer) clearTimeout(thread.idleTimer)
    thread.idleTimer = null
    thread.task = task
    // A busy thread keeps the process alive until its answer arrives; an idle one does not.
    thread.worker.ref()
    try {
      thread.worker.postMessage(task.job)
    } catch (error) {
      // Something in the job cannot be cloned: the job's fault, not the thread's.
      thread.task = null
      task.reject(error instanceof Error ? error : new Error(String(error)))
      this.next(thread)
    }
  }

  private next(thread: Thread): void {
    const task = this.waitingTasks.shift()
    if (task) return this.give(thread, task)
    thread.worker.unref()
    thread.idleTimer = setTimeout(() => void thread.worker.terminate(), this.options.idleMs ?? 60_000)
    thread.idleTimer.unref()
  }
}
