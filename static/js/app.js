/* global HTMLElement */
// Progressive enhancement only: every page works without this file.
// Move focus to the error summary so screen-reader and keyboard users hear what went wrong first.
document.addEventListener('DOMContentLoaded', () => {
  const summary = document.querySelector('[data-focus-on-load]')
  if (summary instanceof HTMLElement) summary.focus()
})
