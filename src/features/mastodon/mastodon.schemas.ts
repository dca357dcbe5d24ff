import { Type, type Static } from 'typebox'
import type { FieldMessages } from '../../lib/forms.js'
import { CsrfField, NextField } from '../../lib/schema-fields.js'

export const MastodonStartBody = Type.Object({
  server: Type.String({ minLength: 1, maxLength: 300 }),
  next: NextField,
  _csrf: CsrfField,
})
export type MastodonStartBody = Static<typeof MastodonStartBody>

export const mastodonStartMessages: FieldMessages = {
  server: { default: 'mastodon.server.invalid', required: 'mastodon.server.required', minLength: 'mastodon.server.required' },
}

export const MastodonCallbackQuery = Type.Object({
  state: Type.Optional(Type.String({ maxLength: 200 })),
  code: Type.Optional(Type.String({ maxLength: 2000 })),
  error: Type.Optional(Type.String({ maxLength: 200 })),
  error_description: Type.Optional(Type.String({ maxLength: 2000 })),
})
export type MastodonCallbackQuery = Static<typeof MastodonCallbackQuery>
