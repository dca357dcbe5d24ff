import { sql, type Kysely } from 'kysely'
import type { Dialect } from '../src/db/dialect.js'
import { withId } from './_lib/columns.js'

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await withId(db.schema.createTable('meetups'), dialect)
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    /** UTC instants written by the app; time_zone says how to show them. */
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('venue_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('venue_address', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('map_url', 'text')
    .addColumn('online_url', 'text')
    /** Seats; null means unlimited. */
    .addColumn('capacity', 'integer', (c) => c.check(sql`capacity is null or capacity >= 1`))
    .addColumn('rsvp_opens_at', 'text')
    .addColumn('rsvp_closes_at', 'text')
    .addColumn('max_party_size', 'integer', (c) => c.notNull().defaultTo(1).check(sql`max_party_size between 1 and 20`))
    .addColumn('community_id', 'integer', (c) => c.references('communities.id').onDelete('set null'))
    .addColumn('event_id', 'integer', (c) => c.references('events.id').onDelete('set null'))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('scheduled').check(sql`state in ('scheduled', 'cancelled')`))
    .addColumn('attendee_visibility', 'text', (c) =>
      c.notNull().defaultTo('attendees').check(sql`attendee_visibility in ('public', 'attendees', 'hosts')`),
    )
    /** Seats held by RSVPs that are going (party sizes summed), kept in the same transaction as they change. */
    .addColumn('seats_taken', 'integer', (c) => c.notNull().defaultTo(0).check(sql`seats_taken >= 0`))
    /** Bumped by every RSVP change; taking it first is the per-meetup lock, and its value orders the waitlist. */
    .addColumn('rsvp_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    // The backstop: whatever the code does, the database never holds more people than seats.
    .addCheckConstraint('meetups_never_overbooked', sql`capacity is null or seats_taken <= capacity`)
    .addCheckConstraint('meetups_ends_after_start', sql`ends_at > starts_at`)
    .execute()
  await db.schema.createIndex('meetups_starts_at_idx').on('meetups').column('starts_at').execute()
  await db.schema.createIndex('meetups_community_idx').on('meetups').column('community_id').execute()
  await db.schema.createIndex('meetups_event_idx').on('meetups').column('event_id').execute()

  await db.schema
    .createTable('meetup_hosts')
    .addColumn('meetup_id', 'integer', (c) => c.notNull().references('meetups.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('meetup_hosts_pk', ['meetup_id', 'user_id'])
    .execute()
  await db.schema.createIndex('meetup_hosts_user_idx').on('meetup_hosts').column('user_id').execute()

  await withId(db.schema.createTable('rsvps'), dialect)
    .addColumn('meetup_id', 'integer', (c) => c.notNull().references('meetups.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('going', 'waitlisted', 'not_going')`))
    .addColumn('party_size', 'integer', (c) => c.notNull().defaultTo(1).check(sql`party_size between 1 and 20`))
    /** The meetup's rsvp_version when this answer was taken: first come, first served. */
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('hide_name', 'integer', (c) => c.notNull().defaultTo(0).check(sql`hide_name in (0, 1)`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('rsvps_one_per_person', ['meetup_id', 'user_id'])
    .execute()
  await db.schema.createIndex('rsvps_meetup_status_seq_idx').on('rsvps').columns(['meetup_id', 'status', 'seq']).execute()
  await db.schema.createIndex('rsvps_user_idx').on('rsvps').column('user_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['rsvps', 'meetup_hosts', 'meetups']) await db.schema.dropTable(table).execute()
}
