import type { Kysely } from 'kysely'
import type { Database, OauthClientRow } from '../../db/database.js'
import { isUniqueViolation } from '../../db/errors.js'

export async function findClient(db: Kysely<Database>, server: string, redirectUri: string): Promise<OauthClientRow | undefined> {
  return db.selectFrom('oauth_clients').selectAll().where('server', '=', server).where('redirect_uri', '=', redirectUri).executeTakeFirst()
}

/** Keeps a registration; when another request registered at the same moment, theirs is kept and returned. */
export async function saveClient(db: Kysely<Database>, client: Omit<OauthClientRow, 'id'>): Promise<OauthClientRow> {
  try {
    return await db.insertInto('oauth_clients').values(client).returningAll().executeTakeFirstOrThrow()
  } catch (error) {
    if (!isUniqueViolation(error)) throw error
    const kept = await findClient(db, client.server, client.redirect_uri)
    if (!kept) throw error
    return kept
  }
}
