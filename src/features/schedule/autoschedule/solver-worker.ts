// The body of an auto-scheduler worker thread (pool.ts starts it): one job at a time, each
// message a SolverJob, each reply its SolverAnswer. Anything thrown ends the thread; the
// pool turns that into a rejected job and a new thread for the next.
import { parentPort } from 'node:worker_threads'
import { runJob, type SolverJob } from './solver-job.js'

if (!parentPort) throw new Error('solver-worker.ts runs as a worker thread, started by pool.ts')
const port = parentPort
port.on('message', (job: SolverJob) => port.postMessage(runJob(job)))
