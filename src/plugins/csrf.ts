import csrfProtection from '@fastify/csrf-protection'
import fp from 'fastify-plugin'

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * false only where the URL itself is the credential and the request comes from outside
     * any page of ours: the one-click unsubscribe POST a mail client makes (RFC 8058), and
     * ActivityPub inboxes, where the sender's HTTP signature is checked instead.
     */
    csrf?: false
  }
}

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
      if (SAFE_METHODS.has(request.method) || request.is404 || request.routeOptions.config.csrf === false) return done()
      app.csrfProtection(request, reply, done)
    })
  },
  { name: 'csrf', dependencies: ['session'] },
)
