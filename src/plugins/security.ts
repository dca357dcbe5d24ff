import helmet, { type HelmetOptions } from 'helmet'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import { usesHttps, type Config } from '../config.js'

function helmetOptions(config: Config): Readonly<HelmetOptions> {
  const https = usesHttps(config)
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'base-uri': ["'self'"],
        'object-src': ["'none'"],
        // Only upgrade when we really are served over https; on a plain-http
        // install it would break every stylesheet and script.
        ...(https ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    strictTransportSecurity: https ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  }
}

/**
 * The headers helmet writes with these options, worked out once. Our policy has no
 * per-request part (no nonces), so every response gets the same headers; @fastify/helmet
 * built helmet's middleware afresh for every request (parsing the policy each time), which
 * was about a twentieth of a small page's time.
 */
export function securityHeaders(config: Config): Record<string, string> {
  const headers: Record<string, string> = {}
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = String(value)
    },
    removeHeader() {},
  } as unknown as ServerResponse
  helmet(helmetOptions(config))({} as IncomingMessage, recorder, (error?: unknown) => {
    if (error) throw error
  })
  return headers
}

/**
 * For the few forms whose answer is a redirect to another site (share on Mastodon, sign in with
 * Mastodon or Bluesky): browsers apply `form-action` to where a form's redirects lead, so the
 * site-wide 'self' would stop them. Only the page that carries such a form calls this; plain
 * http only where config.allowPrivatePeers lets the app talk to test or trial servers.
 */
export function allowFormToOtherSites(reply: FastifyReply, options: { http: boolean } = { http: false }): void {
  const csp = reply.getHeader('content-security-policy')
  if (typeof csp === 'string') reply.header('content-security-policy', csp.replace("form-action 'self'", `form-action 'self' https:${options.http ? ' http:' : ''}`))
}

/**
 * Security headers. The Content-Security-Policy allows scripts and styles from this
 * origin only: no inline script, no third-party code, so a stored <script> in user text
 * can never run even if escaping were missed somewhere.
 */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    const headers = securityHeaders(config)
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers)
      done()
    })
  },
  { name: 'security' },
)
