// Secrets that travel in URLs are cut out before a URL is logged: the personal calendar
// feed's token, and an unsubscribe link's signature (which turns someone's emails off).
export function redactUrlSecrets(url: string): string {
  return url.replace(/\/calendar\/[^/?#]+\.ics/, '/calendar/[secret].ics').replace(/\/unsubscribe\/[^/?#]+/, '/unsubscribe/[secret]')
}
