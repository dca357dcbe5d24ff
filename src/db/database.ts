// The Database interface Kysely types every query with. One table interface per table,
// written by hand because two dialects return the same values only if we choose types
// both can give: text for timestamps (UTC ISO-8601 written by the app), integers for booleans.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

export type Role = 'member' | 'organiser' | 'admin'
/** Why a row is hidden: a moderator acted on a report, or its author is suspended. */
export type HiddenCause = 'report' | 'suspension'

export interface UsersTable {
  id: Generated<number>
  /**
   * Stored lower-cased, so the unique index makes "Ann@X.org" and "ann@x.org" one account.
   * Null for an account made by signing in with Mastodon or Bluesky, until one is added.
   */
  email: string | null
  /** Null when the person signs in only with Mastodon or Bluesky. */
  password_hash: string | null
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
  /** When the person proved the address is theirs; until then no notices go to it. */
  email_verified_at: string | null
  created_at: string
  updated_at: string
  /** Set while hidden by a moderator or a suspension (issue 20): every list and page leaves it out. */
  hidden_at: Generated<string | null>
  /** Shown to its author on the item's page. */
  hidden_reason: Generated<string | null>
  hidden_cause: Generated<HiddenCause | null>
  /** While set the person cannot sign in, their sessions stop working and their content is hidden. */
  suspended_at: Generated<string | null>
  suspended_reason: Generated<string | null>
  /** The IANA zone the person reads times in; null: each item's own zone (issue 22). */
  time_zone: Generated<string | null>
}

export type IdentityProvider = 'mastodon' | 'bluesky'

/** An account at Mastodon or Bluesky that the person proved is theirs by signing in with it (issue 21). */
export interface UserIdentitiesTable {
  id: Generated<number>
  user_id: number
  provider: IdentityProvider
  /** Stable at the provider: "<server>/<account id>" for Mastodon, the DID for Bluesky. */
  subject: string
  /** ann@mastodon.social, ann.bsky.social: as last seen at sign-in. */
  handle: string
  profile_url: string | null
  display_name: string | null
  created_at: string
  last_signed_in_at: string | null
}

/** One sign-in started at a provider: single use, short-lived, bound to the browser that started it. */
export interface OauthAttemptsTable {
  id: Generated<number>
  /** 32 random bytes, base64url: the OAuth state parameter. */
  state: string
  provider: IdentityProvider
  /** The Mastodon host, or the Bluesky authorisation server (issuer). */
  server: string
  code_verifier: string
  /** Set when a signed-in person is linking an identity to their account. */
  link_user_id: number | null
  next_path: string | null
  created_at: string
  expires_at: string
  used_at: string | null
  dpop_private_jwk: string | null
  dpop_nonce: string | null
  /** Bluesky: the DID the typed handle named; the token must be for it. */
  expected_subject: Generated<string | null>
}

/** Our app's registration at one Mastodon server (POST /api/v1/apps), made once and kept. */
export interface OauthClientsTable {
  id: Generated<number>
  server: string
  client_id: string
  client_secret: string | null
  redirect_uri: string
  scopes: string
  created_at: string
}

export type AccountLinkPurpose = 'reset' | 'verify'

/** One emailed password-reset or verification link; see features/accounts/account-links.ts. */
export interface AccountLinksTable {
  id: Generated<number>
  user_id: number
  purpose: AccountLinkPurpose
  /** For 'verify': the address being confirmed. */
  email: string | null
  created_at: string
  expires_at: string
  used_at: string | null
}

/** A signed-in browser; the session cookie carries only `id` (128 random bits, hex). */
export interface SessionsTable {
  id: string
  user_id: number
  created_at: string
  expires_at: string
}

/** One row per counted attempt (a sign-in, a sign-up); see features/accounts/sign-in-throttle.ts. */
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

export type CommunityRole = 'host' | 'member'

export interface CommunitiesTable {
  id: Generated<number>
  slug: string
  name: string
  /** Without the leading #. */
  hashtag: string
  /** hashtagKey(hashtag), kept by the queries that write hashtag. */
  hashtag_key: Generated<string>
  /** Markdown, rendered to sanitised HTML on display. */
  description: Generated<string>
  /** Where the chat happens, in words ("On X and Bluesky, follow #lgovsm"). */
  chat_place: Generated<string>
  chat_url: string | null
  time_zone: string
  /** Markdown: the community's own code of conduct, on top of the site's; '' when it has none. */
  code_of_conduct: Generated<string>
  created_by: number | null
  created_at: string
  updated_at: string
}

