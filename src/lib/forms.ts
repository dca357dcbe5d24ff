// GOV.UK-style form errors: one list for the error summary at the top of the page (each
// entry links to its field) and one message per field for the inline error. Messages are
// catalogue keys, translated when the page renders, so a form re-rendered in Welsh says
// its errors in Welsh.
import type { FastifySchemaValidationError } from 'fastify/types/schema.js'
import type { MessageKey } from '../i18n/catalogues/en.js'
import type { MessageParams } from '../i18n/i18n.js'

export interface FieldError {
  key: MessageKey
  params?: MessageParams
}

/** Field name → its (first) error. Insertion order is the order the summary lists them. */
export type FormErrors = Record<string, FieldError>

/**
 * What to say for each field when the route's schema rejects it: keyed by JSON-schema
 * keyword ('minLength', 'maxLength', 'pattern', 'required', …), with 'default' as the
 * fallback. Listed in the order the fields appear on the page.
 */
export type FieldMessages = Record<string, Partial<Record<string, MessageKey>> & { default: MessageKey }>

function fieldOf(error: FastifySchemaValidationError): string | null {
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty?: string }).missingProperty
    return missing ?? null
  }
  const [, first] = error.instancePath.split('/')
  return first || null
}

function isBlank(body: unknown, field: string): boolean {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined
  return value === undefined || value === ''
}

/**
 * Turns Ajv's developer-facing errors into the form's own sentences, in page order.
 * A field left empty always gets its 'required' wording ("Enter a password"), whatever
 * rule it broke first ("at least 8 characters" would be a strange thing to say to nothing).
 */
export function errorsFromValidation(validation: FastifySchemaValidationError[], messages: FieldMessages, body: unknown): FormErrors {
  const byField = new Map<string, FieldError>()
  for (const error of validation) {
    const field = fieldOf(error)
    if (!field || !(field in messages) || byField.has(field)) continue
    const forField = messages[field]!
    const keyword = isBlank(body, field) && forField.required ? 'required' : error.keyword
    // A field missing from the post altogether (a stale or crafted form) gets a plain
    // "reload the page", never a message about limits it did not break.
    const key = forField[keyword] ?? (error.keyword === 'required' ? 'form.missing' : forField.default)
    byField.set(field, { key, params: error.params as MessageParams })
  }
  const ordered: FormErrors = {}
  for (const field of Object.keys(messages)) {
    const found = byField.get(field)
    if (found) ordered[field] = found
  }
  return ordered
}

/** Adds a rule the schema cannot express (a taken email, a common password), keeping page order. */
export function withError(errors: FormErrors, messages: FieldMessages, field: string, error: FieldError): FormErrors {
  const merged: FormErrors = { ...errors, [field]: errors[field] ?? error }
  const ordered: FormErrors = {}
  for (const name of [...Object.keys(messages), ...Object.keys(merged)]) {
    if (merged[name] && !(name in ordered)) ordered[name] = merged[name]
  }
  return ordered
}

/** Values to put back into the form: everything typed, minus fields that must never be echoed. */
export function keptValues(body: unknown, secretFields: readonly string[] = []): Record<string, string> {
  const values: Record<string, string> = {}
  if (body && typeof body === 'object') {
    for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
      if (name === '_csrf' || secretFields.includes(name)) continue
      if (typeof value === 'string') values[name] = value
    }
  }
  return values
}
