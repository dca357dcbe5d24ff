/* global CustomEvent, DOMParser, HTMLFormElement, URL, URLSearchParams, FormData, fetch, setTimeout */
// Taps that don't reload: votes, stars, RSVPs and topic votes. Progressive enhancement only.
//
// A form marked data-in-place="<id> [<id> …]" is posted with fetch exactly as the browser would
// post it (same fields, same CSRF token, the session cookie), the redirect is followed, and the
// elements with those ids are taken from the page that comes back and swapped into this one.
// The first id is the item holding the form. Scroll stays where it was, focus goes back to the
// equivalent button, and the page's flash message is said through the layout's live region.
// Nothing else on the page moves, so a list sorted by interest does not re-sort under the
// person's finger; the new order shows on the next load.
//
// Without JavaScript the same POST redirects back to the page with the item's #anchor.
// Anything unexpected (an error page, a sign-in page, no network, no such element) falls back to
// the normal submit: each of these forms says the state it wants (want=1, starred=0, going=yes),
// so sending it again does no harm.
(() => {
  if (!window.fetch || !window.DOMParser) return
  const busy = new Set()

  function submitButtons (root) {
    return Array.from(root.querySelectorAll('button, input[type="submit"]')).filter((b) => b.type === 'submit')
  }

  function formsLike (root, action) {
    return Array.from(root.querySelectorAll('form')).filter((f) => f.getAttribute('action') === action)
  }

  function announce (message) {
    const status = document.querySelector('[data-in-place-status]')
    if (!status || !message) return
    // Emptied first, so the same sentence twice in a row (vote, unvote, vote) is said again.
    status.textContent = ''
    setTimeout(() => { status.textContent = message }, 100)
  }

  function submitNormally (form, submitter) {
    form.setAttribute('data-in-place-off', '')
    if (form.requestSubmit) form.requestSubmit(submitter && submitter.form === form ? submitter : undefined)
    else form.submit()
  }

  document.addEventListener('submit', async (event) => {
    const form = event.target
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) return
    if (!form.hasAttribute('data-in-place') || form.hasAttribute('data-in-place-off')) return
    const ids = form.getAttribute('data-in-place').split(/\s+/).filter(Boolean)
    const item = ids.length ? document.getElementById(ids[0]) : null
    if (!item || !item.contains(form)) return
    event.preventDefault()
    if (busy.has(ids[0])) return
    busy.add(ids[0])

    const submitter = event.submitter || null
    const action = form.getAttribute('action')
    const formIndex = formsLike(item, action).indexOf(form)
    const buttonIndex = Math.max(0, submitButtons(form).indexOf(submitter))
    const body = new URLSearchParams()
    for (const [name, value] of new FormData(form)) if (typeof value === 'string') body.append(name, value)
    if (submitter && submitter.name) body.append(submitter.name, submitter.value)
    item.setAttribute('aria-busy', 'true')

    let fresh
    try {
      const response = await fetch(form.action, {
        method: 'POST',
        body,
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { accept: 'text/html' },
      })
      // The network dropped on the way and the service worker kept the form to send later
      // (static/sw.js): offline.js shows it as waiting; sending it again would queue it twice.
      if (response.status === 202 && response.headers.get('hashcamp-queued')) {
        item.removeAttribute('aria-busy')
        busy.delete(ids[0])
        form.dispatchEvent(new CustomEvent('hashcamp:queued', { bubbles: true, detail: { body: body.toString() } }))
        return
      }
      const type = response.headers.get('content-type') || ''
      if (!response.ok || !type.includes('text/html') || new URL(response.url).origin !== window.location.origin) throw new Error('unexpected response')
      fresh = new DOMParser().parseFromString(await response.text(), 'text/html')
      if (!fresh.getElementById(ids[0])) throw new Error('the item is not on the page that came back')
    } catch {
      item.removeAttribute('aria-busy')
      busy.delete(ids[0])
      submitNormally(form, submitter)
      return
    }

    const x = window.scrollX
    const y = window.scrollY
    for (const id of ids) {
      const old = document.getElementById(id)
      const replacement = fresh.getElementById(id)
      if (old && replacement) old.replaceWith(document.importNode(replacement, true))
    }
    const swapped = document.getElementById(ids[0])
    const forms = formsLike(swapped, action)
    const sameForm = forms[Math.min(Math.max(formIndex, 0), forms.length - 1)]
    const buttons = sameForm ? submitButtons(sameForm) : submitButtons(swapped)
    const target = buttons[Math.min(buttonIndex, buttons.length - 1)]
    if (target) {
      target.focus({ preventScroll: true })
    } else {
      swapped.setAttribute('tabindex', '-1')
      swapped.focus({ preventScroll: true })
    }
    window.scrollTo(x, y)
    const flash = fresh.querySelector('[data-flash]')
    announce(flash ? flash.textContent.trim().replace(/\s+/g, ' ') : '')
    busy.delete(ids[0])
  })
})()
