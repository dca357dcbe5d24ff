/* global self, caches, fetch, importScripts, Request, Response, Headers, URL, URLSearchParams, setTimeout, clearTimeout */
// The service worker: keeps an event's grid, the person's agenda and session pages readable
// on bad venue wifi, and holds stars made offline until they can be sent. docs/offline.md
// says what it keeps and why; src/plugins/offline.ts serves it at /sw.js (scope: the site).
importScripts('/static/js/offline-store.js')

const store = self.hashcampOffline
const VERSION = 'v1'
const STATIC_CACHE = `hashcamp-static-${VERSION}`
const PAGES_CACHE = `hashcamp-pages-${VERSION}`
// Every cache this worker ever made starts so; one not of this version is dropped on activation.
const PREFIX = 'hashcamp-'

// What the pages need to look right offline even when the first visit came before the worker.
const STATIC_FILES = [
  '/static/css/app.css',
  '/static/js/app.js',
  '/static/js/offline.js',
  '/static/js/offline-store.js',
  '/static/js/schedule-live.js',
  '/static/img/favicon.svg',
  '/static/img/icon-192.png',
]

// The pages kept for reading offline: a grid, the agenda, a session. Nothing else.
const KEPT_PAGES = [
  /^\/events\/[^/]+\/schedule$/,
  /^\/me\/agenda$/,
  /^\/events\/[^/]+\/proposals\/\d+$/,
]

// How long a page may take on the network before the kept copy is shown instead. The network
// answer still arrives and replaces the kept copy, so the next visit is fresh.
const SLOW_NETWORK_MS = 4000
// Except just after a form was sent: the page it leads to must show what the form did (the
// star, the flash message), so then only a failed network brings out the kept copy.
const AFTER_POST_MS = 60000
let lastPostAt = 0

// Forms whose answer changes who is signed in: every kept page and waiting star goes. (The
// viewer header catches the rest, such as a session that ran out.)
const FORGET_PERSON_ON_POST = ['/sign-out', '/sign-in', '/sign-up', '/me/account/sign-out-everywhere', '/me/delete']
// The language switch: the kept pages are in the old language.
const FORGET_PAGES_ON_POST = ['/language']

const FETCHED_AT = 'hashcamp-fetched-at'
// The start of views/partials/_offline-notice.eta.
const NOTICE_MARKER = '<div class="notice offline-notice" role="status" data-offline-notice'
const VIEWER = 'hashcamp-viewer'

const isKeptPage = (url) => url.origin === self.location.origin && KEPT_PAGES.some((pattern) => pattern.test(url.pathname))

/** The cache key of a page: its address only (no Vary: the viewer check below does that job). */
const pageKey = (url) => new Request(url.origin + url.pathname + url.search)

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(STATIC_CACHE).then((cache) => cache.addAll(STATIC_FILES)).then(() => self.skipWaiting()))
})

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== STATIC_CACHE && name !== PAGES_CACHE) await caches.delete(name)
    }
    await self.clients.claim()
  })())
})

/** Forgets every kept page and every star not yet sent: a different person, or nobody, now. */
async function forgetPerson () {
  await caches.delete(PAGES_CACHE)
  await store.forgetStars()
  await store.setMeta('viewer', null)
}

/** The server names whose page this is; a change of person drops what was kept for the last one. */
async function noteViewer (response) {
  const viewer = response.headers.get(VIEWER)
  if (!viewer) return
  const known = await store.getMeta('viewer')
  if (known === viewer) return
  // Only a worker that has never seen a page yet has nothing to forget.
  if (known !== undefined) {
    await caches.delete(PAGES_CACHE)
    await store.forgetStars()
  }
  await store.setMeta('viewer', viewer)
}

function keepable (response) {
  if (response.status !== 200 || response.type !== 'basic' || response.redirected) return false
  if (!(response.headers.get('content-type') || '').startsWith('text/html')) return false
  return !/no-store/.test(response.headers.get('cache-control') || '')
}

/** Keeps a copy of a page with the time it was fetched, after checking whose page it is. */
async function keepPage (url, response) {
  await noteViewer(response)
  if (!keepable(response)) return
  const headers = new Headers(response.headers)
  headers.set(FETCHED_AT, new Date().toISOString())
  const copy = new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers })
  const cache = await caches.open(PAGES_CACHE)
  await cache.put(pageKey(url), copy)
}

/** A kept page, marked so that static/js/offline.js shows when it was fetched. */
async function keptCopy (url, reason) {
  const cache = await caches.open(PAGES_CACHE)
  const kept = await cache.match(pageKey(url), { ignoreVary: true })
  if (!kept) return null
  const fetchedAt = kept.headers.get(FETCHED_AT) || ''
  // The marker holds < and ", which escaped user text never does, so only the notice matches.
  const html = (await kept.text()).replace(NOTICE_MARKER, `${NOTICE_MARKER} data-fetched-at="${fetchedAt.replace(/[^0-9TZ:.-]/g, '')}" data-reason="${reason}"`)
  const headers = new Headers(kept.headers)
  headers.delete('content-length')
  return new Response(html, { status: 200, headers })
}

