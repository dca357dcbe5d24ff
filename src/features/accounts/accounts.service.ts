// Sign-up and sign-in rules: the parts that are more than one query.
import type { Kysely } from 'kysely'
import type { Database, UserRow } from '../../db/database.js'
import { isUniqueViolation } from '../../db/errors.js'
import type { FormErrors } from '../../lib/forms.js'
import { hashForUnknownAccount, hashPassword, isCommonPassword, verifyPassword } from './passwords.js'
import { claimFirstAdmin, findUserByEmail, insertUser, setUserRole } from './users.queries.js'
import { sendConfirmation } from './recovery.service.js'

export interface SignUpInput {
  displayName: string
  email: string
  password: string
  /** The language picked with the switch before signing up, kept on the account. */
  locale: string | null
}

export type SignUpResult = { ok: true; user: UserRow } | { ok: false; errors: FormErrors }

const emailTaken: FormErrors = { email: { key: 'signUp.email.taken' } }

/**
 * Creates an account and emails a link to confirm its address. The very first account on a site becomes its admin (decided by
 * a claim that only one sign-up can win, even when two arrive together).
 */
export async function signUp(db: Kysely<Database>, input: SignUpInput, now: Date): Promise<SignUpResult> {
  if (isCommonPassword(input.password)) return { ok: false, errors: { password: { key: 'signUp.password.common' } } }
  if (await findUserByEmail(db, input.email)) return { ok: false, errors: emailTaken }

  const passwordHash = await hashPassword(input.password)
  try {
    const user = await db.transaction().execute(async (trx) => {
      const stamp = now.toISOString()
      const created = await insertUser(trx, {
        email: input.email,
        password_hash: passwordHash,
        display_name: input.displayName,
        locale: input.locale,
        role: 'member',
        created_at: stamp,
        updated_at: stamp,
      })
      // Everything works at once; notices wait until the address is confirmed.
      await sendConfirmation(trx, created, input.email, now)
      if (await claimFirstAdmin(trx, created.id)) {
        await setUserRole(trx, created.id, 'admin', stamp)
        return { ...created, role: 'admin' as const }
      }
      return created
    })
    return { ok: true, user }
  } catch (error) {
    // Two sign-ups with one email at the same moment: the unique index decides.
    if (isUniqueViolation(error)) return { ok: false, errors: emailTaken }
    throw error
  }
}

/**
 * The account for this email and password, or null. An unknown email and a wrong
 * password look the same to the caller and take the same time.
 */
export async function checkCredentials(db: Kysely<Database>, email: string, password: string): Promise<UserRow | null> {
  const user = await findUserByEmail(db, email)
  if (!user) {
    await verifyPassword(password, await hashForUnknownAccount())
    return null
  }
  return (await verifyPassword(password, user.password_hash)) ? user : null
}
