// Secrets that travel in URLs (the personal calendar feed's token) are cut out before a URL
// is logged.
export function redactCalendarToken(url: string): string {
  return url.replace(/\/calendar\/[^/?#]+\.ics/, '/calendar/[secret].ics')
}
