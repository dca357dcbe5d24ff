import type { Kysely } from 'kysely'

// Calendars hear of what ends: a reply withdrawn after its invite, and a chat schedule
// switched off, stay in feeds as CANCELLED for 30 days like every other cancellation,
// so both need a date rather than a deleted row.
export async function up(db: Kysely<any>): Promise<void> {
  // When a person who had a seat said they were not going any more (null otherwise).
  await db.schema.alterTable('rsvps').addColumn('withdrawn_at', 'text').execute()
  // When the community switched its chats off; the row stays so feeds can cancel them.
  await db.schema.alterTable('chat_schedules').addColumn('stopped_at', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('chat_schedules').dropColumn('stopped_at').execute()
  await db.schema.alterTable('rsvps').dropColumn('withdrawn_at').execute()
}
