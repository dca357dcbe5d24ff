// Who may see and who may run a meetup: anyone may read it; its hosts (and admins) manage it.
import type { Kysely } from 'kysely'
import type { Database, MeetupRow } from '../../db/database.js'
import { ForbiddenError, GoneError, NotFoundError } from '../../lib/http-errors.js'
import type { CurrentUser } from '../../plugins/auth.js'
import { maySeeHiddenItem } from '../moderation/moderation.service.js'
import { findTombstone } from '../deletions/deletions.queries.js'
import { findMeetupBySlug, findMeetupToReply, isMeetupHost } from './meetups.queries.js'

export async function meetupOr404(db: Kysely<Database>, slug: string, user: CurrentUser | null) {
  const meetup = await findMeetupBySlug(db, slug)
  if (!meetup) {
    // Deleted by its hosts: the page says so (410), rather than that it never was.
    if (await findTombstone(db, 'meetup', slug)) throw new GoneError(`meetup ${slug} was deleted`)
    throw new NotFoundError(`no meetup ${slug}`)
  }
  const isHost = user !== null && (user.role === 'admin' || (await isMeetupHost(db, meetup.id, user.id)))
  // A hidden meetup is there only for its hosts, its author and its moderators (issue 20).
  if (meetup.hidden_at && !isHost && !(await maySeeHiddenItem(db, user, 'meetup', meetup.id))) throw new NotFoundError(`meetup ${slug} is hidden`)
  return { meetup, isHost }
}

/**
 * The meetup, for someone answering it as an attendee: an RSVP needs no host check, so a
 * visible meetup costs one read, which also brings the person's own reply and whether they
 * hear about it (meetups.queries.ts findMeetupToReply). A missing or hidden one goes through
 * meetupOr404's rules; `seen` is then undefined, and the RSVP reads the reply itself.
 */
export async function meetupToReply(db: Kysely<Database>, slug: string, user: CurrentUser) {
  const seen = await findMeetupToReply(db, slug, user.id)
  if (!seen || seen.hidden_at) return { meetup: (await meetupOr404(db, slug, user)).meetup, seen: undefined }
  return { meetup: seen as MeetupRow, seen }
}

export async function hostOnly(db: Kysely<Database>, slug: string, user: CurrentUser | null) {
  const context = await meetupOr404(db, slug, user)
  if (!context.isHost) throw new ForbiddenError('only hosts may do this')
  return context
}
