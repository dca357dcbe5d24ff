import { Type, type Static } from 'typebox'
import { BLUESKY_HANDLE_PATTERN, MASTODON_HANDLE_PATTERN, X_HANDLE_PATTERN } from '../../lib/social-handles.js'
import type { FieldMessages } from '../../lib/forms.js'
import { MAX_NAME_LENGTH } from '../accounts/accounts.schemas.js'
import { CsrfField } from '../../lib/schema-fields.js'

export const MAX_BIO_LENGTH = 1000
/** Starts with a letter, so /people/:ref can tell a handle from a numeric id. */
export const HANDLE_PATTERN = '^[A-Za-z][A-Za-z0-9_-]{1,29}$'

/** An optional text field: empty, or matching the pattern. */
const optionalMatching = (pattern: string, maxLength: number) =>
  Type.String({ maxLength, pattern: `^$|${pattern}` })

export const PersonParams = Type.Object({ ref: Type.String({ minLength: 1, maxLength: 100 }) })

export const ProfileBody = Type.Object({
  displayName: Type.String({ minLength: 1, maxLength: MAX_NAME_LENGTH }),
  handle: optionalMatching(HANDLE_PATTERN, 30),
  bio: Type.String({ maxLength: MAX_BIO_LENGTH }),
  xHandle: optionalMatching(X_HANDLE_PATTERN, 16),
  mastodonHandle: optionalMatching(MASTODON_HANDLE_PATTERN, 300),
  blueskyHandle: optionalMatching(BLUESKY_HANDLE_PATTERN, 253),
  /** Empty: each item in its own zone. Checked against the zones Intl knows in the route. */
  timeZone: Type.Optional(Type.String({ maxLength: 64 })),
  _csrf: CsrfField,
})
export type ProfileBody = Static<typeof ProfileBody>

export const profileMessages: FieldMessages = {
  displayName: { default: 'signUp.displayName.required', required: 'signUp.displayName.required', maxLength: 'signUp.displayName.tooLong' },
  handle: { default: 'profile.handle.invalid' },
  bio: { default: 'profile.bio.tooLong' },
  xHandle: { default: 'profile.xHandle.invalid' },
  mastodonHandle: { default: 'profile.mastodonHandle.invalid' },
  blueskyHandle: { default: 'profile.blueskyHandle.invalid' },
  timeZone: { default: 'timeZone.invalid' },
}