export interface CommunityMembersTable {
  community_id: number
  user_id: number
  role: CommunityRole
  /** 1 when the person chose to appear in the public member list (0/1: SQLite has no booleans). */
  listed: Generated<number>
  joined_at: string
}

export interface ChatSchedulesTable {
  community_id: number
  kind: 'weekly' | 'monthly'
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number
  interval_weeks: Generated<number>
  /** 1–4, or -1 for the last such weekday of the month (monthly only). */
  nth: Generated<number>
  /** Local 'HH:MM' in the community's time zone. */
  start_time: string
  duration_minutes: number
  /** Local 'YYYY-MM-DD'. */
  starts_on: string
  ends_on: string | null
  /** Calendar SEQUENCE of every chat: bumped on each change of the schedule or its exceptions. */
  sequence: Generated<number>
  updated_at: string
  /** When the community switched its chats off ("no schedule"): feeds cancel what was to come. */
  stopped_at: string | null
}

export interface ChatExceptionsTable {
  id: Generated<number>
  community_id: number
  chat_date: string
  kind: 'skip' | 'move'
  moved_to_date: string | null
  moved_to_time: string | null
  created_at: string
}

export interface TopicsTable {
  id: Generated<number>
  community_id: number
  title: string
  description: Generated<string>
  proposed_by: number | null
  chat_date: string | null
  done: Generated<number>
  notes_url: string | null
  created_at: string
  updated_at: string
  /** Set while hidden by a moderator or a suspension (issue 20): every list and page leaves it out. */
  hidden_at: Generated<string | null>
  /** Shown to its author on the item's page. */
  hidden_reason: Generated<string | null>
  hidden_cause: Generated<HiddenCause | null>
}

export interface TopicVotesTable {
  topic_id: number
  user_id: number
  created_at: string
}

export const EVENT_PHASES = ['draft', 'proposals', 'pitching', 'published', 'finished'] as const
export type EventPhase = (typeof EVENT_PHASES)[number]
export const PROPOSAL_FORMATS = ['discussion', 'talk', 'workshop', 'show-and-tell', 'other'] as const
export type ProposalFormat = (typeof PROPOSAL_FORMATS)[number]
export const PROPOSAL_STATES = ['proposed', 'accepted', 'declined', 'withdrawn', 'scheduled', 'merged'] as const
export type ProposalState = (typeof PROPOSAL_STATES)[number]
/** What a session may need from its room; rooms will declare the same words. */
export const PROPOSAL_NEEDS = ['projector', 'step-free', 'hearing-loop', 'whiteboard', 'quiet-room', 'big-room'] as const
export type ProposalNeed = (typeof PROPOSAL_NEEDS)[number]

export interface EventsTable {
  id: Generated<number>
  slug: string
  name: string
  /** Without the leading #; may be empty. */
  hashtag: Generated<string>
  /** hashtagKey(hashtag), kept by the queries that write hashtag. */
  hashtag_key: Generated<string>
  community_id: number | null
  description: Generated<string>
  venue_name: Generated<string>
  venue_address: Generated<string>
  map_url: string | null
  time_zone: string
  first_day: string
  last_day: string
  day_starts: string
  day_ends: string
  phase: Generated<EventPhase>
  /** When the grid was first published (null: never); see docs/schedule.md. */
  schedule_published_at: Generated<string | null>
  /** Markdown: the event's own code of conduct, on top of the site's; '' when it has none. */
  code_of_conduct: Generated<string>
  created_by: number | null
  created_at: string
  updated_at: string
}

export interface EventOrganisersTable {
  event_id: number
  user_id: number
  added_at: string
}

export interface ProposalsTable {
  id: Generated<number>
  event_id: number
  title: string
  description: Generated<string>
  format: ProposalFormat
  /** Space-separated ProposalNeed words. */
  needs: Generated<string>
  state: Generated<ProposalState>
  proposer_id: number | null
  pitcher_name: string | null
  pitcher_handle: string | null
  walk_up: Generated<number>
  queue_position: number | null
  pitched: Generated<number>
  merged_into: number | null
  notes_url: string | null
  /** How many proposal_votes rows it has: kept by database triggers, never written by the app (the type forbids it). */
  vote_count: ColumnType<number, never, never>
  created_at: string
  /** The decision its proposer has been told of, if any: placing on an unpublished grid tells nobody yet. */
  told_state: Generated<'accepted' | 'declined' | null>
  updated_at: string
  /** Set while hidden by a moderator or a suspension (issue 20): every list and page leaves it out. */
  hidden_at: Generated<string | null>
  /** Shown to its author on the item's page. */
  hidden_reason: Generated<string | null>
  hidden_cause: Generated<HiddenCause | null>
}

