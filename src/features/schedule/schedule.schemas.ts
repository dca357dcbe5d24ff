// The room, slot and day-plan forms, and the grid's small action forms. TypeBox for shape
// and length; the rules a schema cannot say (real dates and times) in the read*Form helpers.
import type { FastifySchemaValidationError } from 'fastify/types/schema.js'
import { Type } from 'typebox'
import { SLOT_KINDS, type SlotKind } from '../../db/database.js'
import type { MessageKey } from '../../i18n/catalogues/en.js'
import { errorsFromValidation, withError, type FieldMessages, type FormErrors } from '../../lib/forms.js'
import { CsrfField, Id, NextField, Slug } from '../../lib/schema-fields.js'
import { isValidDate, isValidTime } from '../../lib/zoned-time.js'
import { readNeeds } from '../events/events.schemas.js'
import type { RoomFields } from './rooms.queries.js'
import type { DayPlan, SlotInput } from './slot-times.js'
import { readDateInput, readTimeInput } from '../../lib/date-input.js'

export const ItemParams = Type.Object({ slug: Slug, id: Id })
const needsField = Type.Optional(Type.Union([Type.Array(Type.String({ maxLength: 30 }), { maxItems: 20 }), Type.String({ maxLength: 30 })]))
const whole = (digits: number) => Type.String({ maxLength: digits, pattern: `^[0-9]{1,${digits}}$` })

export const RoomBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 80 }),
  capacity: whole(5),
  location: Type.String({ maxLength: 200 }),
  features: needsField,
  accessibilityNotes: Type.String({ maxLength: 500 }),
  _csrf: CsrfField,
})

const roomMessages: FieldMessages = {
  name: { default: 'rooms.name.required', maxLength: 'rooms.name.tooLong' },
  capacity: { default: 'rooms.capacity.invalid' },
  location: { default: 'rooms.location.tooLong' },
  features: { default: 'proposals.needs.invalid' },
  accessibilityNotes: { default: 'rooms.accessibilityNotes.tooLong' },
}

type Fields = Record<string, unknown>
const fieldsOf = (posted: unknown): Fields => (posted && typeof posted === 'object' ? posted : {}) as Fields
const DATE_FIELDS = new Set(['day', 'planDay'])
const TIME_FIELDS = new Set(['startTime', 'endTime', 'start'])
/** A posted text field; dates and times as stored, whether from a picker or typed (src/lib/date-input.ts). */
const strOf = (fields: Fields) => (name: string) => {
  const raw = typeof fields[name] === 'string' ? (fields[name] as string) : ''
  return DATE_FIELDS.has(name) ? readDateInput(raw) : TIME_FIELDS.has(name) ? readTimeInput(raw) : raw
}

export function readRoomForm(posted: unknown, validation: FastifySchemaValidationError[] | undefined): { input: RoomFields | null; errors: FormErrors } {
  const fields = fieldsOf(posted)
  const str = strOf(fields)
  const errors = validation ? errorsFromValidation(validation, roomMessages, fields) : {}
  if (Object.keys(errors).length) return { input: null, errors }
  return {
    input: {
      name: str('name'),
      capacity: Number(str('capacity')),
      location: str('location'),
      features: readNeeds(fields.features),
      accessibility_notes: str('accessibilityNotes').replace(/\r\n/g, '\n'),
    },
    errors,
  }
}

export function roomErrorFor(errors: FormErrors, field: string, key: MessageKey): FormErrors {
  return withError(errors, roomMessages, field, { key })
}

export const SlotBody = Type.Object({
  day: Type.String({ maxLength: 10 }),
  startTime: Type.String({ maxLength: 5 }),
  endTime: Type.String({ maxLength: 5 }),
  kind: Type.Union(SLOT_KINDS.map((k) => Type.Literal(k))),
  label: Type.String({ maxLength: 80 }),
  _csrf: CsrfField,
})

export const slotMessages: FieldMessages = {
  day: { default: 'slots.day.invalid' },
  startTime: { default: 'slots.startTime.invalid' },
  endTime: { default: 'slots.endTime.invalid' },
  kind: { default: 'slots.kind.invalid' },
  label: { default: 'slots.label.tooLong' },
}

export function readSlotForm(posted: unknown, validation: FastifySchemaValidationError[] | undefined): { input: SlotInput | null; errors: FormErrors } {
  const fields = fieldsOf(posted)
  const str = strOf(fields)
  let errors = validation ? errorsFromValidation(validation, slotMessages, fields) : {}
  const add = (field: string, key: MessageKey) => {
    if (!errors[field]) errors = withError(errors, slotMessages, field, { key })
  }
  if (!isValidDate(str('day'))) add('day', 'slots.day.invalid')
  if (!isValidTime(str('startTime'))) add('startTime', 'slots.startTime.invalid')
  if (!isValidTime(str('endTime'))) add('endTime', 'slots.endTime.invalid')
  if (Object.keys(errors).length) return { input: null, errors }
  return { input: { day: str('day'), startTime: str('startTime'), endTime: str('endTime'), kind: str('kind') as SlotKind, label: str('label') }, errors }
}

