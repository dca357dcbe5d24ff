/* global self, indexedDB, fetch */
// Stars made offline, kept in IndexedDB until they can be sent. Shared by the pages
// (static/js/offline.js) and the service worker (static/sw.js, through importScripts), so
// either can queue a star and either can send the queue: a star is "on" or "off", so sending
// one twice does no harm.
;(function (scope) {
  const NAME = 'hashcamp-offline'
  const STARS = 'stars'
  const META = 'meta'
  // The star form's action (views/schedule/_star.eta).
  const STAR_PATH = /^\/events\/[^/]+\/proposals\/\d+\/star$/
  // Sent with a queued star when it goes out again: the service worker lets it through
  // instead of queueing it a second time when the network is still down.
  const REPLAY_HEADER = 'hashcamp-replay'

  let opening = null
  function open () {
    if (!opening) {
      opening = new Promise((resolve, reject) => {
        const request = indexedDB.open(NAME, 1)
        request.onupgradeneeded = () => {
          // One entry per star form: starring then unstarring offline leaves only the last wish.
          request.result.createObjectStore(STARS, { keyPath: 'action' })
          request.result.createObjectStore(META)
        }
        request.onsuccess = () => resolve(request.result)
        request.onerror = () => reject(request.error)
      })
      opening.catch(() => { opening = null })
    }
    return opening
  }

  /** Runs work(store) in one transaction; resolves with the last request's result once it commits. */
  async function run (storeName, mode, work) {
    const db = await open()
    return new Promise((resolve, reject) => {
      const tx = db.transaction(storeName, mode)
      let last = null
      work(tx.objectStore(storeName), (request) => { last = request })
      tx.oncomplete = () => resolve(last ? last.result : undefined)
      tx.onerror = () => reject(tx.error)
      tx.onabort = () => reject(tx.error)
    })
  }

  const queuedStars = () => run(STARS, 'readonly', (store, keep) => keep(store.getAll()))

  /** Takes a star off the queue unless it was changed while it was being sent. */
  const dropSent = (entry) => run(STARS, 'readwrite', (store) => {
    const current = store.get(entry.action)
    current.onsuccess = () => {
      if (current.result && current.result.queuedAt === entry.queuedAt) store.delete(entry.action)
    }
  })

  async function send () {
    const outcome = { sent: [], refused: [], waiting: 0 }
    for (const entry of await queuedStars()) {
      let response
      try {
        response = await fetch(entry.action, {
          method: 'POST',
          body: entry.body,
          headers: { 'content-type': 'application/x-www-form-urlencoded', [REPLAY_HEADER]: '1' },
          credentials: 'same-origin',
          redirect: 'manual',
        })
      } catch {
        outcome.waiting += 1
        continue
      }
      // Any answer at all is final: asking again would not change a refusal (a token from a
      // session since ended, an event that no longer takes stars).
      await dropSent(entry)
      const accepted = response.type === 'opaqueredirect' || response.ok
      ;(accepted ? outcome.sent : outcome.refused).push({ action: entry.action, starred: entry.starred })
    }
    return outcome
  }

  let sending = null

  scope.hashcampOffline = {
    STAR_PATH,
    REPLAY_HEADER,
    /** entry: { action (path), body (the form, urlencoded, with its CSRF token), starred, queuedAt } */
    queueStar: (entry) => run(STARS, 'readwrite', (store) => { store.put(entry) }),
    queuedStars,
    forgetStars: () => run(STARS, 'readwrite', (store) => { store.clear() }),
    getMeta: (key) => run(META, 'readonly', (store, keep) => keep(store.get(key))),
    setMeta: (key, value) => run(META, 'readwrite', (store) => { store.put(value, key) }),
    /** Sends every queued star once; one sending at a time per page or worker. */
    sendQueued () {
      if (!sending) sending = send().finally(() => { sending = null })
      return sending
    },
  }
})(self)
