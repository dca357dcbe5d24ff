// The outbox workers that are alive: each keeps its row's heartbeat fresh, and a message it
// claimed stays its own exactly as long as the row is there. Kysely only, db first.
import type { Kysely } from 'kysely'
import type { Database, MailWorkersTable } from '../../db/database.js'

export type MailWorker = MailWorkersTable

/** Registers the worker, or (already registered) says it is still alive. */
export async function heartbeat(db: Kysely<Database>, worker: Pick<MailWorker, 'id' | 'host' | 'pid'>, stamp: string): Promise<void> {
  // An upsert, so a worker whose row was taken for dead (a long pause) comes back by itself;
  // the messages it had are someone else's by then, which beginAttempt tells it.
  await db
    .insertInto('mail_workers')
    .values({ ...worker, started_at: stamp, heartbeat_at: stamp })
    .onConflict((oc) => oc.column('id').doUpdateSet({ heartbeat_at: stamp }))
    .execute()
}

export async function listWorkers(db: Kysely<Database>): Promise<MailWorker[]> {
  return db.selectFrom('mail_workers').selectAll().execute()
}

/**
 * Removes workers found dead, each only if its heartbeat is still the one seen: one that
 * beat meanwhile is alive after all. Their claims then name no worker and are due again.
 */
export async function forgetWorkers(db: Kysely<Database>, dead: Pick<MailWorker, 'id' | 'heartbeat_at'>[]): Promise<void> {
  if (!dead.length) return
  await db
    .deleteFrom('mail_workers')
    .where((eb) => eb.or(dead.map((w) => eb.and([eb('id', '=', w.id), eb('heartbeat_at', '=', w.heartbeat_at)]))))
    .execute()
}

/** A worker stopping cleanly: its unsent claims are free at once and its row goes. */
export async function signOff(db: Kysely<Database>, id: string): Promise<void> {
  await db.updateTable('outbox').set({ claimed_by: null }).where('claimed_by', '=', id).where('status', '=', 'pending').execute()
  await db.deleteFrom('mail_workers').where('id', '=', id).execute()
}