export const PlanBody = Type.Object({
  // Not "day": the page's other form has a day field, and ids must be unique on a page.
  planDay: Type.String({ maxLength: 10 }),
  start: Type.String({ maxLength: 5 }),
  opening: whole(3),
  sessions: whole(2),
  length: whole(3),
  gap: whole(3),
  lunchAfter: whole(2),
  lunchLength: whole(3),
  _csrf: CsrfField,
})

export const planMessages: FieldMessages = {
  planDay: { default: 'slots.day.invalid' },
  start: { default: 'slots.startTime.invalid' },
  opening: { default: 'slots.generate.opening.invalid' },
  sessions: { default: 'slots.generate.sessions.invalid' },
  length: { default: 'slots.generate.length.invalid' },
  gap: { default: 'slots.generate.gap.invalid' },
  lunchAfter: { default: 'slots.generate.lunchAfter.invalid' },
  lunchLength: { default: 'slots.generate.lunchLength.invalid' },
}

/** Sensible bounds: a day of 1–12 sessions, each 5 minutes to 4 hours. */
const PLAN_LIMITS: Record<string, [number, number]> = {
  opening: [0, 240],
  sessions: [1, 12],
  length: [5, 240],
  gap: [0, 120],
  lunchAfter: [0, 11],
  lunchLength: [0, 180],
}

export function readPlanForm(posted: unknown, validation: FastifySchemaValidationError[] | undefined): { input: DayPlan | null; errors: FormErrors } {
  const fields = fieldsOf(posted)
  const str = strOf(fields)
  let errors = validation ? errorsFromValidation(validation, planMessages, fields) : {}
  const add = (field: string, key: MessageKey) => {
    if (!errors[field]) errors = withError(errors, planMessages, field, { key })
  }
  if (!isValidDate(str('planDay'))) add('planDay', 'slots.day.invalid')
  if (!isValidTime(str('start'))) add('start', 'slots.startTime.invalid')
  for (const [field, [min, max]] of Object.entries(PLAN_LIMITS)) {
    const value = Number(str(field))
    if (!/^[0-9]+$/.test(str(field)) || value < min || value > max) add(field, planMessages[field]!.default)
  }
  if (!errors.lunchAfter && Number(str('lunchAfter')) >= Number(str('sessions'))) add('lunchAfter', 'slots.generate.lunchAfter.invalid')
  if (Object.keys(errors).length) return { input: null, errors }
  const n = (field: string) => Number(str(field))
  return {
    input: { day: str('planDay'), start: str('start'), opening: n('opening'), sessions: n('sessions'), length: n('length'), gap: n('gap'), lunchAfter: n('lunchAfter'), lunchLength: n('lunchLength') },
    errors,
  }
}

export function planErrorFor(errors: FormErrors, field: string, key: MessageKey, params?: Record<string, string>): FormErrors {
  return withError(errors, planMessages, field, { key, params })
}

export function slotErrorFor(errors: FormErrors, field: string, key: MessageKey, params?: Record<string, string>): FormErrors {
  return withError(errors, slotMessages, field, { key, params })
}

/** An id posted in a form field: ids arrive as text. */
const PostedId = Type.String({ maxLength: 12, pattern: '^[0-9]{1,10}$' })

export const PlaceBody = Type.Object({
  proposal: PostedId,
  slot: PostedId,
  room: PostedId,
  /** What was in the cell when the organiser chose it: a proposal id, or empty. */
  expected: Type.String({ maxLength: 12, pattern: '^[0-9]{0,10}$' }),
  _csrf: CsrfField,
})

export const ProposalActionBody = Type.Object({ proposal: PostedId, _csrf: CsrfField })
/** Undo after taking a session off the grid: the cell it was in. */
export const RestoreBody = Type.Object({ proposal: PostedId, slot: PostedId, room: PostedId, _csrf: CsrfField })
export const PinBody = Type.Object({ proposal: PostedId, pinned: Type.Union([Type.Literal('0'), Type.Literal('1')]), _csrf: CsrfField })
export const StarBody = Type.Object({ starred: Type.Union([Type.Literal('0'), Type.Literal('1')]), next: NextField, _csrf: CsrfField })
export const RoomMoveBody = Type.Object({ direction: Type.Union([Type.Literal('left'), Type.Literal('right')]), _csrf: CsrfField })
export const GridQuery = Type.Object({ move: Type.Optional(Type.String({ maxLength: 12 })) })
export const PublicGridQuery = Type.Object({ mine: Type.Optional(Type.String({ maxLength: 1 })) })
/** A local date and time in the event's zone ("2027-01-16T10:30"): the projector as it will look then. */
export const NowQuery = Type.Object({ at: Type.Optional(Type.String({ maxLength: 16 })) })

/** An accepted auto-schedule draft: "proposal:slot:room" (or "proposal:-" for off the grid) per session. */
export const AcceptDraftBody = Type.Object({
  basis: Type.String({ maxLength: 64, pattern: '^[0-9a-f]+$' }),
  place: Type.Optional(Type.Union([Type.Array(Type.String({ maxLength: 40, pattern: '^[0-9]{1,10}:([0-9]{1,10}:[0-9]{1,10}|-)$' }), { maxItems: 5000 }), Type.String({ maxLength: 40, pattern: '^[0-9]{1,10}:([0-9]{1,10}:[0-9]{1,10}|-)$' })])),
  _csrf: CsrfField,
})
