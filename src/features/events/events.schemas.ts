// The event form and the proposal forms: TypeBox for shape and length, then the rules a
// schema cannot say (real dates and zones, the last day after the first).
import type { FastifySchemaValidationError } from 'fastify/types/schema.js'
import { Type, type Static } from 'typebox'
import { PROPOSAL_FORMATS, PROPOSAL_NEEDS, PROPOSAL_STATES, type ProposalFormat, type ProposalNeed } from '../../db/database.js'
import { errorsFromValidation, withError, type FieldMessages, type FormErrors } from '../../lib/forms.js'
import { HASHTAG_PATTERN, normaliseHashtag } from '../../lib/hashtags.js'
import { CsrfField, Id, Slug, SlugParams } from '../../lib/schema-fields.js'
import { isValidDate, isValidTime, isValidTimeZone } from '../../lib/zoned-time.js'
import { SLUG_PATTERN } from '../communities/communities.schemas.js'
import { OwnCodeField, postedOwnCode } from '../conduct/conduct.schemas.js'
import { readDateInput, readTimeInput } from '../../lib/date-input.js'

export const EventSlugParams = SlugParams
const URL_OR_EMPTY = '^$|^https?://\\S+$'
const text = (maxLength: number) => Type.String({ maxLength })

export const EventBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 120 }),
  slug: Type.Optional(Type.String({ maxLength: 50, pattern: `^$|${SLUG_PATTERN}` })),
  hashtag: Type.String({ maxLength: 60, pattern: `^$|${HASHTAG_PATTERN}` }),
  communitySlug: text(60),
  venueName: text(200),
  venueAddress: text(500),
  mapUrl: Type.String({ maxLength: 500, pattern: URL_OR_EMPTY }),
  timeZone: Type.String({ minLength: 1, maxLength: 64 }),
  firstDay: text(10),
  lastDay: text(10),
  dayStarts: text(5),
  dayEnds: text(5),
  description: text(10000),
  codeOfConduct: OwnCodeField,
  _csrf: CsrfField,
})
export type EventBody = Static<typeof EventBody>

export const eventMessages: FieldMessages = {
  name: { default: 'event.name.required', maxLength: 'event.name.tooLong' },
  slug: { default: 'community.slug.invalid' },
  hashtag: { default: 'community.hashtag.invalid' },
  communitySlug: { default: 'event.community.invalid' },
  venueName: { default: 'event.venueName.tooLong' },
  venueAddress: { default: 'event.venueAddress.tooLong' },
  mapUrl: { default: 'community.chatUrl.invalid' },
  timeZone: { default: 'community.timeZone.invalid' },
  firstDay: { default: 'event.firstDay.invalid' },
  lastDay: { default: 'event.lastDay.invalid' },
  dayStarts: { default: 'community.startTime.invalid' },
  dayEnds: { default: 'event.dayEnds.invalid' },
  description: { default: 'event.description.tooLong' },
  codeOfConduct: { default: 'conduct.field.tooLong' },
}

export interface EventInput {
  name: string
  slug: string
  hashtag: string
  communitySlug: string | null
  venueName: string
  venueAddress: string
  mapUrl: string | null
  timeZone: string
  firstDay: string
  lastDay: string
  dayStarts: string
  dayEnds: string
  description: string
  /** Markdown added to the site's code of conduct; '' for none, null to keep what is stored. */
  codeOfConduct: string | null
}

const RESERVED_SLUGS = new Set(['new'])

