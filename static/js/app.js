/* global HTMLElement */
// Progressive enhancement only: every page works without this file.
// Move focus to the error summary so screen-reader and keyboard users hear what went wrong first.
document.addEventListener('DOMContentLoaded', () => {
  const summary = document.querySelector('[data-focus-on-load]')
  if (summary instanceof HTMLElement) summary.focus()
})

// Copy-link buttons: hidden without JavaScript (the address is there to select), shown with it.
document.addEventListener('DOMContentLoaded', () => {
  for (const button of document.querySelectorAll('[data-copy]')) {
    const field = document.querySelector(button.getAttribute('data-copy'))
    if (!field || !navigator.clipboard) continue
    button.hidden = false
    button.addEventListener('click', () => {
      navigator.clipboard.writeText(field.value).then(() => {
        const done = button.getAttribute('data-copied') || button.textContent
        button.textContent = done
        // Say it to screen readers too, through the status region beside the button.
        const status = button.parentElement && button.parentElement.querySelector('[data-copy-status]')
        if (status) status.textContent = done
      }, () => field.select())
    })
  }
})

// A time zone picker may offer the zone this device is set to, for people who do not know
// their zone's IANA name: shown only when that zone is in the list and not already chosen.
document.addEventListener('DOMContentLoaded', () => {
  for (const offer of document.querySelectorAll('[data-device-zone]')) {
    const select = document.getElementById(offer.getAttribute('data-device-zone'))
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone
    if (!select || !zone || select.value === zone) continue
    const option = [...select.options].find((o) => o.value === zone)
    if (!option) continue
    const button = offer.querySelector('button')
    offer.querySelector('[data-device-zone-name]').textContent = option.textContent
    offer.hidden = false
    button.addEventListener('click', () => {
      select.value = zone
      offer.hidden = true
      select.focus()
    })
  }
})
