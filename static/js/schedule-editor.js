/* global */
// Drag and drop for the organisers' grid editor, on top of forms that work without it.
// Mouse: drag a session (from the grid or the list below it) onto a cell. Keyboard: "Move"
// picks a session up; the arrow keys go from cell to cell; Enter or Space puts it down
// (swapping with a session already there); Escape puts it back. Either way the page's
// hidden place form is filled in and sent, exactly as the no-JavaScript buttons send it.
(function () {
  let picked = null

  function setup () {
    const grid = document.querySelector('[data-grid][data-editable]')
    const form = document.querySelector('[data-place-form]')
    if (!grid || !form) return
    const cells = Array.from(grid.querySelectorAll('[data-cell]'))
    const status = document.querySelector('[data-editor-status]')
    const say = (text) => { if (status) status.textContent = text }

    function place (proposalId, cell) {
      if (cell.getAttribute('data-occupant') === proposalId) return
      form.elements.proposal.value = proposalId
      form.elements.slot.value = cell.getAttribute('data-slot')
      form.elements.room.value = cell.getAttribute('data-room')
      form.elements.expected.value = cell.getAttribute('data-occupant')
      form.submit()
    }

    for (const session of document.querySelectorAll('[data-session]')) {
      session.setAttribute('draggable', 'true')
      session.addEventListener('dragstart', (event) => {
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
        if (id) place(id, cell)
      })
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
        picked = { id: link.getAttribute('data-move'), from: link }
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
        const target = cells[index + moves[event.key]]
        if (target) focusCell(target)
      } else if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault()
        place(picked.id, cells[index])
      } else if (event.key === 'Escape') {
        event.preventDefault()
        say(grid.getAttribute('data-text-stopped'))
        stop(picked.from)
      }
    })
  }

  document.addEventListener('DOMContentLoaded', setup)
  document.addEventListener('schedule:updated', setup)
})()
