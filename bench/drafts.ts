// `npm run bench:drafts`: /healthz while organisers make auto-schedule drafts of the big bench
// event (bench/generate.ts: 1,000 sessions, 300,000 votes), against /healthz on its own. A draft
// computes for seconds; this shows whether that holds up everyone else's requests. Results go
// in docs/benchmarks.md by hand.
//
//   BENCH_DRAFTS=3 (drafts asked for at once, a second in)  BENCH_SECONDS=10 (of /healthz, alone and with the drafts)
//   BENCH_DATA_DIR=dir (keep the generated site there and reuse it)
//   BENCH_APP_ROOT=dir (measure another checkout's compiled app, e.g. the code before a change)
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { spawnCompiledApp } from './compiled-app.js'
import { BENCH_EVENT, generateBenchData } from './generate.js'
import { request, signIn } from './http.js'

const DRAFTS = Number(process.env.BENCH_DRAFTS ?? 3)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const ROOT = path.resolve(process.env.BENCH_APP_ROOT ?? path.join(import.meta.dirname, '..'))

/**
 * /healthz asked 100 times a second for SECONDS, on schedule whether or not earlier answers
 * have come (as a load balancer's checks and other people's requests do): every latency counts,
 * however long. Clients that wait for each answer before the next would ask only a few times
 * during a stall and hide it.
 */
async function healthLoad(base: string): Promise<{ p50: number; p99: number; max: number; requests: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity })
  const asked: Promise<number>[] = []
  const started = performance.now()
  for (let i = 0; i < SECONDS * 100; i++) {
    const due = started + i * 10
    if (due > performance.now()) await new Promise((resolve) => setTimeout(resolve, due - performance.now()))
    asked.push(
      request(`${base}/healthz`, { agent }).then(({ status }) => {
        if (status !== 200) throw new Error(`/healthz answered ${status}`)
        // Counted from when it was due: a request the client itself sent late waited all the same.
        return performance.now() - due
      }),
    )
  }
  const sorted = (await Promise.all(asked)).sort((a, b) => a - b)
  agent.destroy()
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!)
  return { p50: at(0.5), p99: at(0.99), max: Math.round(sorted.at(-1)!), requests: sorted.length }
}

async function main(): Promise<void> {
  const keep = process.env.BENCH_DATA_DIR
  const dataDir = keep ? path.resolve(keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'hashcamp-drafts-'))
  const file = path.join(dataDir, 'hashcamp.sqlite')
  fs.mkdirSync(dataDir, { recursive: true })
  if (!fs.existsSync(file)) {
    process.stdout.write('generating data…\n')
    await generateBenchData(file)
  }
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' })
  const port = 3950 + Math.floor(Math.random() * 40)
  const child = spawnCompiledApp({ root: ROOT, dataDir, port })
  const base = `http://127.0.0.1:${port}`
  try {
    for (;;) {
      const up = await request(`${base}/healthz`).then((r) => r.status === 200, () => false)
      if (up) break
      if (child.exitCode !== null) throw new Error('the app exited while starting')
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const { cookie } = await signIn(base, 'person1@bench.example.org')
    const draftPath = `/events/${BENCH_EVENT}/schedule/auto`
    const warm = await request(`${base}${draftPath}`, { headers: { cookie } })
    if (warm.status !== 200) throw new Error(`a draft answered ${warm.status} ${warm.headers.location ?? ''}`)

    const alone = await healthLoad(base)
    process.stdout.write(`/healthz alone: p50 ${alone.p50} ms, p99 ${alone.p99} ms, max ${alone.max} ms (${alone.requests} requests)\n`)

    // Three organisers press "Auto-schedule" at the same moment, a second into the measurement.
    const drafts = new Promise((resolve) => setTimeout(resolve, 1000)).then(() =>
      Promise.all(
        Array.from({ length: DRAFTS }, async () => {
          const started = performance.now()
          const { status } = await request(`${base}${draftPath}`, { headers: { cookie } })
          return { status, ms: performance.now() - started }
        }),
      ),
    )
    const busy = await healthLoad(base)
    const answered = await drafts
    process.stdout.write(
      `/healthz with ${DRAFTS} drafts at once: p50 ${busy.p50} ms, p99 ${busy.p99} ms, max ${busy.max} ms (${busy.requests} requests); ` +
        `the drafts answered ${answered.map((d) => `${d.status} in ${Math.round(d.ms)} ms`).join(', ')}\n`,
    )
  } finally {
    child.kill('SIGTERM')
    if (!keep) fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

await main()
