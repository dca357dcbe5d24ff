import type { Kysely } from 'kysely'
import type { Database, IdentityProvider, UserIdentityRow } from '../../db/database.js'

/** What a provider says about the person who just signed in there. */
export interface ProvenIdentity {
  provider: IdentityProvider
  /** Stable at the provider: "<server>/<account id>" for Mastodon, the DID for Bluesky. */
  subject: string
  handle: string
  profileUrl: string | null
  displayName: string | null
}

export async function findIdentity(db: Kysely<Database>, provider: IdentityProvider, subject: string): Promise<UserIdentityRow | undefined> {
  return db.selectFrom('user_identities').selectAll().where('provider', '=', provider).where('subject', '=', subject).executeTakeFirst()
}

export async function listIdentitiesOf(db: Kysely<Database>, userId: number): Promise<UserIdentityRow[]> {
  return db.selectFrom('user_identities').selectAll().where('user_id', '=', userId).orderBy('provider').orderBy('handle').execute()
}

export async function countIdentitiesOf(db: Kysely<Database>, userId: number): Promise<number> {
  const row = await db.selectFrom('user_identities').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function linkIdentity(db: Kysely<Database>, userId: number, identity: ProvenIdentity, now: Date): Promise<UserIdentityRow> {
  return db
    .insertInto('user_identities')
    .values({
      user_id: userId,
      provider: identity.provider,
      subject: identity.subject,
      handle: identity.handle,
      profile_url: identity.profileUrl,
      display_name: identity.displayName,
      created_at: now.toISOString(),
      last_signed_in_at: now.toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** A handle or name may change at the provider: the row follows what it said this time. */
export async function refreshIdentity(db: Kysely<Database>, id: number, identity: ProvenIdentity, now: Date): Promise<void> {
  await db
    .updateTable('user_identities')
    .set({ handle: identity.handle, profile_url: identity.profileUrl, display_name: identity.displayName, last_signed_in_at: now.toISOString() })
    .where('id', '=', id)
    .execute()
}

/** Removes one of this person's identities; false when it is not theirs (or gone). */
export async function unlinkIdentity(db: Kysely<Database>, userId: number, identityId: number): Promise<boolean> {
  const result = await db.deleteFrom('user_identities').where('id', '=', identityId).where('user_id', '=', userId).executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}
