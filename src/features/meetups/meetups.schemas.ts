// The meetup form and the RSVP form. Times are typed as local date-times in the meetup's
// own time zone and stored as UTC instants.
import type { FastifySchemaValidationError } from 'fastify/types/schema.js'
import { Type } from 'typebox'
import type { AttendeeVisibility } from '../../db/database.js'
import { errorsFromValidation, withError, type FieldMessages, type FormErrors } from '../../lib/forms.js'
import { CsrfField, SlugParams } from '../../lib/schema-fields.js'
import { isValidDate, isValidTime, isValidTimeZone, wallTimeProblem, zonedToUtc } from '../../lib/zoned-time.js'
import { SLUG_PATTERN } from '../communities/communities.schemas.js'
import { ANSWER_MAX_LENGTH, QUESTION_MAX_LENGTH, type MeetupQuestion } from './questions.queries.js'
import { readDateTimeInput } from '../../lib/date-input.js'

export const MeetupSlugParams = SlugParams
const text = (maxLength: number) => Type.String({ maxLength })
const URL_OR_EMPTY = '^$|^https?://\\S+$'
export const VISIBILITIES: readonly AttendeeVisibility[] = ['public', 'attendees', 'hosts']

export const MeetupBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 120 }),
  slug: Type.Optional(Type.String({ maxLength: 50, pattern: `^$|${SLUG_PATTERN}` })),
  description: text(5000),
  startsAt: text(16),
  endsAt: text(16),
  timeZone: Type.String({ minLength: 1, maxLength: 64 }),
  venueName: text(200),
  venueAddress: text(500),
  mapUrl: Type.String({ maxLength: 500, pattern: URL_OR_EMPTY }),
  onlineUrl: Type.String({ maxLength: 500, pattern: URL_OR_EMPTY }),
  capacity: text(6),
  maxPartySize: text(2),
  rsvpOpensAt: text(16),
  rsvpClosesAt: text(16),
  communitySlug: text(60),
  eventSlug: text(60),
  attendeeVisibility: Type.Union(VISIBILITIES.map((v) => Type.Literal(v))),
  // Up to five optional questions to the people coming (issue 22); checked in readMeetupForm.
  question1: Type.Optional(text(2000)),
  question2: Type.Optional(text(2000)),
  question3: Type.Optional(text(2000)),
  question4: Type.Optional(text(2000)),
  question5: Type.Optional(text(2000)),
  _csrf: CsrfField,
})

/** The names of the question fields, in order. */
export const QUESTION_FIELDS = ['question1', 'question2', 'question3', 'question4', 'question5'] as const

export const meetupMessages: FieldMessages = {
  title: { default: 'meetup.title.required', maxLength: 'meetup.title.tooLong' },
  slug: { default: 'community.slug.invalid' },
  description: { default: 'event.description.tooLong' },
  startsAt: { default: 'meetup.startsAt.invalid' },
  endsAt: { default: 'meetup.endsAt.invalid' },
  timeZone: { default: 'community.timeZone.invalid' },
  venueName: { default: 'event.venueName.tooLong' },
  venueAddress: { default: 'event.venueAddress.tooLong' },
  mapUrl: { default: 'community.chatUrl.invalid' },
  onlineUrl: { default: 'community.chatUrl.invalid' },
  capacity: { default: 'meetup.capacity.invalid' },
  maxPartySize: { default: 'meetup.maxPartySize.invalid' },
  rsvpOpensAt: { default: 'meetup.rsvpOpensAt.invalid' },
  rsvpClosesAt: { default: 'meetup.rsvpClosesAt.invalid' },
  communitySlug: { default: 'event.community.invalid' },
  eventSlug: { default: 'meetup.event.invalid' },
  attendeeVisibility: { default: 'meetup.attendeeVisibility.invalid' },
  ...Object.fromEntries(QUESTION_FIELDS.map((name) => [name, { default: 'meetup.question.tooLong' }])),
}

export interface MeetupInput {
  title: string
  slug: string
  description: string
  startsAt: string
  endsAt: string
  timeZone: string
  venueName: string
  venueAddress: string
  mapUrl: string | null
  onlineUrl: string | null
  capacity: number | null
  maxPartySize: number
  rsvpOpensAt: string | null
  rsvpClosesAt: string | null
  communitySlug: string | null
  eventSlug: string | null
  attendeeVisibility: AttendeeVisibility
  /** The hosts' questions, one per place (empty where none); absent: leave them as they are. */
  questions?: string[]
  /** The start, when its wall time happens twice (the autumn clock change): the first was taken. */
  repeatedTime: string | null
}

/** 'YYYY-MM-DDTHH:MM' in `timeZone` → a UTC ISO instant, or null if it is not a real moment. */
export function localToInstant(value: string, timeZone: string): string | null {
  const [date, time] = value.split('T')
  if (!date || !time || !isValidDate(date) || !isValidTime(time) || !isValidTimeZone(timeZone)) return null
  return zonedToUtc(date, time, timeZone).toISOString()
}

function wholeNumber(raw: string, min: number, max: number): number | null {
  if (!/^\d{1,6}$/.test(raw.trim())) return null
  const n = Number(raw)
  return n >= min && n <= max ? n : null
}

const DATE_TIME_FIELDS = new Set(['startsAt', 'endsAt', 'rsvpOpensAt', 'rsvpClosesAt'])

