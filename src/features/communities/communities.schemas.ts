// The community form: TypeBox for shape and length, then the rules a schema cannot say
// (a real time zone, a real date, schedule fields that matter only for some kinds).
import { Type, type Static } from 'typebox'
import type { FastifySchemaValidationError } from 'fastify/types/schema.js'
import { errorsFromValidation, withError, type FieldMessages, type FormErrors } from '../../lib/forms.js'
import { HASHTAG_PATTERN, MAX_HASHTAG_LENGTH, normaliseHashtag } from '../../lib/hashtags.js'
import { NTH_VALUES, type ChatSchedule } from '../../lib/chat-recurrence.js'
import { isValidDate, isValidTime, isValidTimeZone } from '../../lib/zoned-time.js'
import { CsrfField } from '../../lib/schema-fields.js'
import { OwnCodeField, postedOwnCode } from '../conduct/conduct.schemas.js'
import { readDateInput, readTimeInput } from '../../lib/date-input.js'

export const SLUG_PATTERN = '^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$'
/** Slugs that would clash with the pages under /communities/. */
const RESERVED_SLUGS = new Set(['new', 'edit', 'search'])
export const MAX_COMMUNITY_NAME = 100
export const MAX_DESCRIPTION = 5000
export const DEFAULT_TIME_ZONE = 'Europe/London'

export { SlugParams } from '../../lib/schema-fields.js'
export const SearchQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })) })
const text = (maxLength: number) => Type.String({ maxLength })

export const CommunityBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: MAX_COMMUNITY_NAME }),
  slug: Type.Optional(Type.String({ maxLength: 50, pattern: `^$|${SLUG_PATTERN}` })),
  hashtag: Type.String({ minLength: 1, maxLength: MAX_HASHTAG_LENGTH, pattern: HASHTAG_PATTERN }),
  description: text(MAX_DESCRIPTION),
  chatPlace: text(200),
  chatUrl: Type.String({ maxLength: 500, pattern: '^$|^https?://\\S+$' }),
  timeZone: Type.String({ minLength: 1, maxLength: 64 }),
  scheduleKind: Type.Union([Type.Literal('none'), Type.Literal('weekly'), Type.Literal('monthly')]),
  weekday: text(2),
  startTime: text(5),
  durationMinutes: text(4),
  intervalWeeks: text(2),
  nth: text(2),
  startsOn: text(10),
  codeOfConduct: OwnCodeField,
  _csrf: CsrfField,
})
export type CommunityBody = Static<typeof CommunityBody>

export const communityMessages: FieldMessages = {
  name: { default: 'community.name.required', maxLength: 'community.name.tooLong' },
  slug: { default: 'community.slug.invalid' },
  hashtag: { default: 'community.hashtag.invalid', required: 'community.hashtag.required' },
  description: { default: 'community.description.tooLong' },
  chatPlace: { default: 'community.chatPlace.tooLong' },
  chatUrl: { default: 'community.chatUrl.invalid' },
  timeZone: { default: 'community.timeZone.invalid' },
  scheduleKind: { default: 'community.scheduleKind.invalid' },
  weekday: { default: 'community.weekday.invalid' },
  startTime: { default: 'community.startTime.invalid' },
  durationMinutes: { default: 'community.durationMinutes.invalid' },
  intervalWeeks: { default: 'community.intervalWeeks.invalid' },
  nth: { default: 'community.nth.invalid' },
  startsOn: { default: 'community.startsOn.invalid' },
  codeOfConduct: { default: 'conduct.field.tooLong' },
}

export interface CommunityInput {
  name: string
  slug: string
  hashtag: string
  description: string
  chatPlace: string
  chatUrl: string | null
  timeZone: string
  schedule: Omit<ChatSchedule, 'timeZone' | 'endsOn'> | null
  /** Markdown added to the site's code of conduct; '' for none, null to keep what is stored. */
  codeOfConduct: string | null
}

function intIn(raw: string, allowed: readonly number[]): number | null {
  if (!/^-?\d+$/.test(raw)) return null
  const value = Number(raw)
  return allowed.includes(value) ? value : null
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

/**
 * The schema's errors plus what a schema cannot check; returns the input ready to store,
 * or every error at once. Works on whatever was posted, even with fields missing.
 */
export function readCommunityForm(posted: unknown, validation: FastifySchemaValidationError[] | undefined): { input: CommunityInput | null; errors: FormErrors } {
  const fields = (posted && typeof posted === 'object' ? posted : {}) as Record<string, unknown>
  const str = (name: string) => (typeof fields[name] === 'string' ? (fields[name] as string) : '')
  const body = Object.fromEntries(Object.keys(CommunityBody.properties).map((name) => [name, str(name)])) as Required<CommunityBody>
  const errors = validation ? errorsFromValidation(validation, communityMessages, fields) : {}
  let all = errors
  const add = (field: string, key: Parameters<typeof withError>[3]['key']) => {
    all = withError(all, communityMessages, field, { key })
  }
  const hashtag = normaliseHashtag(body.hashtag)
  const slug = body.slug || hashtag.toLowerCase().replace(/_/g, '-').replace(/[^a-z0-9-]/g, '')
  if (!errors.slug && !errors.hashtag && (RESERVED_SLUGS.has(slug) || !new RegExp(SLUG_PATTERN).test(slug))) add('slug', 'community.slug.invalid')
  if (!isValidTimeZone(body.timeZone)) add('timeZone', 'community.timeZone.invalid')

  let schedule: CommunityInput['schedule'] = null
  if (!errors.scheduleKind && body.scheduleKind !== 'none') {
    const startTime = readTimeInput(body.startTime)
    const startsOn = readDateInput(body.startsOn)
    const weekday = intIn(body.weekday, range(1, 7))
    const duration = intIn(body.durationMinutes, range(5, 1440))
    const intervalWeeks = body.scheduleKind === 'weekly' ? intIn(body.intervalWeeks, range(1, 8)) : 1
    const nth = body.scheduleKind === 'monthly' ? intIn(body.nth, NTH_VALUES) : 1
    if (weekday === null) add('weekday', 'community.weekday.invalid')
    if (!isValidTime(startTime)) add('startTime', 'community.startTime.invalid')
    if (duration === null) add('durationMinutes', 'community.durationMinutes.invalid')
    if (intervalWeeks === null) add('intervalWeeks', 'community.intervalWeeks.invalid')
    if (nth === null) add('nth', 'community.nth.invalid')
    if (!isValidDate(startsOn)) add('startsOn', 'community.startsOn.invalid')
    if (weekday !== null && duration !== null && intervalWeeks !== null && nth !== null) {
      schedule = {
        recurrence: body.scheduleKind === 'weekly' ? { kind: 'weekly', weekday, intervalWeeks } : { kind: 'monthly', weekday, nth },
        startTime,
        durationMinutes: duration,
        startsOn,
      }
    }
  }
  if (Object.keys(all).length) return { input: null, errors: all }
  return {
    input: {
      name: body.name,
      slug,
      hashtag,
      description: body.description.replace(/\r\n/g, '\n'),
      chatPlace: body.chatPlace,
      chatUrl: body.chatUrl || null,
      timeZone: body.timeZone,
      schedule,
      codeOfConduct: postedOwnCode(fields),
    },
    errors: {},
  }
}
