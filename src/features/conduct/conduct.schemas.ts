// The code of conduct fields: the admin's site-wide text, and the optional one a community
// or an event adds on top of it.
import { Type } from 'typebox'
import type { FieldMessages } from '../../lib/forms.js'
import { CsrfField } from '../../lib/schema-fields.js'

export const MAX_SITE_CODE = 20000
/** A community's or an event's own code, added to the site's. */
export const MAX_OWN_CODE = 10000

export const SiteCodeBody = Type.Object({
  codeOfConduct: Type.String({ minLength: 1, maxLength: MAX_SITE_CODE }),
  _csrf: CsrfField,
})

export const siteCodeMessages: FieldMessages = {
  codeOfConduct: { default: 'admin.conduct.tooLong', required: 'admin.conduct.required', minLength: 'admin.conduct.required' },
}

/** The field in the community and event forms; empty means "only the site's code". */
export const OwnCodeField = Type.Optional(Type.String({ maxLength: MAX_OWN_CODE }))

/**
 * The posted own code, or null when the form had no such field (a form from before it
 * existed): then the stored code is kept rather than wiped.
 */
export function postedOwnCode(fields: Record<string, unknown>): string | null {
  const value = fields.codeOfConduct
  return typeof value === 'string' ? value.replace(/\r\n/g, '\n') : null
}
