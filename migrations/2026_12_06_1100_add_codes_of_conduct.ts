import type { Kysely } from 'kysely'

// A community or an event may add its own code of conduct (markdown) to the site's one.
// Empty means it has none of its own: the site's code applies alone. The site's own text
// lives in site_settings under 'code_of_conduct', absent until the admin edits it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('communities').addColumn('code_of_conduct', 'text', (c) => c.notNull().defaultTo('')).execute()
  await db.schema.alterTable('events').addColumn('code_of_conduct', 'text', (c) => c.notNull().defaultTo('')).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('events').dropColumn('code_of_conduct').execute()
  await db.schema.alterTable('communities').dropColumn('code_of_conduct').execute()
  await db.deleteFrom('site_settings').where('key', '=', 'code_of_conduct').execute()
}