export interface ProposalHostsTable {
  proposal_id: number
  user_id: number
}

export interface ProposalVotesTable {
  proposal_id: number
  user_id: number
  created_at: string
}

export const SLOT_KINDS = ['session', 'plenary', 'break', 'lunch'] as const
export type SlotKind = (typeof SLOT_KINDS)[number]
/**
 * Slots a session can be put in. A plenary (the welcome and pitches) is everyone together in
 * one place, like a break or lunch: a session there would run against it, so none may go in.
 */
export const SESSION_SLOT_KINDS: readonly SlotKind[] = ['session']
/** Slots with a programme, which "next" on the grid and the projector points to. */
export const PROGRAMME_SLOT_KINDS: readonly SlotKind[] = ['session', 'plenary']
export type ScheduleChangeKind = 'added' | 'moved' | 'cancelled' | 'retimed'

export interface RoomsTable {
  id: Generated<number>
  event_id: number
  name: string
  capacity: number
  location: Generated<string>
  /** Space-separated ProposalNeed words: what the room offers. */
  features: Generated<string>
  accessibility_notes: Generated<string>
  position: number
  created_at: string
  updated_at: string
}

export interface SlotsTable {
  id: Generated<number>
  event_id: number
  day: string
  start_time: string
  end_time: string
  /** UTC instants derived from day, times and the event's time zone. */
  starts_at: string
  ends_at: string
  kind: SlotKind
  label: Generated<string>
  created_at: string
  updated_at: string
}

export interface ScheduleEntriesTable {
  id: Generated<number>
  event_id: number
  proposal_id: number
  slot_id: number
  room_id: number
  pinned: Generated<number>
  cancelled_at: string | null
  sequence: Generated<number>
  created_at: string
  updated_at: string
}

export interface ScheduleChangesTable {
  id: Generated<number>
  event_id: number
  proposal_id: number | null
  kind: ScheduleChangeKind
  title: string
  from_room: string | null
  from_starts_at: string | null
  to_room: string | null
  to_starts_at: string | null
  created_at: string
}

export interface CalendarTokensTable {
  user_id: number
  /** At least 128 random bits, base64url; the personal feed's URL is /calendar/<token>.ics. */
  token: string
  created_at: string
}

export interface FeedVersionsTable {
  key: string
  etag: string
  changed_at: string
}

export interface StarsTable {
  proposal_id: number
  user_id: number
  created_at: string
}

export type MeetupState = 'scheduled' | 'cancelled'
export type AttendeeVisibility = 'public' | 'attendees' | 'hosts'
export type RsvpStatus = 'going' | 'waitlisted' | 'not_going'

export interface MeetupsTable {
  id: Generated<number>
  slug: string
  title: string
  description: Generated<string>
  starts_at: string
  ends_at: string
  time_zone: string
  venue_name: Generated<string>
  venue_address: Generated<string>
  map_url: string | null
  online_url: string | null
  capacity: number | null
  rsvp_opens_at: string | null
  rsvp_closes_at: string | null
  max_party_size: Generated<number>
  community_id: number | null
  event_id: number | null
  state: Generated<MeetupState>
  attendee_visibility: Generated<AttendeeVisibility>
  seats_taken: Generated<number>
  rsvp_version: Generated<number>
  /** Calendar SEQUENCE: bumped on every edit and on cancelling. */
  sequence: Generated<number>
  /** The starts_at whose day-before reminders are queued; null until then. */
  reminded_for: Generated<string | null>
  created_by: number | null
  created_at: string
  updated_at: string
  /** 1: listed on its event's page; 0: waiting for one of the event's organisers to approve. */
  event_approved: Generated<number>
  /** Set while hidden by a moderator or a suspension (issue 20): every list and page leaves it out. */
  hidden_at: Generated<string | null>
  /** Shown to its author on the item's page. */
  hidden_reason: Generated<string | null>
  hidden_cause: Generated<HiddenCause | null>
  /** When its hosts cancelled it (null while it is on): they may take it back within a day. */
  cancelled_at: Generated<string | null>
  /** The hosts' words on why, quoted in the cancellation email. */
  cancel_reason: Generated<string | null>
  /** How many questions it asks (meetup_questions), kept by saveQuestions: an RSVP to a meetup without any reads none. */
  question_count: Generated<number>
}

/** A host's optional question to the people coming (issue 22): up to five, in order. */
export interface MeetupQuestionsTable {
  id: Generated<number>
  meetup_id: number
  position: number
  question: string
  created_at: string
}

