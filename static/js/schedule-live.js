/* global EventSource, DOMParser, CustomEvent, fetch, setInterval, setTimeout */
// Live updates for the schedule grid, the projector and the grid editor. Without this file
// those pages reload themselves every so often (a <noscript> refresh); with it, the page
// listens to the server's event stream and, on each change, fetches itself and swaps in the
// fresh [data-live-region]. data-live-every also refetches on a timer, so "now" and "next"
// roll forward on a projector nobody touches.
document.addEventListener('DOMContentLoaded', () => {
  const region = document.querySelector('[data-live-region]')
  if (!region) return
  const streamUrl = region.getAttribute('data-live')
  const every = Number(region.getAttribute('data-live-every')) || 0
  // Screen readers hear one short sentence, not the whole re-rendered grid.
  const status = document.createElement('p')
  status.className = 'visually-hidden'
  status.setAttribute('role', 'status')
  region.parentNode.insertBefore(status, region)
  let busy = false
  let again = false

  async function refresh (announce) {
    if (busy) { again = true; return }
    // Not in the middle of an organiser's drag or keyboard move: try again in a moment.
    if (document.querySelector('.is-picking, .is-dragging')) { setTimeout(() => refresh(announce), 2000); return }
    busy = true
    try {
      // The header tells the server this is a background refetch: it must not use up a flash message.
      const response = await fetch(window.location.href, { headers: { accept: 'text/html', 'x-live-refresh': '1' }, credentials: 'same-origin' })
      if (!response.ok) return
      const fresh = new DOMParser().parseFromString(await response.text(), 'text/html').querySelector('[data-live-region]')
      if (!fresh) return
      // A drag may have begun while the page was on its way: swapping now would drop it.
      if (document.querySelector('.is-picking, .is-dragging')) { setTimeout(() => refresh(announce), 2000); return }
      const focusedId = document.activeElement && document.activeElement.id
      region.innerHTML = fresh.innerHTML
      if (focusedId && document.getElementById(focusedId)) document.getElementById(focusedId).focus()
      if (announce) status.textContent = region.getAttribute('data-updated-text') || ''
      document.dispatchEvent(new CustomEvent('schedule:updated'))
    } catch {
      // Offline for a moment: the next message or tick tries again.
    } finally {
      busy = false
      if (again) { again = false; refresh(announce) }
    }
  }

  if (streamUrl && 'EventSource' in window) {
    const source = new EventSource(streamUrl)
    source.addEventListener('schedule', () => refresh(true))
  }
  if (every > 0) setInterval(() => refresh(false), every * 1000)
})
