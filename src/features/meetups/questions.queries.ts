// A meetup's optional questions (dietary needs, access needs) and the answers people give
// when they reply. The answers are for the hosts only: no page but the hosts' and the
// person's own, and the hosts' CSV, ever reads them. Kysely only, db first.
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.js'

export const MOST_QUESTIONS = 5
export const QUESTION_MAX_LENGTH = 200
export const ANSWER_MAX_LENGTH = 500

export interface MeetupQuestion {
  id: number
  position: number
  question: string
}

export async function listQuestions(db: Kysely<Database>, meetupId: number): Promise<MeetupQuestion[]> {
  return db.selectFrom('meetup_questions').select(['id', 'position', 'question']).where('meetup_id', '=', meetupId).orderBy('position').execute()
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

/**
 * Saves what the person typed for each of the meetup's questions; an empty answer is no answer.
 * A question the form did not carry (the smaller-party offer's button) keeps its answer.
 */
export async function saveMyAnswers(db: Kysely<Database>, questions: readonly MeetupQuestion[], userId: number, answers: ReadonlyMap<number, string>, stamp: string): Promise<void> {
  for (const question of questions) {
    const answer = answers.get(question.id)
    if (answer === undefined) continue
    if (!answer) {
      await db.deleteFrom('meetup_answers').where('question_id', '=', question.id).where('user_id', '=', userId).execute()
      continue
    }
    await db
      .insertInto('meetup_answers')
      .values({ question_id: question.id, user_id: userId, answer, updated_at: stamp })
      .onConflict((oc) => oc.columns(['question_id', 'user_id']).doUpdateSet({ answer, updated_at: stamp }))
      .execute()
  }
}

/** Someone no longer coming: what they told the hosts goes too. */
export async function deleteMyAnswers(db: Kysely<Database>, meetupId: number, userId: number): Promise<void> {
  await db
    .deleteFrom('meetup_answers')
    .where('user_id', '=', userId)
    .where('question_id', 'in', db.selectFrom('meetup_questions').select('id').where('meetup_id', '=', meetupId))
    .execute()
}

/** A meetup being deleted: its questions and every answer to them. */
export async function deleteMeetupQuestions(db: Kysely<Database>, meetupId: number): Promise<void> {
  await db.deleteFrom('meetup_answers').where('question_id', 'in', db.selectFrom('meetup_questions').select('id').where('meetup_id', '=', meetupId)).execute()
  await db.deleteFrom('meetup_questions').where('meetup_id', '=', meetupId).execute()
}
