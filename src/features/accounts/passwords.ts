// Password hashing with scrypt from node:crypto. The parameters are stored with each
// hash, so they can be raised later without invalidating existing passwords.
import crypto from 'node:crypto'
import { promisify } from 'node:util'
import { createRequire } from 'node:module'

const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>

// N = 2^15, r = 8: 32 MiB and roughly 50-100 ms per hash on this class of machine.
const COST = { N: 2 ** 15, r: 8, p: 1 }
const KEY_LENGTH = 32
const SALT_LENGTH = 16

function options(N: number, r: number, p: number): crypto.ScryptOptions {
  return { N, r, p, maxmem: 256 * N * r }
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(SALT_LENGTH)
  const key = await scrypt(password, salt, KEY_LENGTH, options(COST.N, COST.r, COST.p))
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join('$')
}

/** False for an account without a password (it signs in with Mastodon or Bluesky), after as long a check. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  if (stored === null) {
    await verifyPassword(password, await hashForUnknownAccount())
    return false
  }
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64')
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, options(Number(n), Number(r), Number(p)))
  return crypto.timingSafeEqual(actual, expected)
}

/**
 * A hash of a random password, checked when the email is unknown so that "no such
 * account" takes as long as "wrong password" and the timing does not tell them apart.
 */
let dummyHash: Promise<string> | null = null
export function hashForUnknownAccount(): Promise<string> {
  dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'))
  return dummyHash
}

// The 49,000 most common passwords from @zxcvbn-ts/language-common (breach corpora);
// only those long enough to pass the length rule matter.
export const MIN_PASSWORD_LENGTH = 8
// The list (several MB with its siblings) is loaded at the first sign-up, not at start:
// most processes serve pages for hours without anyone choosing a password.
let commonPasswords: Set<string> | null = null
function loadCommonPasswords(): Set<string> {
  const { dictionary } = createRequire(import.meta.url)('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common')
  return new Set((dictionary['passwords-common'] as string[]).filter((p) => p.length >= MIN_PASSWORD_LENGTH).map((p) => p.toLowerCase()))
}

/** NCSC/NIST advice: no composition rules, but refuse passwords attackers try first. */
export function isCommonPassword(password: string): boolean {
  commonPasswords ??= loadCommonPasswords()
  return commonPasswords.has(password.toLowerCase())
}
