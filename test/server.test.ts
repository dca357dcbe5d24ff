// The real server process: start it as `npm start` does, talk to it over real HTTP, stop it
// with SIGTERM and check it exits cleanly.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { freshDatabase } from './helpers/fresh-database.js'

test('the server seeds the demo, serves over HTTP and shuts down gracefully on SIGTERM', async (t) => {
  const fresh = await freshDatabase()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hashcamp-server-'))
  t.after(async () => {
    await fresh.drop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    HASHCAMP_DATA_DIR: dataDir,
    DATABASE_URL: fresh.database.dialect === 'postgres' ? fresh.database.url : '',
    LOG_LEVEL: 'info',
  }
  delete env.SESSION_SECRET
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL')
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))

  const deadline = Date.now() + 20_000
  let address: string | null = null
  while (!address && Date.now() < deadline) {
    address = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? null
    if (!address) await new Promise((r) => setTimeout(r, 100))
  }
  assert.ok(address, `the server started:\n${output}`)

  const logins = [...output.matchAll(/^demo login: (\S+) (\S+) \((.+)\)$/gm)]
  assert.ok(logins.length >= 3, 'demo logins are printed, one line each')
  assert.ok(logins.some((m) => m[3]!.includes('organiser')))

  const health = await fetch(`${address}/healthz`)
  assert.equal(health.status, 200)
  assert.equal(((await health.json()) as { status: string }).status, 'ok')
  const home = await fetch(`${address}/`)
  assert.match(await home.text(), /<h1>From the chat to the room<\/h1>/)

  // The demo organiser signs in over real HTTP with the printed password.
  const [, email, password] = logins.find((m) => m[3]!.includes('organiser'))!
  const form = await fetch(`${address}/sign-in`)
  const cookie = form.headers.get('set-cookie')!.split(';')[0]!
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!
  const signIn = await fetch(`${address}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, email: email!, password: password! }),
  })
  assert.equal(signIn.status, 303)

  const logLines = output.split('\n').filter((line) => line.startsWith('{'))
  assert.ok(logLines.length > 3)
  assert.ok(!logLines.some((line) => line.includes(password!)), 'the password appears in no log line')
  assert.ok(fs.existsSync(path.join(dataDir, 'session.key')), 'a session key was generated and kept')

  child.kill('SIGTERM')
  const [code] = await once(child, 'exit')
  assert.equal(code, 0, output)
  assert.match(output, /shutting down/)
})
