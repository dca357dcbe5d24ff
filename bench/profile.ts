// `npm run bench:profile -- <page>`: one page of `npm run bench` under `node --cpu-prof`, then
// where the time went: self time by function and by module, and the inclusive time of the
// app's own functions. Needs the site `BENCH_DATA_DIR=dir npm run bench` kept, and a build.
//
//   BENCH_DATA_DIR=/tmp/bd BENCH_SECONDS=5 npm run bench:profile -- rsvp
//   pages: home community event proposals meetup personal-ics rsvp rsvp-changing
import fs from 'node:fs'
import path from 'node:path'
import autocannon from 'autocannon'
import { spawnCompiledApp } from './compiled-app.js'
import { BENCH_CALENDAR_TOKEN, BENCH_EVENT } from './generate.js'
import { csrfIn, request, sessionCookie, signIn } from './http.js'

const ROOT = path.resolve(import.meta.dirname, '..')
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const TOP = Number(process.env.BENCH_TOP ?? 30)
// One connection by default: the server then waits for the load generator rather than sharing
// the cores with it, so the profile's busy time is close to its CPU time.
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 1)

interface Target {
  path: string
  method: 'GET' | 'POST'
  headers: Record<string, string>
  body?: string
  /** Sent in turn on each connection (the changing RSVP: "no", then "yes"), instead of `body`. */
  bodies?: string[]
}

/** `rsvp` repeats one answer (the one-read fast path); `rsvp-changing` changes it every time, as bench/run.ts's "RSVP POST, changing". */
async function rsvpCase(base: string, changing: boolean): Promise<Target> {
  let { cookie } = await signIn(base, 'person5000@bench.example.org')
  const page = await request(`${base}/meetups/lunch-7`, { headers: { cookie } })
  cookie = sessionCookie(page, cookie)
  const form = (going: string) => new URLSearchParams({ _csrf: csrfIn(page), going, partySize: '1' }).toString()
  const target: Target = { path: '/meetups/lunch-7/rsvp', method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: form('yes') }
  return changing ? { ...target, body: form('no'), bodies: [form('no'), form('yes')] } : target
}

const PAGES: Record<string, string> = {
  home: '/',
  community: '/communities/community-1',
  event: `/events/${BENCH_EVENT}`,
  proposals: `/events/${BENCH_EVENT}/proposals`,
  meetup: '/meetups/lunch-7',
  'personal-ics': `/calendar/${BENCH_CALENDAR_TOKEN}.ics`,
}

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  startTime: number
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

/** node_modules/<package>, or the file under the project, or Node's own. */
function moduleOf(url: string): string {
  if (!url) return '(native / VM)'
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (pkg) return pkg[1]!
  if (url.startsWith('node:')) return url
  return url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '')
}

/** Only the samples taken between `from` and `to` (µs of the monotonic clock both processes share): the measured load, not start-up. */
function summarise(file: string, from: number, to: number, responses: number): void {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const selfUs = new Map<number, number>()
  let at = profile.startTime
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0
    at += delta
    if (at >= from && at <= to) selfUs.set(id, (selfUs.get(id) ?? 0) + delta)
  })
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0)
  const idle = [...selfUs].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((a, [, us]) => a + us, 0)
  const busy = total - idle
  const isLibrary = (key: string) => !key.includes(' dist/') && !key.includes(' node:') && !key.includes('(native')
  const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us)
  const byFunction = new Map<string, number>()
  const byModule = new Map<string, number>()
  const inclusive = new Map<string, number>()
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame
    if (frame.functionName === '(idle)') continue
    add(byFunction, `${frame.functionName || '(anonymous)'} ${moduleOf(frame.url)}:${frame.lineNumber + 1}`, us)
    add(byModule, moduleOf(frame.url), us)
    // Inclusive: each distinct app or library function on the stack, counted once per sample.
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame
      if (!f.url) continue
      const key = `${f.functionName || '(anonymous)'} ${moduleOf(f.url)}:${f.lineNumber + 1}`
      if (seen.has(key)) continue
      seen.add(key)
      add(inclusive, key, us)
    }
  }
  const print = (title: string, map: Map<string, number>, filter: (key: string) => boolean = () => true) => {
    process.stdout.write(`\n${title}\n`)
    for (const [key, us] of [...map].filter(([k]) => filter(k)).sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
      process.stdout.write(`${((us / busy) * 100).toFixed(1).padStart(5)} %  ${key}\n`)
    }
  }
  process.stdout.write(`busy ${(busy / 1000).toFixed(0)} ms of ${(total / 1000).toFixed(0)} ms sampled: ${Math.round(busy / responses)} µs per response on the main thread\n`)
  print('self time by module', byModule)
  print('self time by function', byFunction)
  print('inclusive time, the app’s own functions', inclusive, (key) => key.includes(' dist/'))
  print('inclusive time, libraries', inclusive, isLibrary)
}

async function main(): Promise<void> {
  const page = process.argv[2] ?? 'home'
  const dataDir = path.resolve(process.env.BENCH_DATA_DIR ?? '')
  if (!process.env.BENCH_DATA_DIR || !fs.existsSync(path.join(dataDir, 'hashcamp.sqlite'))) throw new Error('set BENCH_DATA_DIR to a site kept by `npm run bench`')
  const profileDir = fs.mkdtempSync(path.join(dataDir, 'profile-'))
  const port = 4000 + Math.floor(Math.random() * 500)
  const child = spawnCompiledApp({ dataDir, port, nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] })
  const base = `http://127.0.0.1:${port}`
  for (;;) {
    try {
      if ((await request(`${base}/healthz`)).status === 200) break
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const target: Target = page === 'rsvp' || page === 'rsvp-changing' ? await rsvpCase(base, page === 'rsvp-changing') : { path: PAGES[page] ?? page, method: 'GET', headers: {} }
  const probe = await request(`${base}${target.path}`, target)
  process.stdout.write(`${page}: ${probe.status}, ${probe.body.length} characters\n`)
  // With `bodies`, one connection, so that each connection's turns stay in order (each a change).
  const requests = target.bodies?.map((body) => ({ method: target.method, body }))
  const run = (duration: number) => autocannon({ url: `${base}${target.path}`, connections: requests ? 1 : CONNECTIONS, duration, method: target.method, headers: target.headers, body: target.body, requests })
  await run(1)
  const from = Number(process.hrtime.bigint() / 1000n)
  const result = await run(SECONDS)
  const to = Number(process.hrtime.bigint() / 1000n)
  process.stdout.write(`${Math.round(result.requests.average)} req/s, ${result.requests.total} responses\n`)
  child.kill('SIGTERM')
  await new Promise((resolve) => child.once('exit', resolve))
  const file = fs.readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'))!
  summarise(path.join(profileDir, file), from, to, result.requests.total)
  process.stdout.write(`\nprofile: ${path.join(profileDir, file)} (responses: ${result.requests.total})\n`)
}

await main()