/** Network first; the kept copy when the network fails, or while it is slow. */
function keptPageResponse (event, url) {
  const network = fetch(event.request).then((response) => {
    event.waitUntil(keepPage(url, response.clone()).catch(() => {}))
    return response
  })
  event.waitUntil(network.catch(() => {}))
  return new Promise((resolve) => {
    let settled = false
    const answer = (response) => { if (!settled && response) { settled = true; resolve(response) } }
    const patient = Date.now() - lastPostAt < AFTER_POST_MS
    const timer = patient ? null : setTimeout(() => keptCopy(url, 'slow').then(answer), SLOW_NETWORK_MS)
    network.then(
      (response) => { clearTimeout(timer); answer(response) },
      async () => {
        clearTimeout(timer)
        answer((await keptCopy(url, 'offline')) || Response.error())
      },
    )
  })
}

/** Any other page: straight from the network, but its viewer header is still read. */
function otherPageResponse (event) {
  return fetch(event.request).then((response) => {
    event.waitUntil(noteViewer(response).catch(() => {}))
    return response
  })
}

/** Stale-while-revalidate for css, js and images. */
async function staticResponse (event) {
  const cache = await caches.open(STATIC_CACHE)
  const kept = await cache.match(event.request, { ignoreVary: true })
  const network = fetch(event.request).then(async (response) => {
    if (response.ok && response.type === 'basic') await cache.put(event.request, response.clone())
    return response
  })
  if (kept) {
    event.waitUntil(network.catch(() => {}))
    return kept
  }
  return network
}

/**
 * A star or unstar: sent now if the network answers, else queued with its CSRF token and
 * answered at once. A plain form (a navigation) goes back to the page it came from, where
 * static/js/offline.js shows the star as waiting; a fetch gets 202 with hashcamp-queued: 1.
 */
async function starResponse (event) {
  const body = await event.request.clone().text()
  try {
    return await fetch(event.request)
  } catch {
    const form = new URLSearchParams(body)
    await store.queueStar({ action: new URL(event.request.url).pathname, body, starred: form.get('starred') === '1', queuedAt: new Date().toISOString() })
    if (self.registration.sync) self.registration.sync.register('hashcamp-stars').catch(() => {})
    if (event.request.mode !== 'navigate') return new Response(null, { status: 202, headers: { 'hashcamp-queued': '1' } })
    const next = form.get('next') || ''
    const back = next.startsWith('/') && !next.startsWith('//') && !next.includes('\\') ? next : '/me/agenda'
    return Response.redirect(new URL(back, self.location.origin).href, 303)
  }
}

/** Sends the queue and tells every open page what happened. */
async function sendStars () {
  const outcome = await store.sendQueued()
  for (const client of await self.clients.matchAll({ type: 'window' })) client.postMessage({ type: 'hashcamp-stars', outcome })
  // Background Sync tries again later when something is still waiting.
  if (outcome.waiting) throw new Error('stars still waiting for the network')
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url)
  if (url.origin !== self.location.origin) return
  if (event.request.method === 'POST') {
    lastPostAt = Date.now()
    if (FORGET_PERSON_ON_POST.includes(url.pathname)) event.waitUntil(forgetPerson())
    else if (FORGET_PAGES_ON_POST.includes(url.pathname)) event.waitUntil(caches.delete(PAGES_CACHE))
    else if (store.STAR_PATH.test(url.pathname) && !event.request.headers.get(store.REPLAY_HEADER)) event.respondWith(starResponse(event))
    return
  }
  if (event.request.method !== 'GET') return
  if (event.request.mode === 'navigate') {
    event.respondWith(isKeptPage(url) ? keptPageResponse(event, url) : otherPageResponse(event))
  } else if (url.pathname.startsWith('/static/')) {
    event.respondWith(staticResponse(event))
  } else if (isKeptPage(url) && event.request.headers.get('x-live-refresh')) {
    // The open grid refetching itself (static/js/schedule-live.js): keep the fresher copy too.
    event.respondWith(fetch(event.request).then((response) => {
      event.waitUntil(keepPage(url, response.clone()).catch(() => {}))
      return response
    }))
  }
})

self.addEventListener('message', (event) => {
  const data = event.data || {}
  if (data.type === 'keep' && typeof data.url === 'string') {
    // A page opened before this worker was in charge: fetch it again to keep a copy. The
    // live-refresh header tells the server not to use up a flash message on it.
    const url = new URL(data.url)
    if (isKeptPage(url)) {
      event.waitUntil(fetch(pageKey(url), { headers: { 'x-live-refresh': '1' }, credentials: 'same-origin' }).then((response) => keepPage(url, response)).catch(() => {}))
    }
  } else if (data.type === 'send-stars') {
    event.waitUntil(sendStars().catch(() => {}))
  }
})

self.addEventListener('sync', (event) => {
  if (event.tag === 'hashcamp-stars') event.waitUntil(sendStars())
})
