// `npm run bench`: the app on a big generated site (bench/generate.ts), measured with
// autocannon page by page, side by side with a bare Fastify server sending the same bytes
// as a static body (bench/bare-server.ts): the most this machine can do. Also start-up time,
// memory after the load, 1,000 live-grid clients hearing an organiser's edit, and the
// auto-scheduler. Writes the tables into docs/benchmarks.md between the bench markers.
//
//   BENCH_SECONDS=3 (per round, page and server)  BENCH_ROUNDS=3  BENCH_CONNECTIONS=10  BENCH_SSE_CLIENTS=1000
//   BENCH_DATA_DIR=dir (keep the generated site there and reuse it; the edit test changes it)
//   BENCH_ONLY=grid (measure only the pages whose name contains it; prints, writes no report)
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import autocannon from 'autocannon'
import { createDb } from '../src/db/create-db.js'
import { runAutoscheduleBench, type AutoscheduleRow } from './autoschedule.js'
import { compiledAppCommand, spawnCompiledApp } from './compiled-app.js'
import { BENCH_CALENDAR_TOKEN, BENCH_EVENT, SHAPE, generateBenchData } from './generate.js'
import { csrfIn, request, sessionCookie, signIn } from './http.js'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const WARM_UP_SECONDS = 1
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10)
const SSE_CLIENTS = Number(process.env.BENCH_SSE_CLIENTS ?? 1000)
const ROOT = path.resolve(import.meta.dirname, '..')

interface Server {
  child: ChildProcess
  base: string
}

function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! })
    lines.on('line', (line) => {
      const match = pattern.exec(line)
      if (match) resolve(match)
    })
    child.once('exit', (code) => reject(new Error(`exited with ${code} before ${pattern}`)))
  })
}

