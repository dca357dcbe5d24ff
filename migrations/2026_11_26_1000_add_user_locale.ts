import type { Kysely } from 'kysely'

/** The language a signed-in person chose (null: not chosen yet; use cookie or browser). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('locale', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('locale').execute()
}
