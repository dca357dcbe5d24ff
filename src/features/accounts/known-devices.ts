// "Device cookies" (OWASP's answer to lockout attacks): a browser that has signed in to an
// account carries a signed cookie that vouches for it. Failures from browsers without one
// count towards the account-wide ceiling, so a stranger can lock strangers out but never
// the owner's own browser. The cookie names no account: it holds when it was issued and
// an HMAC over that and the account's email, so only a sign-in to that email can use it.
import crypto from 'node:crypto'

export const KNOWN_DEVICE_COOKIE = 'hashcamp_device'
export const KNOWN_DEVICE_DAYS = 365
const DAY_MS = 24 * 60 * 60 * 1000

function normalEmail(email: string): string {
  return email.trim().toLowerCase()
}

export class KnownDevices {
  private readonly key: Buffer

  constructor(sessionKey: Buffer) {
    // Its own key, derived from the session key, so one value cannot stand in for the other.
    this.key = Buffer.from(crypto.hkdfSync('sha256', sessionKey, 'hashcamp', 'known-device-cookie', 32))
  }

  private mac(email: string, issuedAt: number): string {
    return crypto.createHmac('sha256', this.key).update(`${issuedAt}\n${normalEmail(email)}`).digest('base64url')
  }

  /** The cookie's value for a browser that has just signed in to `email`. */
  issue(email: string, now: Date): string {
    const issuedAt = now.getTime()
    return `${issuedAt}.${this.mac(email, issuedAt)}`
  }

  /** True when `cookie` was issued to a browser that signed in to `email`, and has not expired. */
  vouchesFor(cookie: string | undefined, email: string, now: Date): boolean {
    const match = /^(\d{1,15})\.([\w-]{43})$/.exec(cookie ?? '')
    if (!match) return false
    const issuedAt = Number(match[1])
    if (now.getTime() - issuedAt > KNOWN_DEVICE_DAYS * DAY_MS || issuedAt > now.getTime() + DAY_MS) return false
    const expected = Buffer.from(this.mac(email, issuedAt))
    const given = Buffer.from(match[2]!)
    return expected.length === given.length && crypto.timingSafeEqual(expected, given)
  }
}
