import { sql, type Kysely } from 'kysely'
import type { Dialect } from '../src/db/dialect.js'

// Full-text search (issue 22): communities, events and meetups site-wide, and an event's
// proposals by title, description and the names of their hosts.
//
// Both dialects match the same way: words, case-insensitive, no stemming (the site is in
// English and Welsh, and English stemming mangles Welsh words), accents kept as typed; the app
// quotes every word and makes the last one a prefix (src/features/search/search.queries.ts).
//
// SQLite: one FTS5 table per kind, contentless (it keeps no copy of the text, so erasing a
// person's name from the rows erases it from the search too) with contentless_delete, and
// secure-delete so a deleted row's words leave the index at once rather than at the next merge.
// Triggers keep each in step with its rows; the rows already there are indexed here.
//
// PostgreSQL: the 'simple' configuration over the text with its punctuation turned into spaces
// (as SQLite's unicode61 tokenizer reads it, so "gov.uk" is two words on both), in one immutable
// function per kind, with a GIN index on it. A proposal's hosts live in other tables, which an
// index expression cannot read: its document is kept in proposal_search by triggers.

/** Punctuation that separates words; PostgreSQL's parser under a C locale takes any non-ASCII character as a letter. */
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~\u00a0\u00a1\u00ab\u00b7\u00bb\u00bf\u2010\u2011\u2012\u2013\u2014\u2015\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2022\u2026\u2039\u203a\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u3000'

function pgWords(expression: string): string {
  const literal = PUNCTUATION.replace(/'/g, "''")
  return `translate(coalesce(${expression}, ''), '${literal}', '${' '.repeat([...PUNCTUATION].length)}')`
}

function pgVector(parts: [string, 'A' | 'B' | 'C' | 'D'][]): string {
  return parts.map(([expression, weight]) => `setweight(to_tsvector('simple'::regconfig, ${pgWords(expression)}), '${weight}')`).join(' || ')
}

const FTS_OPTIONS = `content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0'`

/** The SQLite tables indexed from one row each: FTS table, source table, FTS columns, the expressions filling them from `new`. */
const SQLITE_SIMPLE = [
  { fts: 'communities_search', table: 'communities', columns: ['name', 'hashtag', 'description'], values: ['name', 'hashtag', 'description'] },
  { fts: 'events_search', table: 'events', columns: ['name', 'place', 'description'], values: ['name', "hashtag || ' ' || venue_name", 'description'] },
  { fts: 'meetups_search', table: 'meetups', columns: ['title', 'place', 'description'], values: ['title', 'venue_name', 'description'] },
] as const
const WATCHED: Record<string, string> = { communities: 'name, hashtag, description', events: 'name, hashtag, venue_name, description', meetups: 'title, venue_name, description' }

/** A proposal's row for proposals_search, for the proposals chosen by `where` (over p). */
function sqliteProposalRows(where: string): string {
  return `insert into proposals_search (rowid, title, hosts, description)
    select p.id, p.title,
      coalesce(pu.display_name, '') || ' ' || coalesce(pu.handle, '') || ' ' || coalesce(p.pitcher_name, '') || ' ' ||
        coalesce((select group_concat(u.display_name || ' ' || coalesce(u.handle, ''), ' ') from proposal_hosts h join users u on u.id = h.user_id where h.proposal_id = p.id), ''),
      p.description
    from proposals p left join users pu on pu.id = p.proposer_id
    where ${where};`
}

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') {
    for (const { fts, table, columns, values } of SQLITE_SIMPLE) {
      await sql.raw(`create virtual table ${fts} using fts5(${columns.join(', ')}, ${FTS_OPTIONS})`).execute(db)
      await sql.raw(`insert into ${fts} (${fts}, rank) values ('secure-delete', 1)`).execute(db)
      const insert = (from: string) => `insert into ${fts} (rowid, ${columns.join(', ')}) values (${from}.id, ${values.map((v) => v.replace(/\b(name|hashtag|venue_name|title|description)\b/g, `${from}.$1`)).join(', ')});`
      await sql.raw(`insert into ${fts} (rowid, ${columns.join(', ')}) select id, ${values.join(', ')} from ${table}`).execute(db)
      await sql.raw(`create trigger ${fts}_insert after insert on ${table} begin ${insert('new')} end`).execute(db)
      await sql.raw(`create trigger ${fts}_update after update of ${WATCHED[table]} on ${table} begin delete from ${fts} where rowid = old.id; ${insert('new')} end`).execute(db)
      await sql.raw(`create trigger ${fts}_delete after delete on ${table} begin delete from ${fts} where rowid = old.id; end`).execute(db)
    }
    await sql.raw(`create virtual table proposals_search using fts5(title, hosts, description, ${FTS_OPTIONS})`).execute(db)
    await sql.raw(`insert into proposals_search (proposals_search, rank) values ('secure-delete', 1)`).execute(db)
    await sql.raw(sqliteProposalRows('1 = 1')).execute(db)
    await sql.raw(`create trigger proposals_search_insert after insert on proposals begin ${sqliteProposalRows('p.id = new.id')} end`).execute(db)
    await sql
      .raw(`create trigger proposals_search_update after update of title, description, proposer_id, pitcher_name on proposals begin
        delete from proposals_search where rowid = old.id; ${sqliteProposalRows('p.id = new.id')} end`)
      .execute(db)
    await sql.raw(`create trigger proposals_search_delete after delete on proposals begin delete from proposals_search where rowid = old.id; end`).execute(db)
    for (const [event, row] of [['insert', 'new'], ['delete', 'old']] as const) {
      await sql
        .raw(`create trigger proposals_search_host_${event} after ${event} on proposal_hosts begin
          delete from proposals_search where rowid = ${row}.proposal_id; ${sqliteProposalRows(`p.id = ${row}.proposal_id`)} end`)
        .execute(db)
    }
    const affected = `(select id from proposals where proposer_id = new.id union select proposal_id from proposal_hosts where user_id = new.id)`
    await sql
      .raw(`create trigger proposals_search_user after update of display_name, handle on users begin
        delete from proposals_search where rowid in ${affected}; ${sqliteProposalRows(`p.id in ${affected}`)} end`)
      .execute(db)
    return
  }

  await sql.raw(`create function community_search_vector(text, text, text) returns tsvector language sql immutable parallel safe as $body$ select ${pgVector([['$1', 'A'], ['$2', 'B'], ['$3', 'D']])} $body$`).execute(db)
  await sql.raw(`create function event_search_vector(text, text, text, text) returns tsvector language sql immutable parallel safe as $body$ select ${pgVector([['$1', 'A'], ["$2 || ' ' || $3", 'B'], ['$4', 'D']])} $body$`).execute(db)
  await sql.raw(`create function meetup_search_vector(text, text, text) returns tsvector language sql immutable parallel safe as $body$ select ${pgVector([['$1', 'A'], ['$2', 'B'], ['$3', 'D']])} $body$`).execute(db)
  await sql.raw(`create index communities_search_idx on communities using gin (community_search_vector(name, hashtag, description))`).execute(db)
  await sql.raw(`create index events_search_idx on events using gin (event_search_vector(name, hashtag, venue_name, description))`).execute(db)
  await sql.raw(`create index meetups_search_idx on meetups using gin (meetup_search_vector(title, venue_name, description))`).execute(db)

  await db.schema
    .createTable('proposal_search')
    .addColumn('proposal_id', 'integer', (c) => c.primaryKey().references('proposals.id').onDelete('cascade'))
    .addColumn('document', sql`tsvector`, (c) => c.notNull())
    .execute()
  await sql.raw(`create index proposal_search_document_idx on proposal_search using gin (document)`).execute(db)
  const hosts = `concat_ws(' ', pu.display_name, pu.handle, p.pitcher_name, (select string_agg(concat_ws(' ', u.display_name, u.handle), ' ') from proposal_hosts h join users u on u.id = h.user_id where h.proposal_id = p.id))`
  await sql
    .raw(`create function proposal_search_refresh(integer) returns void language sql as $body$
      insert into proposal_search (proposal_id, document)
      select p.id, ${pgVector([['p.title', 'A'], [hosts, 'B'], ['p.description', 'D']])}
      from proposals p left join users pu on pu.id = p.proposer_id where p.id = $1
      on conflict (proposal_id) do update set document = excluded.document
    $body$`)
    .execute(db)
  await sql.raw(`select proposal_search_refresh(id) from proposals`).execute(db)
  await sql.raw(`create function proposal_search_from_proposal() returns trigger language plpgsql as $body$ begin perform proposal_search_refresh(new.id); return null; end $body$`).execute(db)
  await sql.raw(`create trigger proposal_search_proposal after insert or update of title, description, proposer_id, pitcher_name on proposals for each row execute function proposal_search_from_proposal()`).execute(db)
  await sql
    .raw(`create function proposal_search_from_host() returns trigger language plpgsql as $body$ begin
      if tg_op = 'DELETE' then perform proposal_search_refresh(old.proposal_id); else perform proposal_search_refresh(new.proposal_id); end if;
      return null; end $body$`)
    .execute(db)
  await sql.raw(`create trigger proposal_search_host after insert or delete on proposal_hosts for each row execute function proposal_search_from_host()`).execute(db)
  await sql
    .raw(`create function proposal_search_from_user() returns trigger language plpgsql as $body$ begin
      perform proposal_search_refresh(affected.id) from (select id from proposals where proposer_id = new.id union select proposal_id from proposal_hosts where user_id = new.id) as affected;
      return null; end $body$`)
    .execute(db)
  await sql
    .raw(`create trigger proposal_search_user after update of display_name, handle on users for each row
      when (old.display_name is distinct from new.display_name or old.handle is distinct from new.handle) execute function proposal_search_from_user()`)
    .execute(db)
}