async function startApp(dataDir: string, port: number): Promise<Server & { startupMs: number }> {
  const started = performance.now()
  // What production runs: the compiled JavaScript (npm run build), not tsx compiling on the fly.
  const child = spawnCompiledApp({
    dataDir,
    port,
    env: { HASHCAMP_LIVE_PER_ADDRESS: String(SSE_CLIENTS + 10), HASHCAMP_LIVE_TOTAL: String(SSE_CLIENTS + 10) },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const base = `http://127.0.0.1:${port}`
  for (;;) {
    try {
      const status = await new Promise<number>((resolve, reject) => http.get(`${base}/healthz`, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject))
      if (status === 200) break
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error('the app exited while starting')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return { child, base, startupMs: performance.now() - started }
}

async function startBare(): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/bare-server.ts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  const [, base] = await waitForLine(child, /^listening (\S+)/)
  return { child, base: base! }
}

async function csrfOf(base: string, pagePath: string, cookie: string): Promise<{ csrf: string; cookie: string }> {
  const page = await request(`${base}${pagePath}`, { headers: { cookie } })
  return { csrf: csrfIn(page), cookie: sessionCookie(page, cookie) }
}

/** A response's headers as a static server would send them again: not those the server writes itself. */
function replayable(headers: http.IncomingHttpHeaders): Record<string, string | string[]> {
  const own = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'])
  return Object.fromEntries(Object.entries(headers).flatMap(([name, value]) => (own.has(name) || value === undefined ? [] : [[name, value]])))
}

interface Load {
  rps: number
  p50: number
  p99: number
  errors: number
  /** Responses by status code. */
  statuses: Record<string, number>
  /** The server process's CPU time (user + system) per response, in microseconds. */
  cpuUs: number
}

/** CPU time a process has used so far, in microseconds (/proc/PID/stat: utime + stime, in ticks of 10 ms). */
function cpuTimeOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10_000
}

/** One person's requests on a connection of their own: their cookie, and the bodies they send in turn. */
interface Person {
  headers: Record<string, string>
  bodies: string[]
}

async function load(pid: number, url: string, options: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string; bodies?: string[]; connections?: number; people?: Person[] } = {}, seconds = SECONDS): Promise<Load> {
  const cpuBefore = cpuTimeOf(pid)
  const method = options.method ?? 'GET'
  // `bodies`: each connection sends them in turn, over and over. `people`: one autocannon
  // per person, all at once, since autocannon gives every connection the same headers.
  const runs = options.people
    ? options.people.map((person) => ({ connections: 1, headers: person.headers, requests: person.bodies.map((body) => ({ method, body })) }))
    : [{ connections: options.connections ?? CONNECTIONS, headers: options.headers, requests: options.bodies?.map((body) => ({ method, body })) }]
  const results = await Promise.all(runs.map((run) => autocannon({ url, duration: seconds, method, body: options.body, ...run })))
  const total = results.reduce((sum, r) => sum + r.requests.total, 0)
  const cpuUs = (cpuTimeOf(pid) - cpuBefore) / Math.max(1, total)
  const statuses: Record<string, number> = {}
  for (const r of results) for (const [code, stat] of Object.entries(r.statusCodeStats ?? {})) statuses[code] = (statuses[code] ?? 0) + (stat as { count: number }).count
  return {
    rps: results.reduce((sum, r) => sum + r.requests.average, 0),
    // Several runs: the middle run's median, the slowest run's p99.
    p50: median(results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    errors: results.reduce((sum, r) => sum + r.errors + r.timeouts, 0),
    statuses,
    cpuUs,
  }
}

/**
 * The app and the bare server measured in turns, ROUNDS times, so that a slow spell of this
 * shared machine falls on both rather than on one (one long run each moved the ratio of the
 * same page from 74 % to 111 %). Each side's median round, and the median of the rounds' ratios.
 */
async function sideBySide(app: { pid: number; url: string }, page: PageCase, bare: { pid: number; url: string }): Promise<{ app: Load; bare: Load; ratio: number }> {
  const apps: Load[] = []
  const bares: Load[] = []
  // A second of each first, unmeasured: the first round otherwise times V8 compiling the path.
  await load(app.pid, app.url, page, WARM_UP_SECONDS)
  await load(bare.pid, bare.url, {}, WARM_UP_SECONDS)
  for (let round = 0; round < ROUNDS; round++) {
    apps.push(await load(app.pid, app.url, page))
    bares.push(await load(bare.pid, bare.url))
  }
  const middle = (loads: Load[]): Load => {
    const rps = median(loads.map((l) => l.rps))
    const statuses: Record<string, number> = {}
    for (const l of loads) for (const [code, count] of Object.entries(l.statuses)) statuses[code] = (statuses[code] ?? 0) + count
    return { rps, p50: median(loads.map((l) => l.p50)), p99: median(loads.map((l) => l.p99)), errors: loads.reduce((sum, l) => sum + l.errors, 0), statuses, cpuUs: median(loads.map((l) => l.cpuUs)) }
  }
  if (process.env.BENCH_DEBUG) process.stdout.write(`[${apps.map((a, i) => `${Math.round(a.rps)}/${Math.round(bares[i]!.rps)}`).join(" ")}] `)
  return { app: middle(apps), bare: middle(bares), ratio: median(apps.map((a, i) => a.rps / bares[i]!.rps)) }
}

const statusText = (statuses: Record<string, number>) =>
  Object.entries(statuses)
    .map(([code, count]) => `${code}×${count}`)
    .join(' ')

interface PageCase {
  name: string
  path: string
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string
  /** Bodies sent in turn (the first is also the probe's), instead of `body`. */
  bodies?: string[]
  /** Connections, if not BENCH_CONNECTIONS: one, where the bodies' order must hold. */
  connections?: number
  /** Instead of one set of headers and bodies: these people, each on a connection of their own. */
  people?: Person[]
  /** The status every response should have. */
  expect: number
  /** Where a redirect should lead (an RSVP lands on the meetup, not on the sign-in page). */
  location?: string
}

function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024
}

/** 1,000 open live-grid pages; an organiser moves a session; how long until each page hears it. */
async function liveClients(base: string, file: string, organiserCookie: string, clients: number): Promise<{ connected: number; received: number; p50: number; p99: number; max: number }> {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity })
  const heard: number[] = []
  const requests: http.ClientRequest[] = []
  let editAt = 0
  await Promise.all(
    Array.from(
      { length: clients },
      () =>
        new Promise<void>((resolve, reject) => {
          const req = http.get(`${base}/events/${BENCH_EVENT}/schedule/live`, { agent }, (res) => {
            res.setEncoding('utf8')
            let seen = false
            res.on('data', (chunk: string) => {
              if (!seen && chunk.includes('retry:')) {
                seen = true
                resolve()
              }
              if (editAt && chunk.includes('event: schedule')) heard.push(performance.now() - editAt)
            })
          })
          req.on('error', reject)
          requests.push(req)
        }),
    ),
  )
  // Swap the first two sessions of the first slot: a real edit through the editor's form.
  const editor = await csrfOf(base, `/events/${BENCH_EVENT}/schedule/edit`, organiserCookie)
  const db = createDb({ dialect: 'sqlite', file })
  const [a, b] = await db.selectFrom('schedule_entries').select(['proposal_id', 'slot_id', 'room_id']).where('cancelled_at', 'is', null).orderBy('id').limit(2).execute()
  await db.destroy()
  const body = new URLSearchParams({ _csrf: editor.csrf, proposal: String(a!.proposal_id), slot: String(b!.slot_id), room: String(b!.room_id), expected: String(b!.proposal_id) }).toString()
  editAt = performance.now()
  const edit = await request(`${base}/events/${BENCH_EVENT}/schedule/place`, { method: 'POST', headers: { cookie: editor.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body })
  if (edit.status !== 303) throw new Error(`the edit failed: ${edit.status}`)
  const until = performance.now() + 5000
  while (heard.length < clients && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 10))
  for (const req of requests) req.destroy()
  agent.destroy()
  const sorted = [...heard].sort((x, y) => x - y)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN
  return { connected: requests.length, received: heard.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? NaN }
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–')

