import { sql, type Kysely } from 'kysely'

// How many questions a meetup asks, on the meetup's own row (issue 23): an RSVP reads the row
// anyway, and the row's lock returns it, so a reply to a meetup without questions (most of
// them) neither lists its questions nor deletes answers it cannot have. Kept by
// saveQuestions, in the transaction that changes the questions.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('meetups')
    .addColumn('question_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await sql`update meetups set question_count = (select count(*) from meetup_questions q where q.meetup_id = meetups.id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('meetups').dropColumn('question_count').execute()
}
