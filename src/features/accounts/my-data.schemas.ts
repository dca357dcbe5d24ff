// The "Delete my account" form: the current password (so a borrowed, signed-in browser cannot
// do it) and what becomes of their proposals and topics.
import { Type, type Static } from 'typebox'
import type { FieldMessages } from '../../lib/forms.js'
import { CsrfField } from '../../lib/schema-fields.js'
import { MAX_PASSWORD_LENGTH } from './accounts.schemas.js'

export const CONTENT_CHOICES = ['keep', 'withdraw'] as const

export const DeleteAccountBody = Type.Object({
  content: Type.Union(CONTENT_CHOICES.map((c) => Type.Literal(c))),
  // Absent for an account without a password (Mastodon or Bluesky sign-in); required of the others by the route.
  password: Type.Optional(Type.String({ maxLength: MAX_PASSWORD_LENGTH })),
  _csrf: CsrfField,
})
export type DeleteAccountBody = Static<typeof DeleteAccountBody>

export const deleteAccountMessages: FieldMessages = {
  content: { default: 'erasure.content.required', required: 'erasure.content.required' },
  password: { default: 'erasure.password.required', required: 'erasure.password.required', maxLength: 'erasure.password.wrong' },
}
