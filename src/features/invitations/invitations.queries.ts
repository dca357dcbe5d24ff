// Invitations to co-host a proposal or meetup, or to co-organise an event. Kysely only, db first.
import { sql, type Kysely } from 'kysely'
import type { Database, HostInvitationsTable, InvitationKind } from '../../db/database.js'
import type { Selectable } from 'kysely'

export type InvitationRow = Selectable<HostInvitationsTable>

/** Invites one person; inviting them again while the first is waiting changes nothing. */
export async function insertInvitation(db: Kysely<Database>, invitation: { kind: InvitationKind; targetId: number; userId: number; invitedBy: number }, stamp: string): Promise<void> {
  await db
    .insertInto('host_invitations')
    .values({ kind: invitation.kind, target_id: invitation.targetId, user_id: invitation.userId, invited_by: invitation.invitedBy, created_at: stamp })
    .onConflict((oc) => oc.columns(['kind', 'target_id', 'user_id']).doNothing())
    .execute()
}

export async function findInvitation(db: Kysely<Database>, id: number, userId: number): Promise<InvitationRow | undefined> {
  return db.selectFrom('host_invitations').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()
}

export async function deleteInvitation(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('host_invitations').where('id', '=', id).execute()
}

export interface MyInvitation {
  id: number
  kind: InvitationKind
  title: string
  path: string
  inviter: string | null
}

/** What one person has been invited to, newest first: one query over the three kinds. */
export async function listInvitationsFor(db: Kysely<Database>, userId: number): Promise<MyInvitation[]> {
  const rows = await db
    .selectFrom('host_invitations as i')
    .leftJoin('users as by', 'by.id', 'i.invited_by')
    .leftJoin('proposals as p', (join) => join.onRef('p.id', '=', 'i.target_id').on('i.kind', '=', 'proposal'))
    .leftJoin('events as pe', 'pe.id', 'p.event_id')
    .leftJoin('meetups as m', (join) => join.onRef('m.id', '=', 'i.target_id').on('i.kind', '=', 'meetup'))
    .leftJoin('events as e', (join) => join.onRef('e.id', '=', 'i.target_id').on('i.kind', '=', 'event'))
    .select(['i.id', 'i.kind', 'by.display_name as inviter', 'p.id as proposal_id', 'p.title as proposal_title', 'pe.slug as proposal_event_slug', 'm.slug as meetup_slug', 'm.title as meetup_title', 'e.slug as event_slug', 'e.name as event_name'])
    .where('i.user_id', '=', userId)
    .orderBy('i.id', 'desc')
    .execute()
  return rows.flatMap((r): MyInvitation[] => {
    if (r.kind === 'proposal' && r.proposal_title !== null) return [{ id: r.id, kind: r.kind, title: r.proposal_title, path: `/events/${r.proposal_event_slug}/proposals/${r.proposal_id}`, inviter: r.inviter }]
    if (r.kind === 'meetup' && r.meetup_title !== null) return [{ id: r.id, kind: r.kind, title: r.meetup_title, path: `/meetups/${r.meetup_slug}`, inviter: r.inviter }]
    if (r.kind === 'event' && r.event_name !== null) return [{ id: r.id, kind: r.kind, title: r.event_name, path: `/events/${r.event_slug}`, inviter: r.inviter }]
    return [] // its proposal, meetup or event is gone
  })
}

/** Who has been invited to one thing and has not answered yet, for the people who invited them. */
export async function listPendingNames(db: Kysely<Database>, kind: InvitationKind, targetId: number): Promise<{ id: number; display_name: string }[]> {
  return db
    .selectFrom('host_invitations as i')
    .innerJoin('users as u', 'u.id', 'i.user_id')
    .select(['i.id', 'u.display_name'])
    .where('i.kind', '=', kind)
    .where('i.target_id', '=', targetId)
    .orderBy(sql`lower(u.display_name)`)
    .execute()
}
