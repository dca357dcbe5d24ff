import { sql, type Kysely } from 'kysely'
import type { Dialect } from '../src/db/dialect.js'

// Every proposal's number of votes, kept on the proposal. Counting them per request read all
// 300,000 votes of a big event to list its 1,000 proposals (about 40 ms, and a sorter's worth
// of native memory). Triggers keep the count, so every way a vote comes or goes (the button,
// a merge copying votes, a cascade when a person or proposal is deleted, bulk seeding) keeps
// it right without the code remembering to.
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema.alterTable('proposals').addColumn('vote_count', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  await sql`update proposals set vote_count = (select count(*) from proposal_votes v where v.proposal_id = proposals.id)`.execute(db)

  if (dialect === 'postgres') {
    await sql`
      create function proposal_vote_count() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          update proposals set vote_count = vote_count + 1 where id = new.proposal_id;
        else
          update proposals set vote_count = vote_count - 1 where id = old.proposal_id;
        end if;
        return null;
      end $$`.execute(db)
    await sql`create trigger proposal_votes_count after insert or delete on proposal_votes for each row execute function proposal_vote_count()`.execute(db)
  } else {
    await sql`create trigger proposal_votes_count_insert after insert on proposal_votes begin update proposals set vote_count = vote_count + 1 where id = new.proposal_id; end`.execute(db)
    await sql`create trigger proposal_votes_count_delete after delete on proposal_votes begin update proposals set vote_count = vote_count - 1 where id = old.proposal_id; end`.execute(db)
  }
}

export async function down(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    await sql`drop trigger proposal_votes_count on proposal_votes`.execute(db)
    await sql`drop function proposal_vote_count()`.execute(db)
  } else {
    await sql`drop trigger proposal_votes_count_insert`.execute(db)
    await sql`drop trigger proposal_votes_count_delete`.execute(db)
  }
  await db.schema.alterTable('proposals').dropColumn('vote_count').execute()
}
