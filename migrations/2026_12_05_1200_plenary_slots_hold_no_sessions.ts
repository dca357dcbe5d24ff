import { sql, type Kysely } from 'kysely'

// From now on a plenary slot (everyone together: the welcome and pitches) holds no sessions.
// A plenary that already holds some becomes a session slot, so nothing booked disappears
// from the grid; its label (the organiser's own words) is kept.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    update slots set kind = 'session'
    where kind = 'plenary'
      and exists (select 1 from schedule_entries e where e.slot_id = slots.id and e.cancelled_at is null)`.execute(db)
}

export async function down(): Promise<void> {
  // Which slots were plenaries is not kept: they stay session slots.
}
