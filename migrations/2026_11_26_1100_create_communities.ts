import { sql, type Kysely } from 'kysely'
import type { Dialect } from '../src/db/dialect.js'
import { withId } from './_lib/columns.js'

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await withId(db.schema.createTable('communities'), dialect)
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    /** Without the leading #, as the community writes it (e.g. "lgovsm"). */
    .addColumn('hashtag', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('chat_place', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('chat_url', 'text')
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  // Search by hashtag ignores case; names are searched with a case-insensitive LIKE.
  await db.schema.createIndex('communities_hashtag_lower_idx').on('communities').expression(sql`lower(hashtag)`).execute()

  await db.schema
    .createTable('community_members')
    .addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('host', 'member')`))
    /** 1 when the person chose to appear in the public member list. */
    .addColumn('listed', 'integer', (c) => c.notNull().defaultTo(0).check(sql`listed in (0, 1)`))
    .addColumn('joined_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('community_members_pk', ['community_id', 'user_id'])
    .execute()
  await db.schema.createIndex('community_members_user_idx').on('community_members').column('user_id').execute()

  /** At most one schedule per community (the primary key is the community). */
  await db.schema
    .createTable('chat_schedules')
    .addColumn('community_id', 'integer', (c) => c.primaryKey().references('communities.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('weekly', 'monthly')`))
    .addColumn('weekday', 'integer', (c) => c.notNull().check(sql`weekday between 1 and 7`))
    .addColumn('interval_weeks', 'integer', (c) => c.notNull().defaultTo(1).check(sql`interval_weeks between 1 and 8`))
    .addColumn('nth', 'integer', (c) => c.notNull().defaultTo(1).check(sql`nth in (1, 2, 3, 4, -1)`))
    .addColumn('start_time', 'text', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c) => c.notNull().check(sql`duration_minutes between 5 and 1440`))
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await withId(db.schema.createTable('chat_exceptions'), dialect)
    .addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    /** The date the schedule gave the chat (its identity). */
    .addColumn('chat_date', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('skip', 'move')`))
    .addColumn('moved_to_date', 'text')
    .addColumn('moved_to_time', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('chat_exceptions_community_date_uq', ['community_id', 'chat_date'])
    .execute()

  await withId(db.schema.createTable('topics'), dialect)
    .addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('proposed_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    /** The chat (by its scheduled date) this topic is for; null while it waits for votes. */
    .addColumn('chat_date', 'text')
    /** 1 once the chat about it has happened and the hosts marked it done. */
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0).check(sql`done in (0, 1)`))
    .addColumn('notes_url', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('topics_community_idx').on('topics').columns(['community_id', 'chat_date']).execute()
  // One topic per chat.
  await db.schema
    .createIndex('topics_one_per_chat_uq')
    .on('topics')
    .columns(['community_id', 'chat_date'])
    .unique()
    .where(sql.ref('chat_date'), 'is not', null)
    .execute()

  await db.schema
    .createTable('topic_votes')
    .addColumn('topic_id', 'integer', (c) => c.notNull().references('topics.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('topic_votes_pk', ['topic_id', 'user_id'])
    .execute()
  await db.schema.createIndex('topic_votes_user_idx').on('topic_votes').column('user_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['topic_votes', 'topics', 'chat_exceptions', 'chat_schedules', 'community_members', 'communities']) {
    await db.schema.dropTable(table).execute()
  }
}
