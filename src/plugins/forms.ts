import formBody from '@fastify/formbody'
import fp from 'fastify-plugin'

/** Fields whose value is kept exactly as typed (a password may start with a space). */
const UNTRIMMED = /password/i

/**
 * HTML forms post application/x-www-form-urlencoded, which Fastify core does not parse.
 * Text typed into forms is trimmed before validation, so "  " counts as empty and
 * " ann@example.org" is a valid email, as a person would expect.
 */
export default fp(
  async (app) => {
    await app.register(formBody, { bodyLimit: 256 * 1024 })
    app.addHook('preValidation', async (request) => {
      // Whatever the content type: a JSON body must not slip "   " past a minLength either.
      const body = request.body as Record<string, unknown> | null
      if (!body || typeof body !== 'object') return
      for (const [name, value] of Object.entries(body)) {
        if (typeof value === 'string' && !UNTRIMMED.test(name)) body[name] = value.trim()
      }
    })
  },
  { name: 'forms' },
)
