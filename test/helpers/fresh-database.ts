// A brand-new, empty database for one test file: a new SQLite file in a temp folder, or
// a new PostgreSQL database created from TEST_DATABASE_URL and dropped afterwards.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import type { DatabaseConfig } from '../../src/config.js'
import { currentDialect, postgresAdminUrl } from './dialects.js'

export interface FreshDatabase {
  database: DatabaseConfig
  dataDir: string
  /** Removes the database (call after the app using it is closed). */
  drop(): Promise<void>
}

export async function freshDatabase(): Promise<FreshDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hashcamp-test-'))
  const removeDataDir = () => fs.rmSync(dataDir, { recursive: true, force: true })

  if (currentDialect() === 'sqlite') {
    return { database: { dialect: 'sqlite', file: path.join(dataDir, 'test.sqlite') }, dataDir, drop: async () => removeDataDir() }
  }

  const adminUrl = postgresAdminUrl()
  const name = `hashcamp_test_${crypto.randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  try {
    await admin.query(`create database ${name}`)
  } finally {
    await admin.end()
  }
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return {
    database: { dialect: 'postgres', url: url.toString() },
    dataDir,
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl })
      await client.connect()
      try {
        await client.query(`drop database if exists ${name} with (force)`)
      } finally {
        await client.end()
      }
      removeDataDir()
    },
  }
}
