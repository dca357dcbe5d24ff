// Who may see whom, and the hosts' CSV.
import type { AttendeeVisibility } from '../../db/database.js'
import type { Translator } from '../../i18n/i18n.js'
import type { AttendeeRow } from './meetups.queries.js'
import type { MeetupQuestion } from './questions.queries.js'

type Answer = { user_id: number; question_id: number; answer: string }

export interface VisibleAttendees {
  /** Null: this viewer may not see the list (only the counts). */
  going: { name: string; handle: string | null; partySize: number; hidden: boolean }[] | null
  /** People going who asked not to be named, for this viewer. */
  unnamed: number
  waitlist: { name: string; partySize: number }[] | null
}

/**
 * Hosts see everyone, hidden names too, and the waitlist. Others see the people going if
 * the setting allows ('public': anyone; 'attendees': those going or waiting), minus anyone
 * who chose to hide their name (they are counted, not named). Emails are never here.
 */
export function visibleAttendees(rows: AttendeeRow[], viewer: { isHost: boolean; viewerId: number | null; visibility: AttendeeVisibility }): VisibleAttendees {
  const going = rows.filter((r) => r.status === 'going')
  if (viewer.isHost) {
    return {
      going: going.map((r) => ({ name: r.display_name, handle: r.handle, partySize: r.party_size, hidden: r.hide_name })),
      unnamed: 0,
      waitlist: rows.filter((r) => r.status === 'waitlisted').map((r) => ({ name: r.display_name, partySize: r.party_size })),
    }
  }
  const isAttendee = viewer.viewerId !== null && rows.some((r) => r.user_id === viewer.viewerId)
  const allowed = viewer.visibility === 'public' || (viewer.visibility === 'attendees' && isAttendee)
  if (!allowed) return { going: null, unnamed: 0, waitlist: null }
  const named = going.filter((r) => !r.hide_name || r.user_id === viewer.viewerId)
  return {
    going: named.map((r) => ({ name: r.display_name, handle: r.handle, partySize: r.party_size, hidden: r.hide_name })),
    unnamed: going.length - named.length,
    waitlist: null,
  }
}

/** One CSV cell: quoted, and never read as a formula by a spreadsheet. */
function cell(value: string | number): string {
  let text = String(value)
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return `"${text.replace(/"/g, '""')}"`
}

/** One column per question after the usual ones; an empty cell where someone left it blank. */
export function attendeesCsv(i18n: Translator, rows: AttendeeRow[], questions: readonly MeetupQuestion[] = [], answers: readonly Answer[] = []): string {
  const byPerson = new Map(answers.map((a) => [`${a.user_id}:${a.question_id}`, a.answer]))
  const header = [i18n.t('csv.name'), i18n.t('csv.handle'), i18n.t('csv.partySize'), i18n.t('csv.status'), i18n.t('csv.when'), ...questions.map((q) => q.question)]
  const lines = rows.map((r) =>
    [r.display_name, r.handle ? `@${r.handle}` : '', r.party_size, i18n.t(`rsvp.status.${r.status}`), r.updated_at, ...questions.map((q) => byPerson.get(`${r.user_id}:${q.id}`) ?? '')].map(cell).join(','),
  )
  return `${[header.map(cell).join(','), ...lines].join('\r\n')}\r\n`
}

/**
 * For the hosts' own view: each person going or waiting who answered anything, with their
 * answers in the order of the questions. Everyone is named here, hidden names too, as in the CSV.
 */
export function answersByPerson(questions: readonly MeetupQuestion[], rows: AttendeeRow[], answers: readonly Answer[]): { name: string; waiting: boolean; answers: { question: string; answer: string }[] }[] {
  const byPerson = new Map(answers.map((a) => [`${a.user_id}:${a.question_id}`, a.answer]))
  return rows
    .map((r) => ({
      name: r.display_name,
      waiting: r.status === 'waitlisted',
      answers: questions.flatMap((q) => {
        const answer = byPerson.get(`${r.user_id}:${q.id}`)
        return answer ? [{ question: q.question, answer }] : []
      }),
    }))
    .filter((person) => person.answers.length > 0)
}
