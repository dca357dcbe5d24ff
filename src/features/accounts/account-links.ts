// Emailed links that act for an account: "choose a new password" and "confirm your email".
// A link is `<row id>.<HMAC over the row>`. The row (account_links) makes it single-use and
// lets it expire; the HMAC, keyed from the site secret that is not in the database, means a
// copy of the database (or of the outbox, which holds the row's facts) cannot mint one.
import crypto from 'node:crypto'
import type { Kysely } from 'kysely'
import type { AccountLinkPurpose, AccountLinkRow, Database } from '../../db/database.js'

export const LINK_LIFETIME_MS: Record<AccountLinkPurpose, number> = {
  // Short: whoever holds a reset link holds the account.
  reset: 60 * 60 * 1000,
  // A day: people confirm when they next look at their email.
  verify: 24 * 60 * 60 * 1000,
}

/** What a link's signature covers; the outbox payload carries exactly this, never the MAC. */
export type LinkFacts = Pick<AccountLinkRow, 'id' | 'user_id' | 'purpose' | 'email' | 'expires_at'>

export type LinkCheck =
  | { ok: true; link: AccountLinkRow }
  | { ok: false; problem: 'unknown' | 'used' | 'expired' }

export class AccountLinks {
  private readonly key: Buffer

  constructor(secret: Buffer) {
    // Its own key, derived from the site secret, so no other signed value passes for a link.
    this.key = Buffer.from(crypto.hkdfSync('sha256', secret, 'hashcamp', 'account-link', 32))
  }

  private mac(facts: LinkFacts): Buffer {
    return crypto.createHmac('sha256', this.key).update([facts.id, facts.user_id, facts.purpose, facts.email ?? '', facts.expires_at].join('\n')).digest()
  }

  sign(facts: LinkFacts): string {
    return `${facts.id}.${this.mac(facts).toString('base64url')}`
  }

  /** The link's row when the token is genuine, for this purpose, unused and in date. Changes nothing. */
  async check(db: Kysely<Database>, token: string, purpose: AccountLinkPurpose, now: Date): Promise<LinkCheck> {
    const match = /^([1-9]\d{0,15})\.([\w-]{43})$/.exec(token)
    if (!match) return { ok: false, problem: 'unknown' }
    const link = await db.selectFrom('account_links').selectAll().where('id', '=', Number(match[1])).executeTakeFirst()
    if (!link || link.purpose !== purpose) return { ok: false, problem: 'unknown' }
    // Compared as text: base64url's last character carries two spare bits, so comparing decoded
    // bytes would let four spellings of one link through. One link, one spelling.
    const given = Buffer.from(match[2]!)
    const expected = Buffer.from(this.mac(link).toString('base64url'))
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return { ok: false, problem: 'unknown' }
    if (link.used_at) return { ok: false, problem: 'used' }
    if (link.expires_at <= now.toISOString()) return { ok: false, problem: 'expired' }
    return { ok: true, link }
  }
}

export async function createLink(db: Kysely<Database>, userId: number, purpose: AccountLinkPurpose, email: string | null, now: Date): Promise<AccountLinkRow> {
  // Links nobody can use any more are swept as new ones are made; the index on expires_at keeps it cheap.
  await db.deleteFrom('account_links').where('expires_at', '<', new Date(now.getTime() - LINK_LIFETIME_MS.verify).toISOString()).execute()
  return db
    .insertInto('account_links')
    .values({ user_id: userId, purpose, email, created_at: now.toISOString(), expires_at: new Date(now.getTime() + LINK_LIFETIME_MS[purpose]).toISOString() })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/**
 * Uses the link up. Only one of two requests racing with the same link gets true: the
 * update's WHERE used_at IS NULL decides, on both databases.
 */
export async function useLink(db: Kysely<Database>, id: number, now: Date): Promise<boolean> {
  const result = await db.updateTable('account_links').set({ used_at: now.toISOString() }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Retires every open link of this kind for the person (a reset makes older reset links useless). */
export async function retireLinks(db: Kysely<Database>, userId: number, purpose: AccountLinkPurpose, now: Date): Promise<void> {
  await db.updateTable('account_links').set({ used_at: now.toISOString() }).where('user_id', '=', userId).where('purpose', '=', purpose).where('used_at', 'is', null).execute()
}

export function factsOf(link: AccountLinkRow): LinkFacts {
  return { id: link.id, user_id: link.user_id, purpose: link.purpose, email: link.email, expires_at: link.expires_at }
}
