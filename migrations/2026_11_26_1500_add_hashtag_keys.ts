import type { Kysely } from 'kysely'

/**
 * A lower-cased copy of each hashtag, written by the app, for finding by hashtag in any
 * case. SQLite's lower() folds only ASCII, so "#ŴylCymru" would never match "#ŵylcymru".
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['communities', 'events']) {
    await db.schema.alterTable(table).addColumn('hashtag_key', 'text', (c) => c.notNull().defaultTo('')).execute()
    const rows = (await db.selectFrom(table).select(['id', 'hashtag']).execute()) as { id: number; hashtag: string }[]
    for (const row of rows) {
      await db.updateTable(table).set({ hashtag_key: row.hashtag.normalize('NFC').toLowerCase() }).where('id', '=', row.id).execute()
    }
    await db.schema.createIndex(`${table}_hashtag_key_idx`).on(table).column('hashtag_key').execute()
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['communities', 'events']) {
    await db.schema.dropIndex(`${table}_hashtag_key_idx`).execute()
    await db.schema.alterTable(table).dropColumn('hashtag_key').execute()
  }
}