/** One person's answer to one question; read by the meetup's hosts only. */
export interface MeetupAnswersTable {
  id: Generated<number>
  question_id: number
  user_id: number
  answer: string
  updated_at: string
}

export type InvitationKind = 'proposal' | 'meetup' | 'event'

/** Someone asked to co-host a proposal or meetup, or co-organise an event, who has not yet said yes. */
export interface HostInvitationsTable {
  id: Generated<number>
  kind: InvitationKind
  target_id: number
  user_id: number
  invited_by: number | null
  created_at: string
}

export interface MeetupHostsTable {
  meetup_id: number
  user_id: number
}

export interface RsvpsTable {
  id: Generated<number>
  meetup_id: number
  user_id: number
  status: RsvpStatus
  party_size: Generated<number>
  seq: number
  hide_name: Generated<number>
  /** When someone who had a seat withdrew: their calendar keeps it, CANCELLED, for 30 days. */
  withdrawn_at: string | null
  created_at: string
  updated_at: string
}

export type OutboxStatus = 'pending' | 'sent' | 'failed'

export interface OutboxTable {
  id: Generated<number>
  idempotency_key: string
  kind: string
  user_id: number
  /** JSON, rendered into the email when it is sent. */
  payload: string
  status: Generated<OutboxStatus>
  attempts: Generated<number>
  next_attempt_at: string
  /** The mail_workers row of the worker sending it: good while that worker is alive. */
  claimed_by: string | null
  last_error: string | null
  created_at: string
  sent_at: string | null
}

/** An outbox worker that is alive while its heartbeat is recent (and, on its own host, its process runs). */
export interface MailWorkersTable {
  id: string
  host: string
  pid: number
  started_at: string
  heartbeat_at: string
}

export interface EmailOptOutsTable {
  user_id: number
  topic: string
  created_at: string
}

export interface MeetupMessagesTable {
  id: Generated<number>
  meetup_id: number
  sender_id: number
  body: string
  recipients: number
  created_at: string
  /** Set while hidden by a moderator or a suspension (issue 20): every list and page leaves it out. */
  hidden_at: Generated<string | null>
  /** Shown to its author on the item's page. */
  hidden_reason: Generated<string | null>
  hidden_cause: Generated<HiddenCause | null>
}

export type TombstoneKind = 'meetup' | 'event' | 'community'

/** What is left of something its makers deleted (issue 20): see features/deletions/. */
export interface TombstonesTable {
  id: Generated<number>
  kind: TombstoneKind
  /** The deleted row's id, which its calendar UIDs were made from. */
  target_id: number
  slug: string
  title: string
  /** A meetup's times and last SEQUENCE, kept so feeds go on showing it CANCELLED. */
  starts_at: string | null
  ends_at: string | null
  sequence: number | null
  community_id: number | null
  deleted_at: string
}

export interface TombstonePeopleTable {
  tombstone_id: number
  user_id: number
}

/** An event's or a meetup's one image (exactly one of event_id, meetup_id); files in <dataDir>/images/. */
export interface ImagesTable {
  id: Generated<number>
  /** Random; the files are `<key>.webp` (page) and `<key>-card.jpg` (link cards). */
  key: string
  event_id: number | null
  meetup_id: number | null
  alt: string
  /** Of the page variant. */
  width: number
  height: number
  created_at: string
}

export interface Database {
  users: UsersTable
  sessions: SessionsTable
  account_links: AccountLinksTable
  user_identities: UserIdentitiesTable
  oauth_attempts: OauthAttemptsTable
  oauth_clients: OauthClientsTable
  communities: CommunitiesTable
  community_members: CommunityMembersTable
  chat_schedules: ChatSchedulesTable
  chat_exceptions: ChatExceptionsTable
  topics: TopicsTable
  topic_votes: TopicVotesTable
  events: EventsTable
  event_organisers: EventOrganisersTable
  proposals: ProposalsTable
  proposal_hosts: ProposalHostsTable
  proposal_votes: ProposalVotesTable
  rooms: RoomsTable
  slots: SlotsTable
  schedule_entries: ScheduleEntriesTable
  schedule_changes: ScheduleChangesTable
  stars: StarsTable
  calendar_tokens: CalendarTokensTable
  feed_versions: FeedVersionsTable
  meetups: MeetupsTable
  meetup_hosts: MeetupHostsTable
  host_invitations: HostInvitationsTable
  rsvps: RsvpsTable
  meetup_questions: MeetupQuestionsTable
  meetup_answers: MeetupAnswersTable
  outbox: OutboxTable
  mail_workers: MailWorkersTable
  email_opt_outs: EmailOptOutsTable
  meetup_messages: MeetupMessagesTable
  rate_limit_hits: RateLimitHitsTable
  site_settings: SiteSettingsTable
  reports: ReportsTable
  moderation_log: ModerationLogTable
  tombstones: TombstonesTable
  tombstone_people: TombstonePeopleTable
  images: ImagesTable
  fedify_kv: FedifyKvTable
  fedify_queue: FedifyQueueTable
  federation_keys: FederationKeysTable
  federation_followers: FederationFollowersTable
  federation_activities: FederationActivitiesTable
}

