// Runs the whole node:test suite once per database: SQLite always, then PostgreSQL when
// TEST_DATABASE_URL is set. Under CI a missing TEST_DATABASE_URL is an error, never a
// silent skip of the second dialect.
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname)

function testFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'helpers' ? [] : testFiles(full)
    return entry.name.endsWith('.test.ts') ? [path.relative(process.cwd(), full)] : []
  })
}

// Two Debian tools the suite needs: Chromium for the browser journeys, xmllint (libxml2-utils)
// to validate schedule.xml against its XSD. On a fresh machine where we are root, install them
// (as .ci/run does); anywhere else, say exactly what is missing rather than skip tests.
for (const [binary, pkg, why] of [['/usr/bin/chromium', 'chromium', 'the browser journeys'], ['/usr/bin/xmllint', 'libxml2-utils', 'validating schedule.xml']]) {
  if (fs.existsSync(binary)) continue
  if (process.getuid?.() === 0) {
    console.log(`Installing Debian's ${pkg} for ${why} (apt-get)...`)
    const apt = (args) => spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
    apt(['update', '-qq'])
    apt(['install', '-y', '-qq', pkg])
  }
  if (!fs.existsSync(binary)) {
    console.error(`${binary} is missing: run "apt-get install -y ${pkg}" (as root), then npm test again.`)
    process.exit(1)
  }
}

const only = process.argv.slice(2)
const files = only.length ? only : testFiles(root).sort()
const dialects = ['sqlite']
if (process.env.TEST_DATABASE_URL) dialects.push('postgres')
else if (process.env.CI) {
  console.error('CI is set but TEST_DATABASE_URL is not: the PostgreSQL run would be skipped. Failing instead.')
  process.exit(1)
} else {
  console.warn('TEST_DATABASE_URL is not set: running on SQLite only (set it to also run on PostgreSQL).')
}

// TEST_DIALECTS_TOGETHER=1 runs the dialects at the same time (CI sets it): node:test runs one
// file at a time on a 2-core machine, and much of a file's time is spent waiting on Chromium,
// PostgreSQL or timers, so two suites side by side take far less than twice one. Each line is
// then prefixed with its dialect so the interleaved output can still be read.
const together = process.env.TEST_DIALECTS_TOGETHER === '1' && dialects.length > 1

/** Runs the suite on one dialect, echoing its output; resolves to its exit code and counts. */
function runSuite(dialect) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
      stdio: ['ignore', 'pipe', together ? 'pipe' : 'inherit'],
      env: { ...process.env, TEST_DIALECT: dialect, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' },
    })
    let output = ''
    const echo = (stream, target) => {
      let partial = ''
      stream.on('data', (chunk) => {
        const text = chunk.toString()
        if (target === process.stdout) output += text
        if (!together) return target.write(text)
        const lines = (partial + text).split('\n')
        partial = lines.pop()
        for (const line of lines) target.write(`[${dialect}] ${line}\n`)
      })
      stream.on('end', () => { if (together && partial) target.write(`[${dialect}] ${partial}\n`) })
    }
    echo(child.stdout, process.stdout)
    if (child.stderr) echo(child.stderr, process.stderr)
    child.on('close', (code) => {
      const count = (name) => Number(new RegExp(`^ℹ ${name} (\\d+)$`, 'm').exec(output)?.[1] ?? 0)
      resolve({ code, passed: count('pass'), failed: count('fail') })
    })
  })
}

const started = Date.now()
const results = together
  ? (console.log(`\n=== node:test on ${dialects.join(' and ')} at the same time (${files.length} files each) ===`),
    await Promise.all(dialects.map(runSuite)))
  : []
if (!together) {
  for (const dialect of dialects) {
    console.log(`\n=== node:test on ${dialect} (${files.length} files) ===`)
    results.push(await runSuite(dialect))
  }
}
let passed = 0
let failedTests = 0
const failedDialects = []
dialects.forEach((dialect, i) => {
  const result = results[i]
  passed += result.passed
  failedTests += result.failed
  if (result.code !== 0 || result.passed === 0) failedDialects.push(dialect)
})
console.log(`\nWall time: ${Math.round((Date.now() - started) / 1000)} s`)
if (failedDialects.length) console.error(`\nThe suite failed on: ${failedDialects.join(', ')}.`)
// One plain closing line over every dialect, for people and for CI.
console.log(`\ntests (${dialects.join(' + ')}): ${passed} passed, ${failedTests} failed`)
process.exit(failedDialects.length ? 1 : 0)
