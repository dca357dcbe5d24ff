// Unsubscribe links that work without signing in: the token says whose switch and which
// one, and an HMAC proves the site wrote it. It never expires (an old email's link still
// works) and can only turn a notice off, so a leaked link costs at most one kind of email.
import crypto from 'node:crypto'
import { type NoticeTopic, isNoticeTopic } from './notices.js'

const MAC_BYTES = 16

export class UnsubscribeTokens {
  private readonly key: Buffer
  constructor(secret: Buffer) {
    // Its own key, derived from the site secret: a session cookie can never pass for a token.
    this.key = Buffer.from(crypto.hkdfSync('sha256', secret, 'hashcamp', 'unsubscribe-link', 32))
  }

  private mac(userId: number, topic: NoticeTopic): Buffer {
    return crypto.createHmac('sha256', this.key).update(`${userId}.${topic}`).digest().subarray(0, MAC_BYTES)
  }

  sign(userId: number, topic: NoticeTopic): string {
    return `${userId}.${topic}.${this.mac(userId, topic).toString('base64url')}`
  }

  verify(token: string): { userId: number; topic: NoticeTopic } | null {
    const [id, topic, mac, ...rest] = token.split('.')
    if (rest.length || !id || !/^[1-9]\d{0,15}$/.test(id) || !isNoticeTopic(topic) || !mac) return null
    const given = Buffer.from(mac, 'base64url')
    const expected = this.mac(Number(id), topic)
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null
    return { userId: Number(id), topic }
  }
}
