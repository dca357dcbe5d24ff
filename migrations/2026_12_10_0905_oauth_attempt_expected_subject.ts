import type { Kysely } from 'kysely'

// A Bluesky sign-in that starts from a handle resolves it to a DID before the person consents;
// the account that then consents must be that DID (the AT Protocol's own rule), so the
// attempt keeps it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('oauth_attempts').addColumn('expected_subject', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('oauth_attempts').dropColumn('expected_subject').execute()
}
