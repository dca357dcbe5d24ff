import formBody from '@fastify/formbody'
import fp from 'fastify-plugin'
import { UnusableInputError } from '../lib/http-errors.js'
import { cleanMultiLine, cleanSingleLine, hasNulByte } from '../lib/text-input.js'

/** Fields whose value is kept exactly as typed (a password may start with a space). */
const UNTRIMMED = /password/i

/**
 * Fields typed into a textarea, which keep their line breaks. Every other text field is
 * one line. A new textarea's field name belongs here.
 */
const MULTI_LINE = new Set(['description', 'bio', 'body', 'venueAddress', 'accessibilityNotes', 'codeOfConduct', 'reason'])

function cleanField(name: string, value: string): string {
  return MULTI_LINE.has(name) ? cleanMultiLine(value) : cleanSingleLine(value)
}

/**
 * HTML forms post application/x-www-form-urlencoded, which Fastify core does not parse.
 * Text typed into forms is cleaned before validation (src/lib/text-input.ts): trimmed, so
 * "  " counts as empty and " ann@example.org" is a valid email, and rid of controls,
 * bidi overrides and invisible characters, so what is saved is what a person sees.
 */
export default fp(
  async (app) => {
    await app.register(formBody, { bodyLimit: 256 * 1024 })
    app.addHook('preValidation', async (request) => {
      // A NUL in the address reaches route params and queries, and PostgreSQL refuses it
      // in text (a 500 before this). Nobody types one: a 400 that says so, on both dialects.
      if (hasNulByte(request.url)) throw new UnusableInputError('error.400.nulByte')
      // Whatever the content type: a JSON body must not slip "   " past a minLength either.
      const body = request.body as Record<string, unknown> | null
      if (!body || typeof body !== 'object') return
      for (const [name, value] of Object.entries(body)) {
        if (UNTRIMMED.test(name)) continue
        if (typeof value === 'string') body[name] = cleanField(name, value)
        else if (Array.isArray(value)) body[name] = value.map((one: unknown) => (typeof one === 'string' ? cleanField(name, one) : one))
      }
    })
  },
  { name: 'forms' },
)
