// The site's code of conduct, kept in site_settings once the admin has written one.
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.js'

const KEY = 'code_of_conduct'

/** The admin's text, or null while the site uses the default from the catalogues. */
export async function findSiteCode(db: Kysely<Database>): Promise<string | null> {
  const row = await db.selectFrom('site_settings').select('value').where('key', '=', KEY).executeTakeFirst()
  return row?.value ?? null
}

export async function saveSiteCode(db: Kysely<Database>, text: string): Promise<void> {
  await db
    .insertInto('site_settings')
    .values({ key: KEY, value: text })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: text }))
    .execute()
}

export async function clearSiteCode(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('site_settings').where('key', '=', KEY).execute()
}
