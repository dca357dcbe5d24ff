// Schema pieces every form or route shares.
import { Type } from 'typebox'

/** Ids are 32-bit integers on PostgreSQL: anything larger is no id of ours (and would make PG throw). */
export const MAX_ID = 2_147_483_647

/** A database id in a URL. */
export const Id = Type.Integer({ minimum: 1, maximum: MAX_ID })

/** A slug in a URL (communities, events, meetups). */
export const Slug = Type.String({ minLength: 1, maxLength: 60 })
export const SlugParams = Type.Object({ slug: Slug })

/** The CSRF token every form posts; checked by plugins/csrf.ts, declared so schemas allow it. */
export const CsrfField = Type.Optional(Type.String({ maxLength: 200 }))

/** Where to go after a form (checked with safeNextPath before use). */
export const NextField = Type.Optional(Type.String({ maxLength: 2000 }))

/** A path segment that may be an id: digits within range, or null. */
export function idFromPath(ref: string): number | null {
  if (!/^\d{1,10}$/.test(ref)) return null
  const id = Number(ref)
  return id >= 1 && id <= MAX_ID ? id : null
}