/** The schema's errors plus the cross-field rules; the input ready to store, or every error. */
export function readEventForm(posted: unknown, validation: FastifySchemaValidationError[] | undefined): { input: EventInput | null; errors: FormErrors } {
  const fields = (posted && typeof posted === 'object' ? posted : {}) as Record<string, unknown>
  const str = (name: string) => (typeof fields[name] === 'string' ? (fields[name] as string) : '')
  const date = (name: string) => readDateInput(str(name))
  const time = (name: string) => readTimeInput(str(name))
  let errors = validation ? errorsFromValidation(validation, eventMessages, fields) : {}
  const add = (field: string, key: Parameters<typeof withError>[3]['key']) => {
    if (!errors[field]) errors = withError(errors, eventMessages, field, { key })
  }
  const hashtag = normaliseHashtag(str('hashtag'))
  const fromName = str('name').toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 50)
  const slug = str('slug') || (hashtag ? hashtag.toLowerCase().replace(/[^a-z0-9]+/g, '-') : fromName)
  if (RESERVED_SLUGS.has(slug) || !new RegExp(SLUG_PATTERN).test(slug)) add('slug', 'community.slug.invalid')
  if (!isValidTimeZone(str('timeZone'))) add('timeZone', 'community.timeZone.invalid')
  if (!isValidDate(date('firstDay'))) add('firstDay', 'event.firstDay.invalid')
  if (!isValidDate(date('lastDay')) || date('lastDay') < date('firstDay')) add('lastDay', 'event.lastDay.invalid')
  if (!isValidTime(time('dayStarts'))) add('dayStarts', 'community.startTime.invalid')
  if (!isValidTime(time('dayEnds')) || time('dayEnds') <= time('dayStarts')) add('dayEnds', 'event.dayEnds.invalid')
  if (Object.keys(errors).length) return { input: null, errors }
  return {
    input: {
      name: str('name'),
      slug,
      hashtag,
      communitySlug: str('communitySlug') || null,
      venueName: str('venueName'),
      venueAddress: str('venueAddress').replace(/\r\n/g, '\n'),
      mapUrl: str('mapUrl') || null,
      timeZone: str('timeZone'),
      firstDay: date('firstDay'),
      lastDay: date('lastDay'),
      dayStarts: time('dayStarts'),
      dayEnds: time('dayEnds'),
      description: str('description').replace(/\r\n/g, '\n'),
      codeOfConduct: postedOwnCode(fields),
    },
    errors: {},
  }
}

// --- Proposals ---

export const ProposalParams = Type.Object({ slug: Slug, id: Id })

const formatSchema = Type.Union(PROPOSAL_FORMATS.map((f) => Type.Literal(f)))
/** Checkboxes post one value per ticked box: a single string, or an array of them. */
const needsSchema = Type.Optional(Type.Union([Type.Array(Type.String({ maxLength: 30 }), { maxItems: 20 }), Type.String({ maxLength: 30 })]))

export const ProposalBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 120 }),
  description: Type.String({ maxLength: 5000 }),
  format: formatSchema,
  needs: needsSchema,
  _csrf: CsrfField,
})
export type ProposalBody = Static<typeof ProposalBody>

export const proposalMessages: FieldMessages = {
  title: { default: 'proposals.title.required', maxLength: 'proposals.title.tooLong' },
  description: { default: 'proposals.description.tooLong' },
  format: { default: 'proposals.format.invalid' },
  needs: { default: 'proposals.needs.invalid' },
}

/** The ticked needs that we know of, as stored: space-separated, in the list's order. */
export function readNeeds(raw: unknown): string {
  const ticked = new Set(Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [])
  return PROPOSAL_NEEDS.filter((need) => ticked.has(need)).join(' ')
}

export function needsList(stored: string): ProposalNeed[] {
  return stored.split(' ').filter((n): n is ProposalNeed => (PROPOSAL_NEEDS as readonly string[]).includes(n))
}

export const WalkUpBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 120 }),
  pitcherName: Type.String({ minLength: 1, maxLength: 100 }),
  pitcherHandle: Type.String({ maxLength: 100 }),
  format: formatSchema,
  _csrf: CsrfField,
})

export const walkUpMessages: FieldMessages = {
  title: { default: 'proposals.title.required', maxLength: 'proposals.title.tooLong' },
  pitcherName: { default: 'walkUp.name.required', maxLength: 'signUp.displayName.tooLong' },
  pitcherHandle: { default: 'walkUp.handle.tooLong' },
  format: { default: 'proposals.format.invalid' },
}

export const ProposalListQuery = Type.Object({
  sort: Type.Optional(Type.Union([Type.Literal('interest'), Type.Literal('newest'), Type.Literal('relevance')])),
  // Whatever was typed into the search box, in any shape: searchTerms makes words of it (issue 22).
  q: Type.Optional(Type.Unknown()),
  format: Type.Optional(Type.Union([Type.Literal(''), ...PROPOSAL_FORMATS.map((f) => Type.Literal(f))])),
  state: Type.Optional(Type.Union([Type.Literal(''), ...PROPOSAL_STATES.filter((s) => s !== 'merged').map((s) => Type.Literal(s))])),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
})

export function isFormat(value: unknown): value is ProposalFormat {
  return typeof value === 'string' && (PROPOSAL_FORMATS as readonly string[]).includes(value)
}