async function main(): Promise<void> {
  // BENCH_DATA_DIR keeps the generated site between runs (and for profiling by hand).
  const keep = process.env.BENCH_DATA_DIR
  const dataDir = keep ? path.resolve(keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'hashcamp-bench-'))
  const file = path.join(dataDir, 'hashcamp.sqlite')
  fs.mkdirSync(dataDir, { recursive: true })
  let generated = { ms: 0 }
  if (!fs.existsSync(file)) {
    process.stdout.write('generating data…\n')
    generated = await generateBenchData(file)
    process.stdout.write(`generated in ${fmt(generated.ms / 1000, 1)} s\n`)
  }

  process.stdout.write('building…\n')
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' })
  const app = await startApp(dataDir, 3900 + Math.floor(Math.random() * 50))
  const bare = await startBare()
  try {
    const person = await signIn(app.base, 'person5000@bench.example.org')
    const organiser = await signIn(app.base, 'person1@bench.example.org')
    const rsvpForm = await csrfOf(app.base, '/meetups/lunch-7', person.cookie)
    // As many people as connections, each changing their own answer: what BENCH_CONNECTIONS measures for every other page.
    const changers: Person[] = []
    for (let i = 0; i < CONNECTIONS; i++) {
      const signedIn = await signIn(app.base, `person${6000 + i}@bench.example.org`)
      const form = await csrfOf(app.base, '/meetups/lunch-7', signedIn.cookie)
      const headers = { cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded' }
      changers.push({ headers, bodies: ['no', 'yes'].map((going) => new URLSearchParams({ _csrf: form.csrf, going, partySize: '1' }).toString()) })
    }
    const ics = await request(`${app.base}/events/${BENCH_EVENT}/schedule.ics`)
    const etag = String(ics.headers.etag)

    const cases: PageCase[] = [
      { name: 'home', path: '/', expect: 200 },
      { name: 'community page', path: '/communities/community-1', expect: 200 },
      { name: 'event page', path: `/events/${BENCH_EVENT}`, expect: 200 },
      { name: 'public grid (1,000 sessions)', path: `/events/${BENCH_EVENT}/schedule`, expect: 200 },
      { name: 'proposals list', path: `/events/${BENCH_EVENT}/proposals`, expect: 200 },
      { name: 'meetup page', path: '/meetups/lunch-7', expect: 200 },
      { name: 'event ICS, full (1,000 sessions)', path: `/events/${BENCH_EVENT}/schedule.ics`, expect: 200 },
      { name: 'event ICS, 304', path: `/events/${BENCH_EVENT}/schedule.ics`, headers: { 'if-none-match': etag }, expect: 304 },
      { name: 'personal ICS', path: `/calendar/${BENCH_CALENDAR_TOKEN}.ics`, expect: 200 },
      { name: 'schedule.json', path: `/events/${BENCH_EVENT}/schedule.json`, expect: 200 },
      {
        name: 'RSVP POST',
        path: '/meetups/lunch-7/rsvp',
        method: 'POST',
        headers: { cookie: rsvpForm.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: rsvpForm.csrf, going: 'yes', partySize: '1' }).toString(),
        expect: 303,
        location: '/meetups/lunch-7#rsvp',
      },
      {
        // The line above repeats one answer (a double tap: answered without a write). This
        // one changes it every time, "yes" then "no", on one connection so each is a change:
        // the meetup's lock, the seat taken or freed, the notice queued, every time.
        name: 'RSVP POST, changing',
        path: '/meetups/lunch-7/rsvp',
        method: 'POST',
        headers: { cookie: rsvpForm.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        bodies: ['no', 'yes'].map((going) => new URLSearchParams({ _csrf: rsvpForm.csrf, going, partySize: '1' }).toString()),
        connections: 1,
        expect: 303,
        location: '/meetups/lunch-7#rsvp',
      },
      {
        // The same, by BENCH_CONNECTIONS people at once, each changing their own answer on a
        // connection of their own: every request still a change under the meetup's lock.
        name: 'RSVP POST, changing, people at once',
        path: '/meetups/lunch-7/rsvp',
        method: 'POST',
        headers: changers[0]!.headers,
        bodies: changers[0]!.bodies,
        people: changers,
        expect: 303,
        location: '/meetups/lunch-7#rsvp',
      },
    ]

    const rows: { name: string; bytes: number; app: Load; bare: Load; ratio: number; asciiRps: number }[] = []
    for (const page of cases.filter((c) => !process.env.BENCH_ONLY || c.name.includes(process.env.BENCH_ONLY))) {
      const probe = await request(`${app.base}${page.path}`, { method: page.method, headers: page.headers, body: page.body ?? page.bodies?.[0] })
      if (probe.status !== page.expect) throw new Error(`${page.name}: ${probe.status}, expected ${page.expect}`)
      if (page.location && probe.headers.location !== page.location) throw new Error(`${page.name}: redirected to ${probe.headers.location}, expected ${page.location}`)
      const bytes = probe.bytes.length
      process.stdout.write(`${page.name} (${fmt(bytes)} bytes)… `)
      // The bare server answers with this very response (bench/bare-server.ts says why).
      const id = String(rows.length)
      await request(`${bare.base}/bodies/${id}`, { method: 'PUT', headers: { 'x-bare-status': String(probe.status), 'x-bare-headers': JSON.stringify(replayable(probe.headers)) }, body: probe.bytes })
      const { app: measured, bare: limit, ratio } = await sideBySide({ pid: app.child.pid!, url: `${app.base}${page.path}` }, page, { pid: bare.child.pid!, url: `${bare.base}/bodies/${id}` })
      const asciiRps = (await load(bare.child.pid!, `${bare.base}/ascii/${bytes}`)).rps
      rows.push({ name: page.name, bytes, app: measured, bare: limit, ratio, asciiRps })
      process.stdout.write(`${fmt(measured.rps)} req/s (bare ${fmt(limit.rps)}, ${fmt(ratio * 100)} %), p50 ${measured.p50} ms, p99 ${measured.p99} ms, CPU ${fmt(measured.cpuUs)} µs (bare ${fmt(limit.cpuUs)}) [${statusText(measured.statuses)}]\n`)
    }
    const rss = rssOf(app.child.pid!)
    process.stdout.write(`RSS after the load: ${fmt(rss)} MB\n`)
    // A partial run is for trying a change: it writes no report.
    if (process.env.BENCH_ONLY) return
    process.stdout.write(`${SSE_CLIENTS} live-grid clients… `)
    const live = await liveClients(app.base, file, organiser.cookie, SSE_CLIENTS)
    process.stdout.write(`${live.received}/${live.connected} heard the edit: p50 ${fmt(live.p50)} ms, p99 ${fmt(live.p99)} ms\n`)
    const rssAfterLive = rssOf(app.child.pid!)

    process.stdout.write('auto-scheduler…\n')
    const autoschedule = runAutoscheduleBench()
    writeReport({ rows, rss, rssAfterLive, startupMs: app.startupMs, generatedMs: generated.ms, live, autoschedule })
  } finally {
    app.child.kill('SIGTERM')
    bare.child.kill('SIGTERM')
    if (!keep) fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

function writeReport(r: {
  rows: { name: string; bytes: number; app: Load; bare: Load; ratio: number; asciiRps: number }[]
  rss: number
  rssAfterLive: number
  startupMs: number
  generatedMs: number
  live: Awaited<ReturnType<typeof liveClients>>
  autoschedule: AutoscheduleRow[]
}): void {
  const ratio = (row: (typeof r.rows)[number]) => row.ratio
  const find = (name: string) => r.rows.find((row) => row.name.startsWith(name))!
  // Issue 23: these pages, and every kind of RSVP POST, under 400 µs of CPU per response.
  const cheap = r.rows.filter((row) => ['community page', 'event page', 'meetup page', 'proposals list', 'personal ICS'].includes(row.name) || row.name.startsWith('RSVP POST'))
  const targets = [
    ['CPU < 400 µs per response: community, event, meetup, proposals, personal ICS, every RSVP POST', cheap.map((row) => `${row.name} ${fmt(row.app.cpuUs)}`).join('; '), cheap.length === 8 && cheap.every((row) => row.app.cpuUs < 400)],
    ['public grid ≥ 50 % of bare req/s', `${fmt(ratio(find('public grid')) * 100)} %`, ratio(find('public grid')) >= 0.5],
    ['ICS 304 ≥ 80 % of bare req/s', `${fmt(ratio(find('event ICS, 304')) * 100)} %`, ratio(find('event ICS, 304')) >= 0.8],
    ['full ICS of 1,000 sessions < 20 ms at p50', `${find('event ICS, full').app.p50} ms`, find('event ICS, full').app.p50 < 20],
    ['RSS < 150 MB after the load', `${fmt(r.rss)} MB (${fmt(r.rssAfterLive)} MB with ${r.live.connected} live clients open)`, r.rss < 150],
    [`${r.live.connected} live clients hear an edit within 250 ms at p99`, `${r.live.received} heard it; p99 ${fmt(r.live.p99)} ms (p50 ${fmt(r.live.p50)}, max ${fmt(r.live.max)})`, r.live.received === r.live.connected && r.live.p99 < 250],
  ] as const
  const lines = [
    '<!-- bench:start (written by `npm run bench`; edit bench/run.ts, not this part) -->',
    `Run on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${os.cpus().length} cores, SQLite; autocannon with ${CONNECTIONS} connections, from the same machine, after a warm-up of ${WARM_UP_SECONDS} s each, in ${ROUNDS} rounds of ${SECONDS} s for the app then the bare server; each column is the median round, and app ÷ bare the median of the rounds' ratios.`,
    `Data (bench/generate.ts, ${r.generatedMs ? `${fmt(r.generatedMs / 1000, 1)} s to generate` : 'generated by an earlier run and kept in BENCH_DATA_DIR'}): ${SHAPE.communities} communities, ${fmt(SHAPE.people)} people, one event with ${fmt(SHAPE.proposals)} proposals and ${fmt(SHAPE.people * SHAPE.votesEach)} votes on ${SHAPE.rooms} rooms × 25 slots, ${SHAPE.meetups} meetups.`,
    '',
    '| page | bytes | req/s | p50 ms | p99 ms | CPU µs per response | bare req/s (same response) | bare CPU µs | app ÷ bare (req/s) | responses | bare req/s, as many bytes of ASCII |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|',
    ...r.rows.map((row) => `| ${row.name} | ${fmt(row.bytes)} | ${fmt(row.app.rps)} | ${row.app.p50} | ${row.app.p99} | ${fmt(row.app.cpuUs)} | ${fmt(row.bare.rps)} | ${fmt(row.bare.cpuUs)} | ${fmt(ratio(row) * 100)} % | ${statusText(row.app.statuses)}${row.app.errors ? `, ${row.app.errors} errors` : ''} | ${fmt(row.asciiRps)} |`),
    '',
    'The last column is the first comparison, as many ASCII bytes as the page: what the load generator can read, not what the server can send (see "How the comparison is made").',
    '',
    `Start-up of the compiled app (spawn to the first 200 from /healthz), ${compiledAppCommand()}: ${fmt(r.startupMs)} ms.`,
    '',
    '| target | measured | met |',
    '|---|---|---|',
    ...targets.map(([target, measured, met]) => `| ${target} | ${measured} | ${met ? 'yes' : '**no**'} |`),
    '',
    '| auto-scheduler instance (missed person-sessions) | wanted | greedy draft | default steps (one run) | time budget | time used | result | clash | overflow | unscheduled |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...r.autoschedule.flatMap((a) =>
      a.budgets.map(
        (b) =>
          `| ${fmt(a.shape.sessions)} sessions, ${a.shape.rooms} rooms, ${a.shape.slots} slots, ${fmt(a.shape.people)} people | ${fmt(a.wanted)} | ${fmt(a.greedy)} | ${fmt(a.defaultSteps.cost)} in ${fmt(a.defaultSteps.ms)} ms | ${fmt(b.budgetMs / 1000)} s | ${fmt(b.ms)} ms | ${fmt(b.cost.total)} | ${fmt(b.cost.clash)} | ${fmt(b.cost.overflow)} | ${fmt(b.cost.unscheduled)} (${b.unscheduledSessions} sessions) |`,
      ),
    ),
    '<!-- bench:end -->',
  ]
  const docs = path.join(ROOT, 'docs/benchmarks.md')
  const current = fs.readFileSync(docs, 'utf8')
  const section = lines.join('\n')
  const next = /<!-- bench:start[\s\S]*<!-- bench:end -->/.test(current) ? current.replace(/<!-- bench:start[\s\S]*<!-- bench:end -->/, section) : `${current.trimEnd()}\n\n## Latest run (\`npm run bench\`)\n\n${section}\n`
  fs.writeFileSync(docs, next)
  process.stdout.write(`\n${section}\n\nwritten to docs/benchmarks.md\n`)
}

await main()
