import helmet from '@fastify/helmet'
import fp from 'fastify-plugin'
import { usesHttps, type Config } from '../config.js'

/**
 * Security headers. The Content-Security-Policy allows scripts and styles from this
 * origin only: no inline script, no third-party code, so a stored <script> in user text
 * can never run even if escaping were missed somewhere.
 */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    const https = usesHttps(config)
    await app.register(helmet, {
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
    })
  },
  { name: 'security' },
)
