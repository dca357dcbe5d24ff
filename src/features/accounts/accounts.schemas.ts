// TypeBox schemas for the account forms, and what to say when each field fails them.
// Limits live here once: the schema enforces them and the messages quote them.
import { Type, type Static } from 'typebox'
import type { FieldMessages } from '../../lib/forms.js'
import { MIN_PASSWORD_LENGTH } from './passwords.js'
import { CsrfField, NextField } from '../../lib/schema-fields.js'

export const MAX_NAME_LENGTH = 100
export const MAX_EMAIL_LENGTH = 254
export const MAX_PASSWORD_LENGTH = 1000
/** Something@something.something, no spaces: strict enough to catch typos, loose enough for real addresses. */
export const EMAIL_PATTERN = '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$'

export const SignUpBody = Type.Object({
  displayName: Type.String({ minLength: 1, maxLength: MAX_NAME_LENGTH }),
  email: Type.String({ minLength: 1, maxLength: MAX_EMAIL_LENGTH, pattern: EMAIL_PATTERN }),
  password: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH }),
  next: NextField,
  _csrf: CsrfField,
})
export type SignUpBody = Static<typeof SignUpBody>

export const signUpMessages: FieldMessages = {
  displayName: { default: 'signUp.displayName.required', required: 'signUp.displayName.required', maxLength: 'signUp.displayName.tooLong' },
  email: { default: 'signUp.email.invalid', required: 'signUp.email.required', maxLength: 'signUp.email.tooLong' },
  password: { default: 'signUp.password.tooShort', required: 'signUp.password.required', maxLength: 'signUp.password.tooLong' },
}

export const SignInBody = Type.Object({
  email: Type.String({ minLength: 1, maxLength: MAX_EMAIL_LENGTH }),
  password: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }),
  next: NextField,
  _csrf: CsrfField,
})
export type SignInBody = Static<typeof SignInBody>

export const signInMessages: FieldMessages = {
  email: { default: 'signIn.email.required', required: 'signIn.email.required' },
  password: { default: 'signIn.password.required', required: 'signIn.password.required' },
}

export const NextQuery = Type.Object({ next: NextField })

export const PasswordResetBody = Type.Object({
  email: Type.String({ minLength: 1, maxLength: MAX_EMAIL_LENGTH, pattern: EMAIL_PATTERN }),
  _csrf: CsrfField,
})
export type PasswordResetBody = Static<typeof PasswordResetBody>

export const passwordResetMessages: FieldMessages = {
  email: { default: 'signUp.email.invalid', required: 'signUp.email.required', maxLength: 'signUp.email.tooLong' },
}

/** A link's token in the path: checked for shape and signature by AccountLinks, not here. */
export const LinkParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) })

export const ChoosePasswordBody = Type.Object({
  password: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH }),
  _csrf: CsrfField,
})
export type ChoosePasswordBody = Static<typeof ChoosePasswordBody>

export const choosePasswordMessages: FieldMessages = {
  password: signUpMessages.password!,
}

export const ConfirmBody = Type.Object({ _csrf: CsrfField })

export const ChangeEmailBody = Type.Object({
  email: Type.String({ minLength: 1, maxLength: MAX_EMAIL_LENGTH, pattern: EMAIL_PATTERN }),
  // Absent for an account without a password; required of the others by requestEmailChange.
  currentPasswordForEmail: Type.Optional(Type.String({ maxLength: MAX_PASSWORD_LENGTH })),
  _csrf: CsrfField,
})
export type ChangeEmailBody = Static<typeof ChangeEmailBody>

export const changeEmailMessages: FieldMessages = {
  email: { default: 'account.email.invalid', required: 'account.email.required', maxLength: 'signUp.email.tooLong' },
  currentPasswordForEmail: { default: 'account.password.currentRequired', required: 'account.password.currentRequired' },
}

export const ChangePasswordBody = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }),
  newPassword: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH }),
  _csrf: CsrfField,
})
export type ChangePasswordBody = Static<typeof ChangePasswordBody>

export const changePasswordMessages: FieldMessages = {
  currentPassword: { default: 'account.password.currentRequired', required: 'account.password.currentRequired' },
  newPassword: { default: 'signUp.password.tooShort', required: 'account.password.newRequired', maxLength: 'signUp.password.tooLong' },
}
