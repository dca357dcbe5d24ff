import type { Kysely } from 'kysely'
import type { Dialect } from '../src/db/dialect.js'
import { withId } from './_lib/columns.js'

// Meetup replies people expect (issue 22): a host may ask up to five optional questions
// (dietary needs, access needs), each person going or waiting answers them in free text, and
// only the hosts read the answers. An answer belongs to the person: it goes when they leave
// the meetup or the site. And a cancellation keeps its moment and its reason, so the hosts
// may take it back within a day.
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await withId(db.schema.createTable('meetup_questions'), dialect)
    .addColumn('meetup_id', 'integer', (c) => c.notNull().references('meetups.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('meetup_questions_position_uq', ['meetup_id', 'position'])
    .execute()

  await withId(db.schema.createTable('meetup_answers'), dialect)
    .addColumn('question_id', 'integer', (c) => c.notNull().references('meetup_questions.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('answer', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('meetup_answers_once_uq', ['question_id', 'user_id'])
    .execute()
  // A person's own answers (their data export, leaving the site).
  await db.schema.createIndex('meetup_answers_user_idx').on('meetup_answers').column('user_id').execute()

  await db.schema.alterTable('meetups').addColumn('cancelled_at', 'text').execute()
  await db.schema.alterTable('meetups').addColumn('cancel_reason', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('meetups').dropColumn('cancel_reason').execute()
  await db.schema.alterTable('meetups').dropColumn('cancelled_at').execute()
  await db.schema.dropTable('meetup_answers').execute()
  await db.schema.dropTable('meetup_questions').execute()
}
