// What each email notice is about. A notice is queued with a snapshot of the facts as they
// were when it happened (the outbox's payload) and rendered from that when it is sent, so
// a message says what changed even if something changed again before it went.
import type { MeetupRow, ReportItemKind } from '../../db/database.js'
import type { SessionRow } from '../calendars/calendars.queries.js'
import type { LinkFacts } from '../accounts/account-links.js'

/** What a person can turn off, one switch per topic (preferences and unsubscribe links). */
export const NOTICE_TOPICS = ['rsvps', 'meetupChanges', 'reminders', 'sessionChanges', 'proposals', 'hostMessages', 'moderation'] as const
export type NoticeTopic = (typeof NOTICE_TOPICS)[number]

export type SessionChange = 'moved' | 'retimed' | 'cancelled'

export type Notice =
  | { kind: 'rsvpGoing'; meetup: MeetupRow }
  | { kind: 'rsvpWaitlisted'; meetup: MeetupRow; position: number }
  | { kind: 'rsvpPromoted'; meetup: MeetupRow }
  | { kind: 'rsvpWithdrawn'; meetup: MeetupRow }
  | { kind: 'meetupChanged'; meetup: MeetupRow; waiting: boolean }
  // `reason`: the hosts' words, quoted in the email (absent from notices queued before issue 22).
  | { kind: 'meetupCancelled'; meetup: MeetupRow; reason?: string | null }
  // A cancellation taken back within the day (issue 22): a fresh invite, like a change.
  | { kind: 'meetupRestored'; meetup: MeetupRow; waiting: boolean }
  | { kind: 'meetupReminder'; meetup: MeetupRow }
  | { kind: 'sessionChanged'; session: SessionRow; change: SessionChange; time_zone: string }
  | { kind: 'proposalDecided'; event: { slug: string; name: string }; proposal: { id: number; title: string }; state: 'accepted' | 'declined' }
  | { kind: 'hostMessage'; meetup: Pick<MeetupRow, 'slug' | 'title'>; from: string; body: string; messageId?: number }
  // About the account itself: these go whatever the switches say, and to unconfirmed addresses.
  | { kind: 'verifyEmail'; link: LinkFacts; to: string; change: boolean }
  | { kind: 'passwordReset'; link: LinkFacts }
  | { kind: 'passwordChanged' }
  | { kind: 'emailChanged'; to: string; newEmail: string }
  // issue 20: the reporter hears the outcome; the author hears what was hidden and why, never who reported it.
  | { kind: 'reportDecided'; item: { kind: ReportItemKind; title: string }; outcome: 'hidden' | 'dismissed' }
  | { kind: 'itemHidden'; item: { kind: ReportItemKind; title: string; path: string }; reason: string }

export type NoticeKind = Notice['kind']

/** 'account': mail about the account itself, which nobody can switch off (nor should want to). */
export const TOPIC_OF: Record<NoticeKind, NoticeTopic | 'account'> = {
  rsvpGoing: 'rsvps',
  rsvpWaitlisted: 'rsvps',
  rsvpPromoted: 'rsvps',
  rsvpWithdrawn: 'rsvps',
  meetupChanged: 'meetupChanges',
  meetupCancelled: 'meetupChanges',
  meetupRestored: 'meetupChanges',
  meetupReminder: 'reminders',
  sessionChanged: 'sessionChanges',
  proposalDecided: 'proposals',
  hostMessage: 'hostMessages',
  verifyEmail: 'account',
  passwordReset: 'account',
  passwordChanged: 'account',
  emailChanged: 'account',
  reportDecided: 'moderation',
  itemHidden: 'moderation',
}

export function isNoticeTopic(value: unknown): value is NoticeTopic {
  return typeof value === 'string' && (NOTICE_TOPICS as readonly string[]).includes(value)
}
