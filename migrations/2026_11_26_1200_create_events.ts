import { sql, type Kysely } from 'kysely'
import type { Dialect } from '../src/db/dialect.js'
import { withId } from './_lib/columns.js'

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await withId(db.schema.createTable('events'), dialect)
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('hashtag', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('community_id', 'integer', (c) => c.references('communities.id').onDelete('set null'))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('venue_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('venue_address', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('map_url', 'text')
    .addColumn('time_zone', 'text', (c) => c.notNull())
    /** Local dates, inclusive; one or more consecutive days. */
    .addColumn('first_day', 'text', (c) => c.notNull())
    .addColumn('last_day', 'text', (c) => c.notNull())
    /** Local 'HH:MM' each day opens and closes. */
    .addColumn('day_starts', 'text', (c) => c.notNull())
    .addColumn('day_ends', 'text', (c) => c.notNull())
    .addColumn('phase', 'text', (c) =>
      c.notNull().defaultTo('draft').check(sql`phase in ('draft', 'proposals', 'pitching', 'published', 'finished')`),
    )
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('events_days_in_order', sql`first_day <= last_day`)
    .execute()
  await db.schema.createIndex('events_community_idx').on('events').column('community_id').execute()
  await db.schema.createIndex('events_first_day_idx').on('events').column('first_day').execute()

  await db.schema
    .createTable('event_organisers')
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('event_organisers_pk', ['event_id', 'user_id'])
    .execute()
  await db.schema.createIndex('event_organisers_user_idx').on('event_organisers').column('user_id').execute()

  await withId(db.schema.createTable('proposals'), dialect)
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('format', 'text', (c) =>
      c.notNull().check(sql`format in ('discussion', 'talk', 'workshop', 'show-and-tell', 'other')`),
    )
    /** Space-separated needs, from a fixed list (projector, step-free, hearing-loop, …). */
    .addColumn('needs', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('state', 'text', (c) =>
      c.notNull().defaultTo('proposed').check(sql`state in ('proposed', 'accepted', 'declined', 'withdrawn', 'scheduled', 'merged')`),
    )
    /** The account that proposed it; null for a walk-up pitch by someone without one. */
    .addColumn('proposer_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    /** For walk-up pitches: the name (and optional social handle) typed by the volunteer. */
    .addColumn('pitcher_name', 'text')
    .addColumn('pitcher_handle', 'text')
    .addColumn('walk_up', 'integer', (c) => c.notNull().defaultTo(0).check(sql`walk_up in (0, 1)`))
    /** Place in the pitch queue on the day (null: not queued). */
    .addColumn('queue_position', 'integer')
    .addColumn('pitched', 'integer', (c) => c.notNull().defaultTo(0).check(sql`pitched in (0, 1)`))
    .addColumn('merged_into', 'integer', (c) => c.references('proposals.id').onDelete('set null'))
    .addColumn('notes_url', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('proposals_event_state_idx').on('proposals').columns(['event_id', 'state']).execute()
  await db.schema.createIndex('proposals_proposer_idx').on('proposals').column('proposer_id').execute()

  await db.schema
    .createTable('proposal_hosts')
    .addColumn('proposal_id', 'integer', (c) => c.notNull().references('proposals.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('proposal_hosts_pk', ['proposal_id', 'user_id'])
    .execute()
  await db.schema.createIndex('proposal_hosts_user_idx').on('proposal_hosts').column('user_id').execute()

  await db.schema
    .createTable('proposal_votes')
    .addColumn('proposal_id', 'integer', (c) => c.notNull().references('proposals.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('proposal_votes_pk', ['proposal_id', 'user_id'])
    .execute()
  await db.schema.createIndex('proposal_votes_user_idx').on('proposal_votes').column('user_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['proposal_votes', 'proposal_hosts', 'proposals', 'event_organisers', 'events']) {
    await db.schema.dropTable(table).execute()
  }
}
