// The admin's people search. Kysely only, db first.
import { sql, type Kysely } from 'kysely'
import type { Database, UserRow } from '../../db/database.js'

/** `text` as a LIKE pattern that matches it literally anywhere (% and _ and \ escaped). */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/** People whose name, handle or email contains `q` (any case), by name; all of them for an empty `q`. */
export async function searchUsers(db: Kysely<Database>, q: string, page: { limit: number; offset: number }): Promise<{ people: UserRow[]; total: number }> {
  const pattern = containsPattern(q)
  let list = db.selectFrom('users').selectAll()
  let count = db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n'))
  if (q) {
    const match = sql<boolean>`(lower(display_name) like ${pattern} escape '\\' or coalesce(handle, '') like ${pattern} escape '\\' or email like ${pattern} escape '\\')`
    list = list.where(match)
    count = count.where(match)
  }
  const [people, counted] = await Promise.all([list.orderBy('display_name').orderBy('id').limit(page.limit).offset(page.offset).execute(), count.executeTakeFirstOrThrow()])
  return { people, total: Number(counted.n) }
}
