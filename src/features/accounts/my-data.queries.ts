// "Download my data": everything the site holds about one person, as they could read it.
// Secrets are left out even though they are theirs: the password hash, session ids and the
// calendar feed's token are keys, not facts about them, and a downloaded file travels.
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.js'

export async function exportMyData(db: Kysely<Database>, userId: number, now: Date) {
  const profile = await db
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'handle', 'bio', 'x_handle', 'mastodon_handle', 'bluesky_handle', 'role', 'locale', 'time_zone', 'created_at', 'updated_at'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow()
  const [
    communities,
    topics,
    topicVotes,
    organising,
    proposals,
    coHosting,
    proposalVotes,
    stars,
    rsvps,
    meetupAnswers,
    meetupsHosted,
    hostMessages,
    invitations,
    emailOptOuts,
    sessions,
    calendarFeed,
    emails,
    identities,
  ] = await Promise.all([
    db
      .selectFrom('community_members as cm')
      .innerJoin('communities as c', 'c.id', 'cm.community_id')
      .select(['c.slug', 'c.name', 'cm.role', 'cm.listed', 'cm.joined_at'])
      .where('cm.user_id', '=', userId)
      .orderBy('cm.joined_at')
      .execute(),
    db
      .selectFrom('topics as t')
      .innerJoin('communities as c', 'c.id', 't.community_id')
      .select(['t.id', 'c.slug as community', 't.title', 't.description', 't.chat_date', 't.done', 't.notes_url', 't.created_at', 't.updated_at'])
      .where('t.proposed_by', '=', userId)
      .orderBy('t.id')
      .execute(),
    db
      .selectFrom('topic_votes as v')
      .innerJoin('topics as t', 't.id', 'v.topic_id')
      .innerJoin('communities as c', 'c.id', 't.community_id')
      .select(['t.id as topic_id', 'c.slug as community', 't.title', 'v.created_at'])
      .where('v.user_id', '=', userId)
      .orderBy('v.created_at')
      .execute(),
    db.selectFrom('event_organisers as o').innerJoin('events as e', 'e.id', 'o.event_id').select(['e.slug', 'e.name', 'o.added_at']).where('o.user_id', '=', userId).execute(),
    db
      .selectFrom('proposals as p')
      .innerJoin('events as e', 'e.id', 'p.event_id')
      .select(['p.id', 'e.slug as event', 'p.title', 'p.description', 'p.format', 'p.needs', 'p.state', 'p.notes_url', 'p.created_at', 'p.updated_at'])
      .where('p.proposer_id', '=', userId)
      .orderBy('p.id')
      .execute(),
    db
      .selectFrom('proposal_hosts as h')
      .innerJoin('proposals as p', 'p.id', 'h.proposal_id')
      .innerJoin('events as e', 'e.id', 'p.event_id')
      .select(['p.id', 'e.slug as event', 'p.title', 'p.state'])
      .where('h.user_id', '=', userId)
      .execute(),
    db
      .selectFrom('proposal_votes as v')
      .innerJoin('proposals as p', 'p.id', 'v.proposal_id')
      .innerJoin('events as e', 'e.id', 'p.event_id')
      .select(['p.id as proposal_id', 'e.slug as event', 'p.title', 'v.created_at'])
      .where('v.user_id', '=', userId)
      .orderBy('v.created_at')
      .execute(),
    db
      .selectFrom('stars as s')
      .innerJoin('proposals as p', 'p.id', 's.proposal_id')
      .innerJoin('events as e', 'e.id', 'p.event_id')
      .select(['p.id as proposal_id', 'e.slug as event', 'p.title', 's.created_at'])
      .where('s.user_id', '=', userId)
      .orderBy('s.created_at')
      .execute(),
    db
      .selectFrom('rsvps as r')
      .innerJoin('meetups as m', 'm.id', 'r.meetup_id')
      .select(['m.slug as meetup', 'm.title', 'm.starts_at', 'r.status', 'r.party_size', 'r.hide_name', 'r.withdrawn_at', 'r.created_at', 'r.updated_at'])
      .where('r.user_id', '=', userId)
      .orderBy('m.starts_at')
      .execute(),
    db
      .selectFrom('meetup_answers as a')
      .innerJoin('meetup_questions as q', 'q.id', 'a.question_id')
      .innerJoin('meetups as m', 'm.id', 'q.meetup_id')
      .select(['m.slug as meetup', 'm.title', 'q.question', 'a.answer', 'a.updated_at'])
      .where('a.user_id', '=', userId)
      .orderBy('m.starts_at')
      .orderBy('q.position')
      .execute(),
    db.selectFrom('meetup_hosts as h').innerJoin('meetups as m', 'm.id', 'h.meetup_id').select(['m.slug', 'm.title', 'm.starts_at', 'm.state']).where('h.user_id', '=', userId).execute(),
    db
      .selectFrom('meetup_messages as mm')
      .innerJoin('meetups as m', 'm.id', 'mm.meetup_id')
      .select(['m.slug as meetup', 'mm.body', 'mm.recipients', 'mm.created_at'])
      .where('mm.sender_id', '=', userId)
      .orderBy('mm.created_at')
      .execute(),
    db.selectFrom('host_invitations').select(['kind', 'target_id', 'created_at']).where('user_id', '=', userId).execute(),
    db.selectFrom('email_opt_outs').select(['topic', 'created_at']).where('user_id', '=', userId).execute(),
    db.selectFrom('sessions').select(['created_at', 'expires_at']).where('user_id', '=', userId).where('expires_at', '>', now.toISOString()).execute(),
    db.selectFrom('calendar_tokens').select('created_at').where('user_id', '=', userId).executeTakeFirst(),
    db.selectFrom('outbox').select(['kind', 'status', 'payload', 'created_at', 'sent_at']).where('user_id', '=', userId).orderBy('id').execute(),
    db.selectFrom('user_identities').select(['provider', 'handle', 'profile_url', 'display_name', 'created_at', 'last_signed_in_at']).where('user_id', '=', userId).orderBy('id').execute(),
  ])
  return {
    exportedAt: now.toISOString(),
    profile,
    communities,
    topics,
    topicVotes,
    eventsOrganised: organising,
    proposals,
    proposalsCoHosted: coHosting,
    proposalVotes,
    stars,
    rsvps,
    meetupAnswers,
    meetupsHosted,
    hostMessagesSent: hostMessages,
    invitationsWaiting: invitations,
    emailsTurnedOff: emailOptOuts,
    signedInBrowsers: sessions,
    verifiedAccounts: identities,
    personalCalendarFeedSince: calendarFeed?.created_at ?? null,
    emails: emails.map(({ payload, ...email }) => ({ ...email, content: JSON.parse(payload) as unknown })),
  }
}
