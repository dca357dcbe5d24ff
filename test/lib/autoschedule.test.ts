// The auto-scheduler against its definition: the optimum on tiny instances (by exhaustive
// search), the reported cost against an independent recomputation, hard constraints on
// random instances, pins, determinism, the time budget, and the CLI with good and bad instances.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, test } from 'node:test'
import { promisify } from 'node:util'
import { generate } from '../../bench/autoschedule-instances.js'
import { costOf, interestOf } from '../../src/features/schedule/autoschedule/cost.js'
import { checkInstance, InvalidInstance, type Instance, type Result } from '../../src/features/schedule/autoschedule/instance.js'
import { solve } from '../../src/features/schedule/autoschedule/solver.js'

/** Every hard constraint, checked from scratch. */
function assertValid(instance: Instance, result: Result): void {
  const cells = new Set<string>()
  const hostSlots = new Set<string>()
  const rooms = new Map(instance.rooms.map((r) => [r.id, r]))
  const seen = new Set<string>()
  for (const a of result.assignments) {
    const session = instance.sessions.find((s) => s.id === a.session)!
    assert.ok(!seen.has(a.session), `${a.session} placed once`)
    seen.add(a.session)
    assert.ok(!cells.has(`${a.slot}/${a.room}`), `one session in ${a.slot}/${a.room}`)
    cells.add(`${a.slot}/${a.room}`)
    for (const host of new Set(session.hosts ?? [])) {
      assert.ok(!hostSlots.has(`${a.slot}/${host}`), `${host} runs two sessions in ${a.slot}`)
      hostSlots.add(`${a.slot}/${host}`)
    }
    assert.ok(!(session.unavailable ?? []).includes(a.slot), `${a.session} not in its unavailable slot`)
    for (const need of session.needs ?? []) assert.ok((rooms.get(a.room)!.features ?? []).includes(need), `${a.session} gets ${need}`)
    if (session.pin) assert.deepEqual({ slot: a.slot, room: a.room }, session.pin, `${a.session} stays pinned`)
  }
  for (const session of instance.sessions) if (session.pin) assert.ok(seen.has(session.id), `pinned ${session.id} is placed`)
  assert.deepEqual([...seen, ...result.unscheduled].sort(), instance.sessions.map((s) => s.id).sort(), 'every session is placed or listed unscheduled')
  assert.deepEqual(result.cost, costOf(instance, result.assignments), 'the reported cost is the real cost')
}

/** The best cost over every valid assignment (tiny instances only). */
function optimum(instance: Instance): number {
  const cells = instance.slots.flatMap((s) => instance.rooms.map((r) => ({ slot: s.id, room: r.id })))
  let best = Infinity
  const chosen: { session: string; slot: string; room: string }[] = []
  const visit = (i: number) => {
    if (i === instance.sessions.length) {
      best = Math.min(best, costOf(instance, chosen).total)
      return
    }
    const session = instance.sessions[i]!
    const options = session.pin ? [session.pin] : [null, ...cells]
    for (const cell of options) {
      if (cell) {
        if (chosen.some((c) => c.slot === cell.slot && c.room === cell.room)) continue
        if ((session.unavailable ?? []).includes(cell.slot)) continue
        const room = instance.rooms.find((r) => r.id === cell.room)!
        if (!(session.needs ?? []).every((n) => (room.features ?? []).includes(n))) continue
        const clashHost = chosen.some((c) => c.slot === cell.slot && (instance.sessions.find((s) => s.id === c.session)!.hosts ?? []).some((h) => (session.hosts ?? []).includes(h)))
        if (clashHost) continue
        chosen.push({ session: session.id, ...cell })
        visit(i + 1)
        chosen.pop()
      } else visit(i + 1)
    }
  }
  visit(0)
  return best
}

function tiny(seed: number): Instance {
  let a = seed
  const rand = () => ((a = (a * 1103515245 + 12345) % 2147483648) / 2147483648)
  const people = ['a', 'b', 'c', 'd', 'e', 'f']
  const pick = () => people[(rand() * people.length) | 0]!
  const rooms = [
    { id: 'big', capacity: 3 + ((rand() * 3) | 0), features: ['projector'] },
    { id: 'small', capacity: 1 + ((rand() * 2) | 0), features: [] as string[] },
  ]
  const sessions = Array.from({ length: 4 + ((rand() * 2) | 0) }, (_, i) => ({
    id: `p${i}`,
    hosts: [pick()],
    interested: people.filter(() => rand() < 0.45),
    ...(rand() < 0.25 ? { needs: ['projector'] } : {}),
    ...(rand() < 0.2 ? { unavailable: ['s1'] } : {}),
  }))
  return checkInstance({ slots: [{ id: 's1' }, { id: 's2' }], rooms, sessions })
}

