// Secrets that travel in URLs are cut out before a URL is logged: the personal calendar
// feed's token, an unsubscribe link's signature (which turns someone's emails off), and the
// password-reset and email-confirmation links (which act for an account).
export function redactUrlSecrets(url: string): string {
  return redactAddresses(url.replace(/\/calendar\/[^/?#]+\.ics/, '/calendar/[secret].ics').replace(/\/unsubscribe\/[^/?#]+/, '/unsubscribe/[secret]').replace(/\/(password-reset|verify-email)\/(?!sent\b)[^/?#]+/, '/$1/[secret]'))
}

// Logs keep no email address (docs/privacy.md): an address that reaches a log line (in a query
// string, or quoted by a mail server refusing a recipient) is replaced, so erasing an account
// leaves nothing in the logs to find.
const ADDRESS = /[^\s<>"'()/?&=:;,]+(?:@|%40)[^\s<>"'()/?&=:;,]+\.[^\s<>"'()/?&=:;,]+/gi

export function redactAddresses(text: string): string {
  return text.replace(ADDRESS, '[address]')
}
