import type { Kysely } from 'kysely'

/**
 * Indexes on the foreign keys that had none, so deleting a person (ON DELETE SET NULL)
 * or following a merged proposal does not scan whole tables.
 */
const INDEXES: [name: string, table: string, column: string][] = [
  ['communities_created_by_idx', 'communities', 'created_by'],
  ['topics_proposed_by_idx', 'topics', 'proposed_by'],
  ['events_created_by_idx', 'events', 'created_by'],
  ['proposals_merged_into_idx', 'proposals', 'merged_into'],
  ['meetups_created_by_idx', 'meetups', 'created_by'],
]

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, table, column] of INDEXES) await db.schema.createIndex(name).on(table).column(column).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name] of INDEXES) await db.schema.dropIndex(name).execute()
}
