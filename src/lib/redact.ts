// Secrets that travel in URLs are cut out before a URL is logged: the personal calendar
// feed's token, an unsubscribe link's signature (which turns someone's emails off), and the
// password-reset and email-confirmation links (which act for an account).
export function redactUrlSecrets(url: string): string {
  return url.replace(/\/calendar\/[^/?#]+\.ics/, '/calendar/[secret].ics').replace(/\/unsubscribe\/[^/?#]+/, '/unsubscribe/[secret]').replace(/\/(password-reset|verify-email)\/(?!sent\b)[^/?#]+/, '/$1/[secret]')
}
