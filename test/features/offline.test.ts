// Bad venue wifi, the server's side (docs/offline.md): the web app manifest and the service
// worker are served as browsers need them (types, scope, a worker script never kept long),
// every page links them, and each HTML page names whose page it is without giving away the
// session, so the worker can forget one person's pages when the next one arrives.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { describe, test } from 'node:test'
import { STATIC_DIR } from '../../src/plugins/static.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { Browser } from '../helpers/browser.js'
import { person } from '../helpers/communities.js'

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): [number, number] {
  const bytes = fs.readFileSync(file)
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', `${file} is a PNG`)
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)]
}

describe('offline: manifest and service worker', () => {
  test('the service worker is served from the root, as JavaScript, checked again on every visit', async (t) => {
    const app = await buildTestApp(t)
    const response = await app.inject('/sw.js')
    assert.equal(response.statusCode, 200)
    assert.match(String(response.headers['content-type']), /^text\/javascript; charset=utf-8$/)
    assert.equal(response.headers['cache-control'], 'no-cache', 'a new worker must reach phones at once')
    assert.equal(response.headers['service-worker-allowed'], '/')
    assert.match(response.body, /importScripts\('\/static\/js\/offline-store\.js'\)/)
    assert.match(String(response.headers['content-security-policy']), /script-src 'self'/, 'the worker runs under the same policy')

    const store = await app.inject('/static/js/offline-store.js')
    assert.equal(store.statusCode, 200)
    assert.match(String(store.headers['content-type']), /javascript/)
  })

  test('the manifest: its own type, a name, standalone from /, the brand colour, icons at 192 and 512 px', async (t) => {
    const app = await buildTestApp(t)
    const response = await app.inject('/manifest.webmanifest')
    assert.equal(response.statusCode, 200)
    assert.match(String(response.headers['content-type']), /^application\/manifest\+json/)
    assert.match(String(response.headers['cache-control']), /max-age=3600/)
    const manifest = JSON.parse(response.body) as Record<string, unknown> & { icons: { src: string; sizes: string; type: string; purpose: string }[] }
    assert.equal(manifest.name, 'Hashcamp')
    assert.equal(manifest.short_name, 'Hashcamp')
    assert.equal(manifest.start_url, '/')
    assert.equal(manifest.display, 'standalone')
    const brand = /--brand:\s*(#[0-9a-f]{6})/i.exec(fs.readFileSync(path.join(STATIC_DIR, 'css/app.css'), 'utf8'))![1]
    assert.equal(manifest.theme_color, brand, 'the title bar takes the site header’s colour')
    for (const size of [192, 512]) {
      const icon = manifest.icons.find((i) => i.sizes === `${size}x${size}` && i.purpose === 'any')
      assert.ok(icon, `an icon of ${size} px`)
      assert.equal(icon.type, 'image/png')
      assert.deepEqual(pngSize(path.join(STATIC_DIR, icon.src.replace('/static/', ''))), [size, size])
      assert.equal((await app.inject(icon.src)).statusCode, 200)
    }
    assert.ok(manifest.icons.some((i) => i.purpose === 'maskable'), 'and one a phone may crop to its own shape')

    const welsh = JSON.parse((await app.inject('/manifest.webmanifest?lang=cy')).body) as { lang: string; description: string }
    assert.equal(welsh.lang, 'cy')
    assert.match(welsh.description, /Hashcamp/)
  })

  test('every page links the manifest, the theme colour and the offline script, and holds the empty status notice', async (t) => {
    const app = await buildTestApp(t)
    const html = (await new Browser(app).get('/')).html
    assert.match(html, /<link rel="manifest" href="\/manifest\.webmanifest">/)
    assert.match(html, /<meta name="theme-color" content="#0b4f6c">/)
    assert.match(html, /<script src="\/static\/js\/offline\.js" defer><\/script>/)
    assert.match(html, /<div class="notice offline-notice" role="status" data-offline-notice [^>]*data-text-offline="You’re offline: this is the copy saved on this device, updated \{time\}\."[^>]*><\/div>/)
    assert.doesNotMatch(html, /<script>/, 'no inline script: the policy allows none')
    // The worker finds the notice by the start of its tag to mark a kept copy (static/sw.js).
    const marker = '<div class="notice offline-notice" role="status" data-offline-notice'
    assert.ok(html.includes(marker))
    assert.ok((await app.inject('/sw.js')).body.includes(`'${marker}'`), 'the worker looks for the same marker')
  })

  test('each HTML page names its viewer by a hash that changes with the person and the session, never the session itself', async (t) => {
    const app = await buildTestApp(t)
    const visitor = new Browser(app)
    assert.equal((await visitor.get('/events')).response.headers['hashcamp-viewer'], 'anon')

    const ann = await person(app, 'Ann')
    const bo = await person(app, 'Bo')
    const annViewer = String((await ann.get('/me/agenda')).response.headers['hashcamp-viewer'])
    assert.match(annViewer, /^[0-9a-f]{32}$/)
    assert.equal((await ann.get('/events')).response.headers['hashcamp-viewer'], annViewer, 'the same for all of one session’s pages')
    assert.notEqual((await bo.get('/me/agenda')).response.headers['hashcamp-viewer'], annViewer, 'another person, another name')
    assert.ok(!ann.cookieHeader().includes(annViewer), 'not the cookie')

    await ann.get('/')
    assert.equal((await ann.post('/sign-out', {})).status, 303)
    assert.equal((await ann.get('/')).response.headers['hashcamp-viewer'], 'anon', 'signed out, the pages are nobody’s')

    assert.equal((await app.inject('/static/css/app.css')).headers['hashcamp-viewer'], undefined, 'only pages carry it')
    assert.equal((await app.inject('/manifest.webmanifest')).headers['hashcamp-viewer'], undefined)
  })
})
