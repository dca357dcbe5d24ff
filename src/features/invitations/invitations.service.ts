// Saying yes (or no) to an invitation to host. Only on yes does the person appear as a host,
// publicly; until then the invitation gives them nothing.
import type { Kysely } from 'kysely'
import type { Database, InvitationKind } from '../../db/database.js'
import { NotFoundError } from '../../lib/http-errors.js'
import { addOrganiser } from '../events/events.queries.js'
import { addHost } from '../events/proposals.queries.js'
import { addMeetupHost } from '../meetups/meetups.queries.js'
import { deleteInvitation, findInvitation } from './invitations.queries.js'

export interface Answered {
  kind: InvitationKind
  targetId: number
  /** The event whose grid and schedule files list the new host, if any. */
  eventId: number | null
}

export async function answerInvitation(db: Kysely<Database>, id: number, userId: number, accept: boolean, now: Date): Promise<Answered> {
  return db.transaction().execute(async (trx) => {
    const invitation = await findInvitation(trx, id, userId)
    if (!invitation) throw new NotFoundError('no such invitation for this person')
    await deleteInvitation(trx, invitation.id)
    let eventId: number | null = null
    if (accept && invitation.kind === 'proposal') {
      await addHost(trx, invitation.target_id, userId)
      eventId = (await trx.selectFrom('proposals').select('event_id').where('id', '=', invitation.target_id).executeTakeFirst())?.event_id ?? null
    }
    if (accept && invitation.kind === 'meetup') await addMeetupHost(trx, invitation.target_id, userId)
    if (accept && invitation.kind === 'event') await addOrganiser(trx, invitation.target_id, userId, now.toISOString())
    return { kind: invitation.kind, targetId: invitation.target_id, eventId }
  })
}
