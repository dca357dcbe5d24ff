import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { ConfigError, loadConfig } from '../src/config.js'

test('defaults: SQLite under ./data, port 3000, demo and rate limits on', () => {
  const config = loadConfig({})
  assert.equal(config.port, 3000)
  assert.equal(config.host, 'localhost')
  assert.equal(config.baseUrl, 'http://localhost:3000')
  assert.deepEqual(config.database, { dialect: 'sqlite', file: path.resolve('data', 'hashcamp.sqlite') })
  assert.equal(config.demo, true)
  assert.equal(config.rateLimits, true)
  assert.equal(config.sessionSecret, null)
})

test('environment variables are read and checked', () => {
  const config = loadConfig({
    PORT: '8080',
    HOST: '0.0.0.0',
    BASE_URL: 'https://camp.example.org/',
    DATABASE_URL: 'postgres://u@db/hashcamp',
    SESSION_SECRET: 'x'.repeat(40),
    HASHCAMP_DEMO: 'off',
    HASHCAMP_RATE_LIMITS: 'off',
  })
  assert.equal(config.port, 8080)
  assert.equal(config.baseUrl, 'https://camp.example.org')
  assert.deepEqual(config.database, { dialect: 'postgres', url: 'postgres://u@db/hashcamp' })
  assert.equal(config.demo, false)
  assert.equal(config.rateLimits, false)
  assert.equal(loadConfig({ HOST: '0.0.0.0', PORT: '4000' }).baseUrl, 'http://localhost:4000')
})

test('bad values are refused with a message that names the variable', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty' }), (e: Error) => e instanceof ConfigError && /PORT/.test(e.message))
  assert.throws(() => loadConfig({ HASHCAMP_DEMO: 'maybe' }), /HASHCAMP_DEMO/)
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL/)
  assert.throws(() => loadConfig({ HASHCAMP_LIVE_PER_ADDRESS: "0" }), /HASHCAMP_LIVE_PER_ADDRESS must be a whole number of at least 1/)
  assert.deepEqual(loadConfig({ HASHCAMP_LIVE_PER_ADDRESS: "5", HASHCAMP_LIVE_TOTAL: "100" }).liveLimits, { perAddress: 5, total: 100 })
  assert.deepEqual(loadConfig({}).liveLimits, { perAddress: 50, total: 5000 })
  assert.throws(() => loadConfig({ SESSION_SECRET: 'short' }), /SESSION_SECRET/)
  assert.throws(() => loadConfig({ BASE_URL: 'ftp://x' }), /BASE_URL/)
  // Cards, share links and feeds need the public address: production refuses to guess it.
  assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /BASE_URL must be set in production/)
  assert.equal(loadConfig({ NODE_ENV: 'production', BASE_URL: 'https://camp.example.org' }).baseUrl, 'https://camp.example.org')
})
