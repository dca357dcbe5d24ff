import { sql, type Kysely } from 'kysely'
import type { Dialect } from '../src/db/dialect.js'
import { withId } from './_lib/columns.js'

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  // Set when the organisers first publish the grid; from then on it stays public (even if the
  // phase steps back to take more pitches) and every change goes in the public changelog.
  await db.schema.alterTable('events').addColumn('schedule_published_at', 'text').execute()

  await withId(db.schema.createTable('rooms'), dialect)
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull().check(sql`capacity >= 0`))
    /** Where it is: "First floor, turn left from the lifts". */
    .addColumn('location', 'text', (c) => c.notNull().defaultTo(''))
    /** Space-separated, from the same list as a proposal's needs (projector, step-free, …). */
    .addColumn('features', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('accessibility_notes', 'text', (c) => c.notNull().defaultTo(''))
    /** Display order, left to right on the grid. */
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('rooms_event_name_idx').on('rooms').columns(['event_id', 'name']).unique().execute()

  await withId(db.schema.createTable('slots'), dialect)
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    /** Local date and 'HH:MM' times in the event's time zone: what organisers typed. */
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('start_time', 'text', (c) => c.notNull())
    .addColumn('end_time', 'text', (c) => c.notNull())
    /** The same instants in UTC, written by the app from the above, for "now", sorting and calendars. */
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('session', 'plenary', 'break', 'lunch')`))
    .addColumn('label', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('slots_end_after_start', sql`end_time > start_time`)
    .execute()
  await db.schema.createIndex('slots_event_starts_idx').on('slots').columns(['event_id', 'starts_at']).execute()

  // One row per session ever put on the grid. Kept (cancelled) when a published session is
  // taken off, so feeds and the public grid can say "cancelled" instead of dropping it.
  await withId(db.schema.createTable('schedule_entries'), dialect)
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('proposal_id', 'integer', (c) => c.notNull().unique().references('proposals.id').onDelete('cascade'))
    .addColumn('slot_id', 'integer', (c) => c.notNull().references('slots.id').onDelete('cascade'))
    .addColumn('room_id', 'integer', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
    /** Pinned sessions stay where they are when the automatic scheduler runs. */
    .addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0).check(sql`pinned in (0, 1)`))
    .addColumn('cancelled_at', 'text')
    /** Bumped on every change of time, place or status (calendar SEQUENCE). */
    .addColumn('sequence', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  // The rule that no two organisers can break by clicking at once: one live session per room and slot.
  await db.schema
    .createIndex('schedule_entries_cell_idx')
    .on('schedule_entries')
    .columns(['slot_id', 'room_id'])
    .unique()
    .where(sql.ref('cancelled_at'), 'is', null)
    .execute()
  await db.schema.createIndex('schedule_entries_event_idx').on('schedule_entries').column('event_id').execute()
  await db.schema.createIndex('schedule_entries_room_idx').on('schedule_entries').column('room_id').execute()
  // The partial index above serves live lookups only; retiming a slot touches its cancelled entries too.
  await db.schema.createIndex('schedule_entries_slot_idx').on('schedule_entries').column('slot_id').execute()

  await withId(db.schema.createTable('schedule_changes'), dialect)
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('proposal_id', 'integer', (c) => c.references('proposals.id').onDelete('set null'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('added', 'moved', 'cancelled', 'retimed')`))
    /** Copies, not references: the changelog must still read right after rooms and slots change. */
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('from_room', 'text')
    .addColumn('from_starts_at', 'text')
    .addColumn('to_room', 'text')
    .addColumn('to_starts_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('schedule_changes_event_idx').on('schedule_changes').columns(['event_id', 'id']).execute()
  await db.schema.createIndex('schedule_changes_proposal_idx').on('schedule_changes').column('proposal_id').execute()

  await db.schema
    .createTable('stars')
    .addColumn('proposal_id', 'integer', (c) => c.notNull().references('proposals.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('stars_pk', ['proposal_id', 'user_id'])
    .execute()
  await db.schema.createIndex('stars_user_idx').on('stars').column('user_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['stars', 'schedule_changes', 'schedule_entries', 'slots', 'rooms']) {
    await db.schema.dropTable(table).execute()
  }
  await db.schema.alterTable('events').dropColumn('schedule_published_at').execute()
}
