import type { Kysely } from 'kysely'

// Times for people abroad (issue 22): a person may choose the IANA zone they read times in.
// Null means "each item's own zone", which is also what everyone saw before.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('time_zone', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('time_zone').execute()
}
