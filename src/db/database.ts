// The Database interface Kysely types every query with. One table interface per table,
// written by hand because two dialects return the same values only if we choose types
// both can give: text for timestamps (UTC ISO-8601 written by the app), integers for booleans.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely'

export type Role = 'member' | 'organiser' | 'admin'

export interface UsersTable {
  id: Generated<number>
  /** Stored lower-cased, so the unique index makes "Ann@X.org" and "ann@x.org" one account. */
  email: string
  password_hash: string
  display_name: string
  /** Optional unique handle for /people/:handle; lower-case letters, digits, - and _. */
  handle: string | null
  bio: Generated<string>
  x_handle: string | null
  mastodon_handle: string | null
  bluesky_handle: string | null
  role: Generated<Role>
  /** 'en' | 'cy' once the person has picked a language; null until then. */
  locale: string | null
  created_at: string
  updated_at: string
}

/** One row per counted attempt (a failed sign-in, a sign-up); see lib/rate-limit.ts. */
export interface RateLimitHitsTable {
  id: Generated<number>
  bucket: string
  created_at: string
}

/** Small key/value facts about this installation, e.g. that the first admin was claimed. */
export interface SiteSettingsTable {
  key: string
  value: string
}

export interface Database {
  users: UsersTable
  rate_limit_hits: RateLimitHitsTable
  site_settings: SiteSettingsTable
}

export type UserRow = Selectable<UsersTable>
export type NewUser = Insertable<UsersTable>
export type UserUpdate = Updateable<UsersTable>
