// A meetup's optional questions (dietary needs, access needs) and the answers people give
// when they reply. The answers are for the hosts only: no page but the hosts' and the
// person's own, and the hosts' CSV, ever reads them. Kysely only, db first.
import type { Kysely } from 'kysely'
import { compiledOnce } from '../../db/compiled-once.js'
import type { Database } from '../../db/database.js'

export const MOST_QUESTIONS = 5
export const QUESTION_MAX_LENGTH = 200
export const ANSWER_MAX_LENGTH = 500

export interface MeetupQuestion {
  id: number
  position: number
  question: string
}

const questionsOf = compiledOnce((db, p: { meetupId: number }) => db.selectFrom('meetup_questions').select(['id', 'position', 'question']).where('meetup_id', '=', p.meetupId).orderBy('position'))

export async function listQuestions(db: Kysely<Database>, meetupId: number): Promise<MeetupQuestion[]> {
  return questionsOf(db, { meetupId })
}

/**
 * The host's questions as typed, one per place (1 to 5, empty where none). A question
 * reworded keeps its answers; a question cleared loses them with it.
 */
export async function saveQuestions(trx: Kysely<Database>, meetupId: number, questions: readonly string[], stamp: string): Promise<void> {
  const cleared = questions.flatMap((q, i) => (q ? [] : [i + 1]))
  if (cleared.length) {
    const gone = trx.selectFrom('meetup_questions').select('id').where('meetup_id', '=', meetupId).where('position', 'in', cleared)
    await trx.deleteFrom('meetup_answers').where('question_id', 'in', gone).execute()
    await trx.deleteFrom('meetup_questions').where('meetup_id', '=', meetupId).where('position', 'in', cleared).execute()
  }
  for (const [i, question] of questions.entries()) {
    if (!question) continue
    await trx
      .insertInto('meetup_questions')
      .values({ meetup_id: meetupId, position: i + 1, question, created_at: stamp })
      .onConflict((oc) => oc.columns(['meetup_id', 'position']).doUpdateSet({ question }))
      .execute()
  }
  // The count an RSVP reads instead of the questions (migration 2026_12_09_0917).
  await trx
    .updateTable('meetups')
    .set((eb) => ({ question_count: eb.selectFrom('meetup_questions').select((q) => q.fn.countAll<number>().as('n')).where('meetup_id', '=', meetupId) }))
    .where('id', '=', meetupId)
    .execute()
}

/** Every answer to this meetup's questions, for its hosts. */
export async function listAnswers(db: Kysely<Database>, meetupId: number): Promise<{ user_id: number; question_id: number; answer: string }[]> {
  return db
    .selectFrom('meetup_answers as a')
    .innerJoin('meetup_questions as q', 'q.id', 'a.question_id')
    .select(['a.user_id', 'a.question_id', 'a.answer'])
    .where('q.meetup_id', '=', meetupId)
    .execute()
}

/** One person's own answers to this meetup's questions, by question id. */
export async function findMyAnswers(db: Kysely<Database>, meetupId: number, userId: number): Promise<Map<number, string>> {
  const rows = await db
    .selectFrom('meetup_answers as a')
    .innerJoin('meetup_questions as q', 'q.id', 'a.question_id')
    .select(['a.question_id', 'a.answer'])
    .where('q.meetup_id', '=', meetupId)
    .where('a.user_id', '=', userId)
    .execute()
  return new Map(rows.map((r) => [r.question_id, r.answer]))
}

// Saved in the RSVP's own transaction (rsvps.service.ts), so built once (src/db/compiled-once.ts).
// An answer is kept only while its question is still this meetup's: the questions were read
// before the meetup's lock, and a host may have cleared one since.
const saveAnswer = compiledOnce((db, p: { meetupId: number; questionId: number; userId: number; answer: string; stamp: string }) =>
  db
    .insertInto('meetup_answers')
    .columns(['question_id', 'user_id', 'answer', 'updated_at'])
    .expression((eb) =>
      eb
        .selectFrom('meetup_questions')
        .select((q) => ['id', q.cast<number>(q.val(p.userId), 'integer').as('user_id'), q.cast<string>(q.val(p.answer), 'text').as('answer'), q.cast<string>(q.val(p.stamp), 'text').as('updated_at')])
        .where('id', '=', p.questionId)
        .where('meetup_id', '=', p.meetupId),
    )
    .onConflict((oc) => oc.columns(['question_id', 'user_id']).doUpdateSet({ answer: p.answer, updated_at: p.stamp })),
)

const deleteAnswer = compiledOnce((db, p: { questionId: number; userId: number }) => db.deleteFrom('meetup_answers').where('question_id', '=', p.questionId).where('user_id', '=', p.userId))

/**
 * Saves what the person typed for each of the meetup's questions; an empty answer is no answer.
 * A question the form did not carry (the smaller-party offer's button) keeps its answer. In the
 * RSVP's transaction: the reply and its answers commit together, or neither does.
 */
export async function saveMyAnswers(db: Kysely<Database>, meetupId: number, questions: readonly MeetupQuestion[], userId: number, answers: ReadonlyMap<number, string>, stamp: string): Promise<void> {
  for (const question of questions) {
    const answer = answers.get(question.id)
    if (answer === undefined) continue
    if (!answer) await deleteAnswer(db, { questionId: question.id, userId })
    else await saveAnswer(db, { meetupId, questionId: question.id, userId, answer, stamp })
  }
}

const deleteAnswersOf = compiledOnce((db, p: { meetupId: number; userId: number }) =>
  db
    .deleteFrom('meetup_answers')
    .where('user_id', '=', p.userId)
    .where('question_id', 'in', db.selectFrom('meetup_questions').select('id').where('meetup_id', '=', p.meetupId)),
)

/** Someone no longer coming: what they told the hosts goes too. */
export async function deleteMyAnswers(db: Kysely<Database>, meetupId: number, userId: number): Promise<void> {
  await deleteAnswersOf(db, { meetupId, userId })
}

/** A meetup being deleted: its questions and every answer to them. */
export async function deleteMeetupQuestions(db: Kysely<Database>, meetupId: number): Promise<void> {
  await db.deleteFrom('meetup_answers').where('question_id', 'in', db.selectFrom('meetup_questions').select('id').where('meetup_id', '=', meetupId)).execute()
  await db.deleteFrom('meetup_questions').where('meetup_id', '=', meetupId).execute()
}
