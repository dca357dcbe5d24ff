/* global HTMLFormElement, FormData, URL, URLSearchParams */
// Bad venue wifi (docs/offline.md), the page's side: registers the service worker
// (static/sw.js), says when the page is a copy kept on this device ("updated 10:42"), and
// queues stars made offline, sending them once the network is back. Every page works
// without this file; without it nothing is kept for offline either.
document.addEventListener('DOMContentLoaded', () => {
  const notice = document.querySelector('[data-offline-notice]')
  const store = window.hashcampOffline
  if (!notice || !store || !('serviceWorker' in navigator)) return
  const lang = document.documentElement.lang === 'cy' ? 'cy-GB' : 'en-GB'
  const timeOf = (date) => date.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' })
  const text = (key, time) => (notice.getAttribute(`data-text-${key}`) || '').replace('{time}', time || '')
  const say = (key, time) => { notice.textContent = text(key, time) }

  // Said after what the notice already says (offline since when), not instead of it.
  const sayQueued = () => {
    notice.textContent = `${notice.textContent.split(text('queued-notice'))[0].trim()} ${text('queued-notice')}`.trim()
  }

  const hadWorker = Boolean(navigator.serviceWorker.controller)
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {})
  // The first visit came before the worker: it fetches this page again to keep a copy.
  if (!hadWorker) {
    navigator.serviceWorker.ready.then((registration) => {
      if (registration.active) registration.active.postMessage({ type: 'keep', url: window.location.href })
    }).catch(() => {})
  }

  // A kept copy: the worker marked it with when it was fetched (static/sw.js, keptCopy).
  const fetchedAt = notice.getAttribute('data-fetched-at')
  const isCopy = Boolean(fetchedAt) && !Number.isNaN(Date.parse(fetchedAt))
  const shownAt = isCopy ? new Date(fetchedAt) : new Date()
  if (isCopy) say(notice.getAttribute('data-reason') === 'slow' ? 'slow' : 'offline', timeOf(shownAt))

  window.addEventListener('offline', () => say('gone', timeOf(shownAt)))
  window.addEventListener('online', () => {
    if (isCopy) say('back')
    else notice.textContent = ''
    sendStars()
  })

  // Stars: the forms of views/schedule/_star.eta, found by their action.
  const starPath = (form) => {
    try { return new URL(form.action, window.location.href).pathname } catch { return '' }
  }
  const starForms = (action) => [...document.querySelectorAll('form')].filter((form) => starPath(form) === action)

  /** Shows the star as the person left it, and whether it is still waiting for the network. */
  function showStar (form, starred, waiting) {
    const button = form.querySelector('button[name="starred"]')
    if (!button) return
    button.value = starred ? '0' : '1'
    button.setAttribute('aria-pressed', String(starred))
    button.classList.toggle('star--on', starred)
    const glyph = button.querySelector('[aria-hidden="true"]')
    if (glyph) glyph.textContent = starred ? '★' : '☆'
    let note = form.querySelector('.star-pending')
    if (waiting && !note) {
      note = document.createElement('span')
      note.className = 'star-pending'
      form.appendChild(note)
    }
    if (note) {
      if (waiting) note.textContent = notice.getAttribute('data-text-queued') || ''
      else note.remove()
    }
  }

  // Capture, before any other submit handler (the in-place taps of static/js): offline, the
  // star is queued here and nothing else runs. Online the form goes as usual; if the network
  // drops on the way the worker queues it instead (static/sw.js, starResponse).
  window.addEventListener('submit', (event) => {
    const form = event.target
    if (!(form instanceof HTMLFormElement) || navigator.onLine) return
    const action = starPath(form)
    if (!store.STAR_PATH.test(action)) return
    event.preventDefault()
    event.stopImmediatePropagation()
    const data = new FormData(form)
    const submitter = event.submitter
    if (submitter && submitter.name) data.set(submitter.name, submitter.value)
    const starred = data.get('starred') === '1'
    const entry = { action, body: new URLSearchParams(data).toString(), starred, queuedAt: new Date().toISOString() }
    store.queueStar(entry).then(() => {
      for (const each of starForms(action)) showStar(each, starred, true)
      sayQueued()
      return navigator.serviceWorker.ready
    }).then((registration) => {
      if (registration.sync) return registration.sync.register('hashcamp-stars')
    }).catch(() => {})
  }, true)

  // A star sent in place (static/js/in-place.js) that the worker queued when the network
  // dropped on the way: shown as waiting, like one made while offline.
  document.addEventListener('hashcamp:queued', (event) => {
    const form = event.target
    if (!(form instanceof HTMLFormElement)) return
    const action = starPath(form)
    if (!store.STAR_PATH.test(action)) return
    const starred = new URLSearchParams(event.detail && event.detail.body).get('starred') === '1'
    for (const each of starForms(action)) showStar(each, starred, true)
    sayQueued()
  })

  function showOutcome (outcome) {
    for (const star of outcome.sent) for (const form of starForms(star.action)) showStar(form, star.starred, false)
    if (outcome.refused.length) {
      // The page shows what the server had: reloading shows the star as it really is.
      for (const star of outcome.refused) for (const form of starForms(star.action)) showStar(form, !star.starred, false)
      say('refused')
    } else if (outcome.sent.length) {
      say('sent')
    }
  }

  function sendStars () {
    store.sendQueued().then(showOutcome).catch(() => {})
  }

  // The worker sent them (Background Sync) while this page was open.
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data && event.data.type === 'hashcamp-stars') showOutcome(event.data.outcome)
  })

  // Stars still waiting from an earlier visit: show them so, and send them if we can.
  store.queuedStars().then((queued) => {
    let shown = 0
    for (const star of queued) for (const form of starForms(star.action)) { showStar(form, star.starred, true); shown += 1 }
    if (shown && !navigator.onLine) sayQueued()
    if (queued.length && navigator.onLine) sendStars()
  }).catch(() => {})
})