export async function down(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') {
    // Dropping a table drops its triggers; the FTS tables take their shadow tables with them.
    for (const trigger of ['communities', 'events', 'meetups', 'proposals'].flatMap((kind) => ['insert', 'update', 'delete'].map((event) => `${kind}_search_${event}`))) {
      await sql.raw(`drop trigger ${trigger}`).execute(db)
    }
    for (const trigger of ['proposals_search_host_insert', 'proposals_search_host_delete', 'proposals_search_user']) await sql.raw(`drop trigger ${trigger}`).execute(db)
    for (const fts of ['communities_search', 'events_search', 'meetups_search', 'proposals_search']) await sql.raw(`drop table ${fts}`).execute(db)
    return
  }
  await sql.raw(`drop trigger proposal_search_user on users`).execute(db)
  await sql.raw(`drop trigger proposal_search_host on proposal_hosts`).execute(db)
  await sql.raw(`drop trigger proposal_search_proposal on proposals`).execute(db)
  for (const fn of ['proposal_search_from_user()', 'proposal_search_from_host()', 'proposal_search_from_proposal()', 'proposal_search_refresh(integer)']) await sql.raw(`drop function ${fn}`).execute(db)
  await db.schema.dropTable('proposal_search').execute()
  for (const index of ['communities_search_idx', 'events_search_idx', 'meetups_search_idx']) await db.schema.dropIndex(index).execute()
  for (const fn of ['community_search_vector(text, text, text)', 'event_search_vector(text, text, text, text)', 'meetup_search_vector(text, text, text)']) await sql.raw(`drop function ${fn}`).execute(db)
}
