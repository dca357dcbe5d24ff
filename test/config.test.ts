import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { ConfigError, DEFAULT_POSTGRES_LIMITS, loadConfig } from '../src/config.js'

test('defaults: SQLite under ./data, port 3000, demo and rate limits on', () => {
  const config = loadConfig({})
  assert.equal(config.port, 3000)
  assert.equal(config.host, 'localhost')
  assert.equal(config.baseUrl, 'http://localhost:3000')
  assert.deepEqual(config.database, { dialect: 'sqlite', file: path.resolve('data', 'hashcamp.sqlite'), busyTimeoutMs: 5000 })
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
  assert.deepEqual(config.database, { dialect: 'postgres', url: 'postgres://u@db/hashcamp', limits: DEFAULT_POSTGRES_LIMITS })
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
  assert.deepEqual(loadConfig({ HASHCAMP_DRAFT_THREADS: '2', HASHCAMP_DRAFT_QUEUE: '0' }).drafts, { threads: 2, queue: 0 }, 'no queue is allowed: every draft beyond the threads is refused')
  assert.throws(() => loadConfig({ HASHCAMP_DRAFT_THREADS: '0' }), /HASHCAMP_DRAFT_THREADS must be a whole number of at least 1/)
  assert.throws(() => loadConfig({ HASHCAMP_DRAFT_QUEUE: '-1' }), /HASHCAMP_DRAFT_QUEUE must be a whole number of at least 0/)
  assert.throws(() => loadConfig({ SESSION_SECRET: 'short' }), /SESSION_SECRET/)
  assert.throws(() => loadConfig({ BASE_URL: 'ftp://x' }), /BASE_URL/)
  // Cards, share links and feeds need the public address: production refuses to guess it.
  assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /BASE_URL must be set in production/)
  assert.equal(loadConfig({ NODE_ENV: 'production', BASE_URL: 'https://camp.example.org' }).baseUrl, 'https://camp.example.org')
})

test('PostgreSQL pool size and timeouts, and the SQLite busy timeout, come from the environment', () => {
  assert.deepEqual(DEFAULT_POSTGRES_LIMITS, { poolMax: 10, connectTimeoutMs: 5000, statementTimeoutMs: 15000, lockTimeoutMs: 5000, idleInTransactionTimeoutMs: 30000 })
  const config = loadConfig({
    DATABASE_URL: 'postgres://u@db/hashcamp',
    HASHCAMP_PG_POOL_MAX: '25',
    HASHCAMP_PG_CONNECT_TIMEOUT_MS: '2000',
    HASHCAMP_PG_STATEMENT_TIMEOUT_MS: '0',
    HASHCAMP_PG_LOCK_TIMEOUT_MS: '1500',
    HASHCAMP_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: '60000',
  })
  assert.deepEqual(config.database, {
    dialect: 'postgres',
    url: 'postgres://u@db/hashcamp',
    limits: { poolMax: 25, connectTimeoutMs: 2000, statementTimeoutMs: 0, lockTimeoutMs: 1500, idleInTransactionTimeoutMs: 60000 },
  })
  assert.deepEqual(loadConfig({ HASHCAMP_SQLITE_BUSY_TIMEOUT_MS: '250' }).database, { dialect: 'sqlite', file: path.resolve('data', 'hashcamp.sqlite'), busyTimeoutMs: 250 })
})

test('bad pool sizes and timeouts stop the start with a message naming the variable and what it takes', () => {
  const refused = (env: Record<string, string>, message: RegExp) => assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://u@db/hashcamp', ...env }), (e: Error) => e instanceof ConfigError && message.test(e.message))
  refused({ HASHCAMP_PG_POOL_MAX: '0' }, /^HASHCAMP_PG_POOL_MAX must be a whole number of at least 1, not "0"$/)
  refused({ HASHCAMP_PG_POOL_MAX: 'ten' }, /HASHCAMP_PG_POOL_MAX must be a whole number/)
  // The wait for a connection is the queue this setting exists to bound: it cannot be switched off.
  refused({ HASHCAMP_PG_CONNECT_TIMEOUT_MS: '0' }, /^HASHCAMP_PG_CONNECT_TIMEOUT_MS must be a whole number of milliseconds, at least 1, not "0"$/)
  refused({ HASHCAMP_PG_STATEMENT_TIMEOUT_MS: '5s' }, /^HASHCAMP_PG_STATEMENT_TIMEOUT_MS must be a whole number of milliseconds \(0 for no limit\), not "5s"$/)
  refused({ HASHCAMP_PG_LOCK_TIMEOUT_MS: '-1' }, /HASHCAMP_PG_LOCK_TIMEOUT_MS must be/)
  refused({ HASHCAMP_PG_LOCK_TIMEOUT_MS: '1.5' }, /HASHCAMP_PG_LOCK_TIMEOUT_MS must be/)
  refused({ HASHCAMP_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: '99999999999' }, /HASHCAMP_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS must be/)
  // Checked on SQLite too: a typo should not wait for the move to PostgreSQL to show.
  assert.throws(() => loadConfig({ HASHCAMP_PG_STATEMENT_TIMEOUT_MS: 'soon' }), /HASHCAMP_PG_STATEMENT_TIMEOUT_MS/)
  assert.throws(() => loadConfig({ HASHCAMP_SQLITE_BUSY_TIMEOUT_MS: '0' }), /HASHCAMP_SQLITE_BUSY_TIMEOUT_MS must be a whole number of milliseconds, at least 1/)
})

test('peers: private addresses are refused by default; the Bluesky directory can be pointed elsewhere', () => {
  const defaults = loadConfig({})
  assert.equal(defaults.allowPrivatePeers, false)
  assert.deepEqual(defaults.atproto, { plcUrl: 'https://plc.directory', handleResolverUrl: null })
  const pointed = loadConfig({ HASHCAMP_ALLOW_PRIVATE_PEERS: 'on', ATPROTO_PLC_URL: 'https://plc.example.org/', ATPROTO_HANDLE_RESOLVER: 'https://pds.example.org' })
  assert.equal(pointed.allowPrivatePeers, true)
  assert.deepEqual(pointed.atproto, { plcUrl: 'https://plc.example.org', handleResolverUrl: 'https://pds.example.org' })
  assert.throws(() => loadConfig({ ATPROTO_PLC_URL: 'plc.directory' }), /ATPROTO_PLC_URL must be an absolute/)
})