export function readMeetupForm(posted: unknown, validation: FastifySchemaValidationError[] | undefined): { input: MeetupInput | null; errors: FormErrors } {
  const fields = (posted && typeof posted === 'object' ? posted : {}) as Record<string, unknown>
  const raw = (name: string) => (typeof fields[name] === 'string' ? (fields[name] as string) : '')
  const str = (name: string) => (DATE_TIME_FIELDS.has(name) ? readDateTimeInput(raw(name)) : raw(name))
  let errors = validation ? errorsFromValidation(validation, meetupMessages, fields) : {}
  const add = (field: string, key: Parameters<typeof withError>[3]['key']) => {
    if (!errors[field]) errors = withError(errors, meetupMessages, field, { key })
  }
  const timeZone = str('timeZone')
  if (!isValidTimeZone(timeZone)) add('timeZone', 'community.timeZone.invalid')
  // A wall time the clocks skip is refused, naming the jump; one they show twice is taken
  // as the first, and the page says so after saving (repeatedTime).
  let repeatedTime: string | null = null
  for (const field of ['startsAt', 'endsAt', 'rsvpOpensAt', 'rsvpClosesAt']) {
    const [date, time] = str(field).split('T')
    if (!date || !time || !isValidDate(date) || !isValidTime(time) || !isValidTimeZone(timeZone)) continue
    const problem = wallTimeProblem(date, time, timeZone)
    if (problem?.kind === 'gap' && !errors[field]) errors = withError(errors, meetupMessages, field, { key: 'time.gap', params: { date, time, zone: timeZone, from: problem.from, to: problem.to } })
    if (problem?.kind === 'repeated' && field === 'startsAt') repeatedTime = problem.first.toISOString()
  }
  const startsAt = localToInstant(str('startsAt'), timeZone)
  const endsAt = localToInstant(str('endsAt'), timeZone)
  if (!startsAt) add('startsAt', 'meetup.startsAt.invalid')
  if (!endsAt || (startsAt && endsAt <= startsAt)) add('endsAt', 'meetup.endsAt.invalid')
  const capacity = str('capacity').trim() === '' ? null : wholeNumber(str('capacity'), 1, 100000)
  if (str('capacity').trim() !== '' && capacity === null) add('capacity', 'meetup.capacity.invalid')
  const maxPartySize = wholeNumber(str('maxPartySize') || '1', 1, 20)
  if (maxPartySize === null) add('maxPartySize', 'meetup.maxPartySize.invalid')
  const rsvpOpensAt = str('rsvpOpensAt') ? localToInstant(str('rsvpOpensAt'), timeZone) : null
  const rsvpClosesAt = str('rsvpClosesAt') ? localToInstant(str('rsvpClosesAt'), timeZone) : null
  if (str('rsvpOpensAt') && !rsvpOpensAt) add('rsvpOpensAt', 'meetup.rsvpOpensAt.invalid')
  if (str('rsvpClosesAt') && (!rsvpClosesAt || (rsvpOpensAt && rsvpClosesAt <= rsvpOpensAt) || (startsAt && rsvpClosesAt > startsAt))) {
    add('rsvpClosesAt', 'meetup.rsvpClosesAt.invalid')
  }
  const questions = QUESTION_FIELDS.map((name) => str(name).replace(/\s+/g, ' ').trim())
  for (const [i, question] of questions.entries()) if (question.length > QUESTION_MAX_LENGTH) add(QUESTION_FIELDS[i]!, 'meetup.question.tooLong')
  const fromTitle = str('title').toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40).replace(/-$/, '')
  const slug = str('slug') || fromTitle
  if (!new RegExp(SLUG_PATTERN).test(slug) || slug === 'new') add('slug', 'community.slug.invalid')
  if (Object.keys(errors).length || !startsAt || !endsAt || maxPartySize === null) return { input: null, errors }
  return {
    input: {
      title: str('title'),
      slug,
      description: str('description').replace(/\r\n/g, '\n'),
      startsAt,
      endsAt,
      timeZone,
      venueName: str('venueName'),
      venueAddress: str('venueAddress').replace(/\r\n/g, '\n'),
      mapUrl: str('mapUrl') || null,
      onlineUrl: str('onlineUrl') || null,
      capacity,
      maxPartySize,
      rsvpOpensAt,
      rsvpClosesAt,
      communitySlug: str('communitySlug') || null,
      eventSlug: str('eventSlug') || null,
      attendeeVisibility: str('attendeeVisibility') as AttendeeVisibility,
      questions,
      repeatedTime,
    },
    errors: {},
  }
}

export const RsvpBody = Type.Object({
  going: Type.Union([Type.Literal('yes'), Type.Literal('no')]),
  partySize: Type.Optional(Type.String({ maxLength: 2, pattern: '^\\d{1,2}$' })),
  _csrf: CsrfField,
})

/** The answers posted with an RSVP (fields answer-<question id>), for this meetup's questions only. */
export function readAnswers(posted: unknown, questions: readonly MeetupQuestion[]): Map<number, string> | null {
  const fields = (posted && typeof posted === 'object' ? posted : {}) as Record<string, unknown>
  const answers = new Map<number, string>()
  for (const question of questions) {
    const value = fields[`answer-${question.id}`]
    if (typeof value !== 'string') continue
    const answer = value.replace(/\r\n/g, '\n').trim()
    if (answer.length > ANSWER_MAX_LENGTH) return null
    answers.set(question.id, answer)
  }
  return answers
}

export const CancelBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 5000 })), _csrf: CsrfField })
export const CANCEL_REASON_MAX_LENGTH = 1000
