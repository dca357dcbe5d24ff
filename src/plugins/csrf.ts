import csrfProtection from '@fastify/csrf-protection'
import fp from 'fastify-plugin'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Every state-changing request must carry the CSRF token (the `_csrf` hidden field that
 * views/partials/_csrf.eta puts in every form). Checked for every route at once, so a new
 * POST route is protected without anyone remembering to ask for it. A missing or wrong
 * token reaches the error handler as a 403.
 */
export default fp(
  async (app) => {
    await app.register(csrfProtection, { sessionPlugin: '@fastify/secure-session' })
    app.addHook('preHandler', (request, reply, done) => {
      // A POST to no route at all is a 404, not a CSRF failure.
      if (SAFE_METHODS.has(request.method) || request.is404) return done()
      app.csrfProtection(request, reply, done)
    })
  },
  { name: 'csrf', dependencies: ['session'] },
)
