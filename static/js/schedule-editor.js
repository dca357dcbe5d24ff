/* global fetch, DOMParser, URLSearchParams, FormData, requestAnimationFrame, cancelAnimationFrame */
// Drag and drop for the organisers' grid editor, on top of forms that work without it.
// Pointer (mouse, pen, finger): drag a session by its grip onto a cell; near an edge of the
// grid, or of the window, the grid scrolls, so cells below the fold can be reached on a
// tablet. A mouse may also drag the whole session (HTML drag and drop). Keyboard: "Move"
// picks a session up; the arrow keys go from cell to cell; Enter or Space puts it down
// (swapping with a session already there); Escape puts it back.
// Whichever way, the page's own forms are posted (the hidden place form, Pin, Take off,
// Undo), with fetch: the fresh grid from the answer replaces the old one without a reload,
// the grid keeps its scroll position, and the answer's message is read out.
(function () {
  let picked = null
  let drag = null
  /** Scroll positions of the grid and the list, by id: a fresh copy opens where the organiser left it. */
  const scrolls = {}
  /** Which control had focus (by session and kind), to give it back when the grid is swapped. */
  let focusKey = null
  /** The session whose ⋯ menu is open: someone else's edit must not snap it shut. */
  let openMenu = null

  const editor = () => document.querySelector('[data-editor]')
  const region = () => document.querySelector('[data-live-region]')

  document.addEventListener('scroll', (event) => {
    const el = event.target
    if (el && el.nodeType === 1 && el.id && el.hasAttribute('data-keep-scroll')) scrolls[el.id] = { top: el.scrollTop, left: el.scrollLeft }
  }, true)
  function restoreScroll () {
    for (const id of Object.keys(scrolls)) {
      const el = document.getElementById(id)
      if (el) { el.scrollTop = scrolls[id].top; el.scrollLeft = scrolls[id].left }
    }
  }

  document.addEventListener('focusin', (event) => {
    const el = event.target
    const session = el.closest && el.closest('[data-session]')
    if (!session || !region() || !region().contains(el)) return
    const kind = el.matches('.session__menu-button') ? '.session__menu-button' : el.matches('[data-move]') ? '[data-move]' : '.session__title'
    focusKey = { session: session.getAttribute('data-session'), kind }
  })
  document.addEventListener('toggle', (event) => {
    const menu = event.target
    if (!menu.matches || !menu.matches('.session__menu')) return
    const session = menu.closest('[data-session]')
    if (menu.open) openMenu = session.getAttribute('data-session')
    else if (openMenu === session.getAttribute('data-session')) openMenu = null
  }, true)
  function restoreMenu () {
    const session = openMenu && document.getElementById('session-' + openMenu)
    const menu = session && session.querySelector('.session__menu')
    if (menu) menu.open = true
  }

  function restoreFocus () {
    if (!focusKey || (document.activeElement && document.activeElement !== document.body)) return
    const session = document.getElementById('session-' + focusKey.session)
    const target = session && (session.querySelector(focusKey.kind) || session.querySelector('.session__title'))
    if (target && target.offsetParent !== null) target.focus({ preventScroll: true })
  }

  /** The message the answer carries: the editor's notice, or an error page's sentence. */
  function noticeFrom (doc, ok) {
    if (!doc) return null
    if (ok) return doc.querySelector('[data-editor-notice]')
    const sentence = doc.querySelector('main p')
    return sentence ? sentence.textContent.trim() : null
  }

  function showNotice (fresh, warning) {
    const notice = document.querySelector('[data-editor-notice]')
    if (!notice) return
    const text = notice.querySelector('[data-editor-notice-text]')
    for (const form of notice.querySelectorAll('form')) form.remove()
    let message = ''
    if (typeof fresh === 'string') {
      message = fresh
    } else if (fresh) {
      message = (fresh.querySelector('[data-editor-notice-text]') || fresh).textContent.trim()
      for (const form of fresh.querySelectorAll('form')) notice.appendChild(document.importNode(form, true))
    }
    notice.classList.toggle('notice', message !== '')
    notice.classList.toggle('notice--warning', Boolean(warning))
    // Same text again (two drops in a row) must still be read out: clear, then set.
    text.textContent = ''
    text.textContent = message
  }

  /**
   * Posts a form as the browser would, then swaps in the grid from the page the answer
   * redirects to. `after(fresh)` may move focus once the new grid is in.
   */
  async function send (form, extra, after) {
    const body = new URLSearchParams(new FormData(form))
    for (const name of Object.keys(extra || {})) body.set(name, extra[name])
    const root = editor()
    if (root) root.setAttribute('aria-busy', 'true')
    let doc = null
    let ok = false
    try {
      const response = await fetch(form.action, { method: 'POST', body, credentials: 'same-origin', headers: { accept: 'text/html' } })
      ok = response.ok
      doc = new DOMParser().parseFromString(await response.text(), 'text/html')
    } catch {
      doc = null
    }
    if (root) root.removeAttribute('aria-busy')
    const fresh = ok && doc && doc.querySelector('[data-live-region]')
    if (fresh && region()) {
      region().innerHTML = fresh.innerHTML
      restoreScroll()
      setup()
      showNotice(noticeFrom(doc, true), false)
      if (after) after()
    } else {
      showNotice(noticeFrom(doc, false) || (root && root.getAttribute('data-text-failed')) || '', true)
    }
  }

  // Pin, Take off and Undo: the same forms, without the reload.
  document.addEventListener('submit', (event) => {
    const form = event.target
    if (!form.matches || !form.matches('[data-editor-form]') || !editor()) return
    event.preventDefault()
    const button = event.submitter
    const extra = button && button.name ? { [button.name]: button.value } : null
    const session = form.closest('[data-session]')
    const id = session ? session.getAttribute('data-session') : form.elements.proposal && form.elements.proposal.value
    const restoring = form.action.endsWith('/schedule/restore')
    openMenu = null
    send(form, extra, () => {
      // After Take off, the next thing is likely Undo; after Undo or Pin, the session itself.
      const undo = document.querySelector('[data-editor-notice] button')
      const session = id && document.getElementById('session-' + id)
      if (!restoring && undo && !extra) undo.focus()
      else if (session) (session.querySelector('.session__menu-button') || session.querySelector('.session__title')).focus()
    })
  })

  function setup () {
    const grid = document.querySelector('[data-grid][data-editable]')
    const form = document.querySelector('[data-place-form]')
    if (!grid || !form) return
    if (editor()) editor().classList.add('is-enhanced')
    const cells = Array.from(grid.querySelectorAll('[data-cell]'))
    const status = document.querySelector('[data-editor-status]')
    const say = (text) => { if (status) status.textContent = text }

    function place (proposalId, cell, withFocus) {
      if (cell.getAttribute('data-occupant') === proposalId) return
      form.elements.proposal.value = proposalId
      form.elements.slot.value = cell.getAttribute('data-slot')
      form.elements.room.value = cell.getAttribute('data-room')
      form.elements.expected.value = cell.getAttribute('data-occupant')
      send(form, null, () => {
        if (!withFocus) return
        const session = document.getElementById('session-' + proposalId)
        if (session) session.querySelector('.session__title').focus()
      })
    }

    // Mouse: HTML drag and drop of the whole session.
    for (const session of document.querySelectorAll('[data-session]')) {
      session.setAttribute('draggable', 'true')
      session.addEventListener('dragstart', (event) => {
        if (drag) { event.preventDefault(); return }
        event.dataTransfer.setData('text/plain', session.getAttribute('data-session'))
        event.dataTransfer.effectAllowed = 'move'
        session.classList.add('is-dragging')
      })
      session.addEventListener('dragend', () => session.classList.remove('is-dragging'))
    }
    for (const cell of cells) {
      cell.addEventListener('dragover', (event) => { event.preventDefault(); cell.classList.add('is-target') })
      cell.addEventListener('dragleave', () => cell.classList.remove('is-target'))
      cell.addEventListener('drop', (event) => {
        event.preventDefault()
        cell.classList.remove('is-target')
        const id = event.dataTransfer.getData('text/plain')
        if (id) place(id, cell, false)
      })
    }

    // Pointer events: the grip of any session, by mouse, pen or touch.
    const EDGE = 56
    const STEP = 22
    function cellAt (x, y) {
      const hit = document.elementFromPoint(x, y)
      const cell = hit && hit.closest('[data-cell]')
      return cell && grid.contains(cell) ? cell : null
    }
    function target (cell) {
      if (drag.target === cell) return
      if (drag.target) drag.target.classList.remove('is-target')
      drag.target = cell
      if (cell) cell.classList.add('is-target')
    }
    // While the pointer rests near an edge, keep scrolling: the finger need not wiggle.
    function autoScroll (time) {
      if (!drag) return
      const { x, y } = drag
      // By the time passed, not per frame: a busy tablet draws fewer frames, and the grid
      // should still move at the same pace under the finger (STEP is per 60th of a second).
      const frames = drag.lastFrame && time ? Math.min(4, Math.max(0.25, (time - drag.lastFrame) / (1000 / 60))) : 1
      drag.lastFrame = time
      const speed = (distance) => Math.ceil(frames * STEP * Math.min(1, Math.max(0, (EDGE - distance) / EDGE)))
      const box = document.getElementById('grid')
      if (box) {
        const r = box.getBoundingClientRect()
        const top = Math.max(r.top, 0)
        const bottom = Math.min(r.bottom, window.innerHeight)
        const left = Math.max(r.left, 0)
        const right = Math.min(r.right, window.innerWidth)
        if (y >= top && y <= bottom) {
          if (x > right - EDGE && x <= right + EDGE) box.scrollLeft += speed(right - x)
          else if (x < left + EDGE && x >= left) box.scrollLeft -= speed(x - left)
        }
        if (x >= left && x <= right) {
          if (y > bottom - EDGE) box.scrollTop += speed(bottom - y)
          else if (y < top + EDGE) box.scrollTop -= speed(y - top)
        }
      }
      if (y > window.innerHeight - EDGE) window.scrollBy(0, speed(window.innerHeight - y))
      else if (y < EDGE) window.scrollBy(0, -speed(y))
      target(cellAt(x, y))
      drag.frame = requestAnimationFrame(autoScroll)
    }
    function endDrag (drop) {
      const ending = drag
      if (!ending) return
      drag = null
      cancelAnimationFrame(ending.frame)
      if (ending.handle.hasPointerCapture(ending.pointerId)) ending.handle.releasePointerCapture(ending.pointerId)
      ending.ghost.remove()
      ending.session.classList.remove('is-dragging')
      document.body.classList.remove('is-pointer-dragging')
      if (ending.target) ending.target.classList.remove('is-target')
      const cell = drop ? cellAt(ending.x, ending.y) : null
      if (cell) place(ending.id, cell, false)
      else say(grid.getAttribute('data-text-stopped'))
    }
    for (const handle of document.querySelectorAll('[data-session] [data-handle]')) {
      const session = handle.closest('[data-session]')
      handle.addEventListener('pointerdown', (event) => {
        if (!event.isPrimary || event.button !== 0 || drag) return
        event.preventDefault()
        handle.setPointerCapture(event.pointerId)
        const ghost = document.createElement('div')
        ghost.className = 'drag-ghost'
        ghost.setAttribute('aria-hidden', 'true')
        ghost.textContent = session.getAttribute('data-title')
        document.body.appendChild(ghost)
        drag = { id: session.getAttribute('data-session'), session, handle, ghost, pointerId: event.pointerId, x: event.clientX, y: event.clientY, target: null, frame: 0 }
        ghost.style.left = event.clientX + 'px'
        ghost.style.top = event.clientY + 'px'
        session.classList.add('is-dragging')
        document.body.classList.add('is-pointer-dragging')
        const editing = editor()
        say(((editing && editing.getAttribute('data-text-dragging')) || '').replace('{title}', () => session.getAttribute('data-title')))
        drag.frame = requestAnimationFrame(autoScroll)
      })
      handle.addEventListener('pointermove', (event) => {
        if (!drag || event.pointerId !== drag.pointerId) return
        drag.x = event.clientX
        drag.y = event.clientY
        drag.ghost.style.left = event.clientX + 'px'
        drag.ghost.style.top = event.clientY + 'px'
        target(cellAt(event.clientX, event.clientY))
      })
      handle.addEventListener('pointerup', (event) => {
        if (!drag || event.pointerId !== drag.pointerId) return
        drag.x = event.clientX
        drag.y = event.clientY
        endDrag(true)
      })
      handle.addEventListener('pointercancel', () => endDrag(false))
      handle.addEventListener('lostpointercapture', () => { if (drag && drag.handle === handle) endDrag(false) })
    }

    // Keyboard: a roving focus over the cells while a session is picked up.
    const columns = grid.querySelectorAll('thead th').length - 1
    function stop (returnTo) {
      for (const cell of cells) { cell.removeAttribute('tabindex'); cell.removeAttribute('aria-label'); cell.classList.remove('is-target') }
      grid.classList.remove('is-picking')
      picked = null
      if (returnTo) returnTo.focus()
    }
    function focusCell (cell) {
      for (const other of cells) { other.setAttribute('tabindex', '-1'); other.classList.remove('is-target') }
      cell.setAttribute('tabindex', '0')
      cell.classList.add('is-target')
      cell.focus()
    }
    for (const link of document.querySelectorAll('[data-move]')) {
      link.addEventListener('click', (event) => {
        if (!cells.length) return
        event.preventDefault()
        // A Move inside a session's ⋯ menu: close the menu; Escape returns to its button.
        const menu = link.closest('details')
        if (menu) menu.removeAttribute('open')
        picked = { id: link.getAttribute('data-move'), from: menu ? menu.querySelector('summary') : link }
        grid.classList.add('is-picking')
        for (const cell of cells) {
          const occupant = cell.querySelector('[data-session]')
          cell.setAttribute('aria-label', cell.getAttribute('data-label') + ': ' + (occupant ? occupant.getAttribute('data-title') : grid.getAttribute('data-text-empty')))
        }
        const title = (link.closest('[data-session]') || link).getAttribute('data-title') || ''
        say(grid.getAttribute('data-text-picked').replace('{title}', () => title))
        focusCell(cells.find((c) => c.getAttribute('data-occupant') === picked.id) || cells[0])
      })
    }
    grid.addEventListener('keydown', (event) => {
      if (!picked) return
      const index = cells.indexOf(document.activeElement)
      if (index === -1) return
      const moves = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns }
      if (event.key in moves) {
        event.preventDefault()
        const next = cells[index + moves[event.key]]
        if (next) focusCell(next)
      } else if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault()
        const id = picked.id
        stop(null)
        place(id, cells[index], true)
      } else if (event.key === 'Escape') {
        event.preventDefault()
        say(grid.getAttribute('data-text-stopped'))
        stop(picked.from)
      }
    })
  }

  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && drag) { event.preventDefault(); drag.handle.releasePointerCapture(drag.pointerId) }
  })
  document.addEventListener('DOMContentLoaded', setup)
  // The live script swapped in a fresh grid (someone else's edit): same scroll, same focus.
  document.addEventListener('schedule:updated', () => { restoreScroll(); restoreMenu(); setup(); restoreFocus() })
})()