describe('auto-scheduler', () => {
  test('on tiny instances the result is the optimum found by exhaustive search', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const instance = tiny(seed)
      const result = solve(instance, { seed: 7 })
      assertValid(instance, result)
      assert.equal(result.cost.total, optimum(instance), `instance ${seed}`)
    }
  })

  test('a worked example: the clash, overflow and unscheduled parts', () => {
    const instance = checkInstance({
      slots: [{ id: 's1' }],
      rooms: [{ id: 'r1', capacity: 2 }],
      sessions: [
        { id: 'p1', hosts: ['ann'], interested: ['ann', 'bob', 'cat'] }, // ann once: interest 3
        { id: 'p2', hosts: ['dan'], interested: ['bob'] },
      ],
    })
    assert.deepEqual([...interestOf(instance.sessions[0]!)].sort(), ['ann', 'bob', 'cat'])
    const result = solve(instance)
    // One cell: p1 in it costs 1 overflow + 2 unscheduled (p2), p2 in it costs 3 unscheduled.
    assert.deepEqual(result.assignments, [{ session: 'p1', slot: 's1', room: 'r1' }])
    assert.deepEqual(result.cost, { clash: 0, overflow: 1, unscheduled: 2, total: 3 })
    const both = costOf(checkInstance({ ...instance, rooms: [{ id: 'r1', capacity: 2 }, { id: 'r2', capacity: 5 }] }), [
      { session: 'p1', slot: 's1', room: 'r1' },
      { session: 'p2', slot: 's1', room: 'r2' },
    ])
    assert.deepEqual(both, { clash: 1, overflow: 1, unscheduled: 0, total: 2 }, 'bob wants both at once: one clash')
  })

  test('hard constraints hold and the cost is exact on random instances, pins included', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const instance = generate({ sessions: 40, rooms: 6, slots: 5, people: 120, interestsEach: 6, pinned: 0.15 }, seed)
      const result = solve(instance, { seed, iterations: 20_000 })
      assertValid(instance, result)
    }
  })

  test('the same seed gives the same result; the search improves on the greedy draft', () => {
    const instance = generate({ sessions: 60, rooms: 8, slots: 5, people: 200, interestsEach: 8, pinned: 0.05 }, 42)
    const first = solve(instance, { seed: 3, iterations: 50_000 })
    assert.deepEqual(solve(instance, { seed: 3, iterations: 50_000 }), first)
    const greedyOnly = solve(instance, { seed: 3, iterations: 0 })
    assert.ok(first.cost.total <= greedyOnly.cost.total, `${first.cost.total} ≤ ${greedyOnly.cost.total}`)
  })

  test('a time budget returns the best found so far, even with more steps asked for than fit', () => {
    const instance = generate({ sessions: 300, rooms: 20, slots: 10, people: 1500, interestsEach: 8 }, 5)
    const started = Date.now()
    const result = solve(instance, { timeMs: 200, iterations: 1e9 })
    assert.ok(Date.now() - started < 2000, 'stopped near the budget')
    assertValid(instance, result)
  })

  test('given time and no step count, the search uses the time and does at least as well as the one deterministic run', () => {
    const instance = generate({ sessions: 60, rooms: 8, slots: 5, people: 200, interestsEach: 8, pinned: 0.05 }, 42)
    const oneRun = solve(instance, { seed: 3 })
    const started = Date.now()
    const anytime = solve(instance, { seed: 3, timeMs: 1500 })
    // A lower bound only: the search may not stop before its time unless nothing can be better.
    assert.ok(anytime.cost.total === 0 || Date.now() - started >= 1500, 'the whole budget was used')
    assertValid(instance, anytime)
    assert.ok(anytime.cost.total <= oneRun.cost.total, `${anytime.cost.total} ≤ ${oneRun.cost.total}`)
  })

  test('with patience, a search that stops improving stops before its time', () => {
    const instance = tiny(3)
    assert.ok(optimum(instance) > 0, 'no assignment costs 0 here, so only patience can stop the search early')
    const started = Date.now()
    const result = solve(instance, { seed: 1, timeMs: 60_000, patience: 2 })
    assert.ok(Date.now() - started < 30_000, 'it did not wait for the minute')
    assert.equal(result.cost.total, optimum(instance))
  })

  test('invalid instances are refused, naming the problem', () => {
    const base = { slots: [{ id: 's1' }, { id: 's2' }], rooms: [{ id: 'r1', capacity: 10, features: ['projector'] }, { id: 'r2', capacity: 5 }] }
    const cases: [unknown, RegExp][] = [
      [{ ...base, sessions: [{ id: 'p1' }, { id: 'p1' }] }, /duplicate session id "p1"/],
      [{ ...base, slots: [{ id: 's1' }, { id: 's1' }], sessions: [] }, /duplicate slot id "s1"/],
      [{ ...base, sessions: [{ id: 'p1', pin: { slot: 's9', room: 'r1' } }] }, /unknown slot "s9"/],
      [{ ...base, sessions: [{ id: 'p1', pin: { slot: 's1', room: 'r9' } }] }, /unknown room "r9"/],
      [{ ...base, sessions: [{ id: 'p1', needs: ['projector'], pin: { slot: 's1', room: 'r2' } }] }, /lacks projector/],
      [{ ...base, sessions: [{ id: 'p1', unavailable: ['s1'], pin: { slot: 's1', room: 'r1' } }] }, /unavailable/],
      [{ ...base, sessions: [{ id: 'p1', pin: { slot: 's1', room: 'r1' } }, { id: 'p2', pin: { slot: 's1', room: 'r1' } }] }, /pinned to the same room and slot/],
      [{ ...base, sessions: [{ id: 'p1', hosts: ['ann'], pin: { slot: 's1', room: 'r1' } }, { id: 'p2', hosts: ['ann'], pin: { slot: 's1', room: 'r2' } }] }, /host "ann" is pinned into two sessions/],
      [{ ...base, sessions: [{ id: 'p1', unavailable: ['s7'] }] }, /unknown unavailable slot "s7"/],
      [{ ...base, rooms: [{ id: 'r1', capacity: -1 }], sessions: [] }, /capacity must be a whole number/],
      [[1, 2], /JSON object/],
    ]
    for (const [raw, message] of cases) assert.throws(() => checkInstance(raw), (e: unknown) => e instanceof InvalidInstance && message.test(e.message), String(message))
  })

  test('the CLI prints the result as JSON, and refuses a bad instance with a message and a non-zero exit', async () => {
    const run = promisify(execFile)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autoschedule-'))
    const good = path.join(dir, 'good.json')
    const instance = generate({ sessions: 20, rooms: 4, slots: 3, people: 60, interestsEach: 4, pinned: 0.1 }, 9)
    fs.writeFileSync(good, JSON.stringify(instance))
    const cli = ['--import', 'tsx', 'src/features/schedule/autoschedule/cli.ts']
    const { stdout } = await run(process.execPath, [...cli, good, '--seed', '4', '--iterations', '30000'])
    const result = JSON.parse(stdout) as Result
    assertValid(instance, result)
    assert.deepEqual(result, solve(instance, { seed: 4, iterations: 30_000 }), 'the app and the CLI call the same module')
    const started = Date.now()
    const timed = JSON.parse((await run(process.execPath, [...cli, good, '--seed', '4', '--time-ms', '1500'])).stdout) as Result
    assert.ok(timed.cost.total === 0 || Date.now() - started >= 1500, '--time-ms is used, not only the default steps')
    assertValid(instance, timed)
    assert.ok(timed.cost.total <= solve(instance, { seed: 4 }).cost.total, 'and gives an answer at least as good as the default steps')
    await assert.rejects(run(process.execPath, [...cli, good, '--time-ms', '10', '--iterations', '10']), (error: { code: number; stderr: string }) => error.code === 2 && /give one/.test(error.stderr))

    const bad = path.join(dir, 'bad.json')
    fs.writeFileSync(bad, JSON.stringify({ slots: [{ id: 's1' }], rooms: [{ id: 'r1', capacity: 3 }], sessions: [{ id: 'p1', pin: { slot: 's1', room: 'nope' } }] }))
    await assert.rejects(run(process.execPath, [...cli, bad]), (error: { code: number; stderr: string }) => error.code === 2 && /unknown room "nope"/.test(error.stderr))
    fs.rmSync(dir, { recursive: true, force: true })
  })
})
