import { sql, type Kysely } from 'kysely'

// Which decision a proposer has been told of ('accepted' or 'declined'), so that a proposal
// put on a grid that is not yet published is told of when the schedule is published, once.
// Everything decided before now was told at the time (placing used to tell at once).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('proposals').addColumn('told_state', 'text').execute()
  await sql`update proposals set told_state = 'accepted' where state in ('accepted', 'scheduled')`.execute(db)
  await sql`update proposals set told_state = 'declined' where state = 'declined'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('proposals').dropColumn('told_state').execute()
}
