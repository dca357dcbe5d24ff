// Bad venue wifi (docs/offline.md): the web app manifest, the service worker at the site's
// root, and the header that tells the service worker whose pages it is keeping.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import fp from 'fastify-plugin'
import { sessionId } from './session.js'
import { STATIC_DIR } from './static.js'

/**
 * Names the person a page was made for, without being a credential: a hash of the session id,
 * or "anon". The service worker drops every page it keeps (and stars waiting to be sent) when
 * this changes, so a shared phone never shows one person's agenda to the next, even when the
 * first one's session just ran out instead of being signed out.
 */
export const VIEWER_HEADER = 'hashcamp-viewer'

/** The service worker's own script: served from / so that its scope is the whole site. */
const SERVICE_WORKER_FILE = path.join(STATIC_DIR, 'sw.js')

/** The brand colour of static/css/app.css (--brand): the phone's title bar. */
export const THEME_COLOUR = '#0b4f6c'

export function viewerOf(id: string | null, signedIn: boolean): string {
  if (!id || !signedIn) return 'anon'
  return crypto.createHash('sha256').update(id).digest('hex').slice(0, 32)
}

export default fp(
  async (app) => {
    const serviceWorker = fs.readFileSync(SERVICE_WORKER_FILE)

    // A new version must reach phones at once: browsers check the worker on every visit when
    // its script may not be kept (they never keep it past a day whatever we say).
    app.get('/sw.js', (_request, reply) => {
      void reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').header('service-worker-allowed', '/').send(serviceWorker)
    })

    app.get('/manifest.webmanifest', (request, reply) => {
      const { t, locale } = request.i18n
      const manifest = {
        name: 'Hashcamp',
        short_name: 'Hashcamp',
        description: t('layout.footer.about'),
        lang: locale,
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: THEME_COLOUR,
        background_color: '#ffffff',
        icons: [
          { src: '/static/img/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/static/img/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/static/img/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      }
      void reply.type('application/manifest+json; charset=utf-8').header('cache-control', 'public, max-age=3600').send(JSON.stringify(manifest))
    })

    // Callback style: it runs for every response.
    app.addHook('onSend', (request, reply, payload, done) => {
      const type = reply.getHeader('content-type')
      if (typeof type === 'string' && type.startsWith('text/html')) {
        reply.header(VIEWER_HEADER, viewerOf(sessionId(request), request.currentUser !== null))
      }
      done(null, payload)
    })
  },
  { name: 'offline', dependencies: ['session', 'auth', 'i18n', 'static'] },
)
