// The app exactly as the server builds it, on a fresh database, closed after the test.
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import type { Config } from '../../src/config.js'
import { freshDatabase } from './fresh-database.js'

export async function testConfig(overrides: Partial<Config> = {}): Promise<{ config: Config; drop: () => Promise<void> }> {
  const fresh = await freshDatabase()
  const config: Config = {
    port: 0,
    host: '127.0.0.1',
    baseUrl: 'http://localhost:3000',
    dataDir: fresh.dataDir,
    database: fresh.database,
    sessionSecret: 'test-secret-that-is-at-least-32-characters-long',
    demo: false,
    rateLimits: true,
    logLevel: 'silent',
    migrateOnStart: true,
    trustProxy: false,
    smtpUrl: null,
    mailFrom: 'Hashcamp <hashcamp@localhost>',
    // Tests that are about email start their own worker (see test/helpers/mail.ts).
    mailWorker: false,
    // Likewise the ActivityPub queue (test/features/federation.test.ts turns it on).
    federationWorker: false,
    liveLimits: { perAddress: 50, total: 5000 },
    drafts: { threads: 1, queue: 4 },
    allowPrivatePeers: false,
    atproto: { plcUrl: 'https://plc.directory', handleResolverUrl: null },
    ...overrides,
  }
  return { config, drop: fresh.drop }
}

/** Builds the app for one test (or one describe) and tears it and its database down after. */
export async function buildTestApp(t: { after: (fn: () => Promise<void>) => void }, overrides: Partial<Config> = {}): Promise<FastifyInstance> {
  const { config, drop } = await testConfig(overrides)
  const app = await buildApp(config, { logger: false })
  t.after(async () => {
    await app.close()
    await drop()
  })
  return app
}
