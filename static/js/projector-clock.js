/* global setInterval */
// The projector's clock ticks in the browser: the page itself is fetched again only every 30
// seconds (schedule-live.js), which would leave the clock up to half a minute behind. It shows
// the event's time zone, whatever the laptop's own is. Not loaded for a preview (?at=).
document.addEventListener('DOMContentLoaded', () => {
  const first = document.querySelector('[data-clock-zone]')
  if (!first) return
  const format = new Intl.DateTimeFormat(first.getAttribute('data-clock-locale') || 'en-GB', {
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: first.getAttribute('data-clock-zone')
  })
  function tick () {
    // Looked up each time: the live refresh replaces the element.
    const clock = document.querySelector('[data-clock-zone]')
    const text = format.format(new Date())
    if (clock && clock.textContent !== text) clock.textContent = text
  }
  tick()
  setInterval(tick, 1000)
})