// issue 21: ActivityPub (src/features/federation)
/** Fedify's key-value store: key is the JSON of Fedify's key array, value JSON. */
export interface FedifyKvTable {
  key: string
  value: string
  /** Past this instant the entry reads as absent (and is swept). */
  expires_at: string | null
}

/** Fedify's message queue: deliveries and inbox work, claimed by one worker at a time. */
export interface FedifyQueueTable {
  id: Generated<number>
  /** JSON of Fedify's message. */
  message: string
  deliver_after: string
  /** A worker's claim; a claim that runs out (its process died) frees the message again. */
  locked_until: string | null
  attempts: Generated<number>
  created_at: string
}

/** Our actors' key pairs, as JWK. The private half never leaves the database except to sign. */
export interface FederationKeysTable {
  /** Fedify's actor identifier ("c12": community 12). */
  actor: string
  /** 'RSASSA-PKCS1-v1_5' (HTTP Signatures) or 'Ed25519' (Object Integrity Proofs). */
  algorithm: string
  public_jwk: string
  private_jwk: string
  created_at: string
}

export interface FederationFollowersTable {
  id: Generated<number>
  target_actor: string
  /** The remote actor's URI. */
  actor_id: string
  actor_inbox: string
  shared_inbox: string | null
  created_at: string
}

/** What our actors sent, newest last: their outbox collections. */
export interface FederationActivitiesTable {
  id: Generated<number>
  actor: string
  activity_id: string
  type: string
  object_id: string
  payload: string
  created_at: string
}

export type AccountLinkRow = Selectable<AccountLinksTable>
export type UserIdentityRow = Selectable<UserIdentitiesTable>
export type OauthAttemptRow = Selectable<OauthAttemptsTable>
export type OauthClientRow = Selectable<OauthClientsTable>
// issue 20: reporting and moderation
export const REPORT_ITEM_KINDS = ['proposal', 'topic', 'meetup', 'profile', 'host_message'] as const
export type ReportItemKind = (typeof REPORT_ITEM_KINDS)[number]
export type ReportStatus = 'open' | 'hidden' | 'dismissed' | 'restored'

export interface ReportsTable {
  id: Generated<number>
  /** Never shown to the reported person; null once the reporter's account is gone. */
  reporter_id: number | null
  item_kind: ReportItemKind
  item_id: number
  reason: string
  status: Generated<ReportStatus>
  created_at: string
  decided_at: string | null
  decided_by: number | null
}

/** The audit log: every moderation and suspension action, read by the admin. */
export interface ModerationLogTable {
  id: Generated<number>
  actor_id: number | null
  /** 'hide' | 'restore' | 'dismiss' | 'suspend' | 'unsuspend' */
  action: string
  item_kind: string
  item_id: number
  report_id: number | null
  reason: Generated<string>
  created_at: string
}

export type ReportRow = Selectable<ReportsTable>

export type OutboxRow = Selectable<OutboxTable>
export type UserRow = Selectable<UsersTable>
export type NewUser = Insertable<UsersTable>
export type UserUpdate = Updateable<UsersTable>
export type CommunityRow = Selectable<CommunitiesTable>
export type ChatScheduleRow = Selectable<ChatSchedulesTable>
export type ChatExceptionRow = Selectable<ChatExceptionsTable>
export type TopicRow = Selectable<TopicsTable>
export type EventRow = Selectable<EventsTable>
export type ProposalRow = Selectable<ProposalsTable>
export type RoomRow = Selectable<RoomsTable>
export type SlotRow = Selectable<SlotsTable>
export type ScheduleEntryRow = Selectable<ScheduleEntriesTable>
export type ScheduleChangeRow = Selectable<ScheduleChangesTable>
export type MeetupRow = Selectable<MeetupsTable>
export type RsvpRow = Selectable<RsvpsTable>
export type TombstoneRow = Selectable<TombstonesTable>
export type ImageRow = Selectable<ImagesTable>
export type FederationFollowerRow = Selectable<FederationFollowersTable>
