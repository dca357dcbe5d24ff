// Proposals: the list with interest votes, proposing, and each proposal's page, where its
// proposer edits or withdraws it, its hosts keep its notes link, and organisers decide.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Kysely } from 'kysely'
import { Type } from 'typebox'
import { PROPOSAL_FORMATS, PROPOSAL_NEEDS, type Database, type ProposalRow } from '../../db/database.js'
import { errorsFromValidation, keptValues, type FieldMessages } from '../../lib/forms.js'
import { ForbiddenError, NotFoundError, RefusedError } from '../../lib/http-errors.js'
import { renderMarkdown } from '../../lib/markdown.js'
import { pageCount, pageHref, pagination } from '../../lib/pagination.js'
import { isLocale } from '../../i18n/i18n.js'
import { pageCard, shareLinks } from '../cards/cards.js'
import { CsrfField, Id, NextField, Slug } from '../../lib/schema-fields.js'
import { requireSignIn, safeNextPath, type CurrentUser } from '../../plugins/auth.js'
import { findUserByTypedHandle } from '../accounts/users.queries.js'
import { insertInvitation, listPendingNames } from '../invitations/invitations.queries.js'
import { personPath } from '../people/people.view-models.js'
import { EventSlugParams, ProposalBody, ProposalListQuery, ProposalParams, isFormat, needsList, proposalMessages, readNeeds } from './events.schemas.js'
import { eventPath, proposalFormValues, toEventHeader } from './events.view-models.js'
import { assertOrganiser, eventOr404, type EventContext } from './event-access.js'
import { decideProposals } from './events.service.js'
import { DECIDABLE_STATES, LIVE_STATES, OPEN_STATES, assertPhaseAllows, assertVotable, isSchedulePublished, phaseAllows } from './phases.js'
import { placementOf } from '../schedule/grid.queries.js'
import { liveTopic } from '../schedule/schedule-access.js'
import { hasStarred } from '../schedule/stars.queries.js'
import { formatInstant } from '../../i18n/format.js'
import { searchTerms, typedSearch } from '../search/search-terms.js'
import { searchProposals } from '../search/search.queries.js'
import {
  findProposal,
  hasVoted,
  insertProposal,
  isHost,
  listHosts,
  listProposals,
  removeHost,
  setProposalVote,
  updateProposal,
} from './proposals.queries.js'

/** A page a phone can take: a big camp's list runs to hundreds. */
export const PROPOSALS_PER_PAGE = 100
const NotesBody = Type.Object({ notesUrl: Type.String({ maxLength: 500, pattern: '^$|^https?://\\S+$' }), _csrf: CsrfField })
const notesMessages: FieldMessages = { notesUrl: { default: 'community.chatUrl.invalid' } }
const VoteBody = Type.Object({ want: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('0')])), next: NextField, _csrf: CsrfField })
const DecideBody = Type.Object({ state: Type.Union([Type.Literal('accepted'), Type.Literal('declined'), Type.Literal('proposed')]), _csrf: CsrfField })
const HostBody = Type.Object({ who: Type.String({ maxLength: 254 }), _csrf: CsrfField })
const HostParams = Type.Object({ slug: Slug, id: Id, userId: Id })

interface ProposalContext extends EventContext {
  proposal: ProposalRow
  isHost: boolean
}

async function proposalOr404(db: Kysely<Database>, slug: string, id: number, user: CurrentUser | null): Promise<ProposalContext> {
  const context = await eventOr404(db, slug, user)
  const proposal = await findProposal(db, context.event.id, id)
  if (!proposal) throw new NotFoundError('no such proposal')
  const host = user !== null && (await isHost(db, proposal, user.id))
  // A hidden proposal is there only for its hosts (to read why) and the organisers who moderate it (issue 20).
  if (proposal.hidden_at && !host && !context.isOrganiser) throw new NotFoundError('proposal is hidden')
  return { ...context, proposal, isHost: host }
}

const proposalsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app
  const formOptions = { formats: PROPOSAL_FORMATS, needs: PROPOSAL_NEEDS }

  app.get('/events/:slug/proposals', { config: { keptPage: true }, schema: { params: EventSlugParams, querystring: ProposalListQuery } }, async (request, reply) => {
    const context = await eventOr404(db, request.params.slug, request.currentUser)
    // A search (issue 22) narrows the list and, unless another order was chosen, ranks it.
    const typed = typedSearch(request.query.q)
    const search = searchTerms(typed)
    const searching = search.words.length > 0
    const asked = request.query.sort ?? (searching ? 'relevance' : 'interest')
    const filter = {
      sort: asked === 'relevance' && !searching ? 'interest' : asked,
      format: isFormat(request.query.format) ? request.query.format : null,
      state: request.query.state || null,
    } as const
    const page = request.query.page ?? 1
    const viewerId = request.currentUser?.id ?? null
    const range = { limit: PROPOSALS_PER_PAGE, offset: (page - 1) * PROPOSALS_PER_PAGE }
    const { items, total } = searching
      ? await searchProposals(db, app.dialect, context.event.id, viewerId, filter, search.words, range)
      : await listProposals(db, context.event.id, viewerId, { ...filter, sort: filter.sort === 'relevance' ? 'interest' : filter.sort }, range)
    // Page links keep the filters and the search, and a ?lang= the reader came in with (it is not remembered).
    const lang = (request.query as { lang?: unknown }).lang
    const filters = { sort: request.query.sort, format: request.query.format, state: request.query.state, lang: isLocale(lang) ? lang : undefined }
    const kept = { q: typed || undefined, ...filters }
    const listBase = eventPath(context.event, '/proposals')
    const pages = pageCount(total, PROPOSALS_PER_PAGE)
    // Past the end (the list shrank, or a hand-made address): the last page there is.
    if (page > pages) return reply.redirect(pageHref(listBase, kept, pages), 302)
    return reply.viewAsync('events/proposals', {
      event: toEventHeader(request.i18n.locale, context.event),
      proposals: items.map((p) => ({ ...p, votable: LIVE_STATES.includes(p.state) })),
      total,
      perPage: PROPOSALS_PER_PAGE,
      pagination: pagination(listBase, kept, page, pages),
      filter,
      search: { typed, searching, shortened: search.shortened, clearHref: pageHref(eventPath(context.event, '/proposals'), { ...filters, sort: filters.sort === 'relevance' ? undefined : filters.sort }, 1) },
      formats: PROPOSAL_FORMATS,
      canPropose: phaseAllows(context.event.phase, 'propose'),
      canVote: phaseAllows(context.event.phase, 'vote') && request.currentUser !== null,
      listPath: request.url,
    })
  })

  app.get('/events/:slug/proposals/new', { preHandler: requireSignIn, schema: { params: EventSlugParams } }, async (request, reply) => {
    const context = await eventOr404(db, request.params.slug, request.currentUser)
    assertPhaseAllows(context.event.phase, 'propose')
    return reply.viewAsync('events/new-proposal', { event: toEventHeader(request.i18n.locale, context.event), values: { format: 'discussion', needs: [] }, errors: {}, ...formOptions })
  })

  app.post('/events/:slug/proposals', { preHandler: requireSignIn, schema: { params: EventSlugParams, body: ProposalBody }, attachValidation: true }, async (request, reply) => {
    const context = await eventOr404(db, request.params.slug, request.currentUser)
    assertPhaseAllows(context.event.phase, 'propose')
    if (request.validationError) {
      return reply.code(400).viewAsync('events/new-proposal', {
        event: toEventHeader(request.i18n.locale, context.event),
        values: { ...keptValues(request.body), needs: needsList(readNeeds((request.body as { needs?: unknown } | undefined)?.needs)) },
        errors: errorsFromValidation(request.validationError.validation, proposalMessages, request.body),
        ...formOptions,
      })
    }
    const stamp = new Date().toISOString()
    const proposal = await insertProposal(db, {
      event_id: context.event.id,
      title: request.body.title,
      description: request.body.description.replace(/\r\n/g, '\n'),
      format: request.body.format,
      needs: readNeeds(request.body.needs),
      proposer_id: request.currentUser!.id,
      pitcher_name: null,
      pitcher_handle: null,
      queue_position: null,
      notes_url: null,
      created_at: stamp,
      updated_at: stamp,
    })
    reply.flash('proposals.created')
    return reply.redirect(eventPath(context.event, `/proposals/${proposal.id}`), 303)
  })

  app.get('/events/:slug/proposals/:id', { schema: { params: ProposalParams } }, async (request, reply) => {
    const context = await proposalOr404(db, request.params.slug, request.params.id, request.currentUser)
    const { proposal, event } = context
    if (proposal.state === 'merged' && proposal.merged_into) return reply.redirect(eventPath(event, `/proposals/${proposal.merged_into}`), 301)
    // The count is on the proposal row already (kept by triggers).
    const votes = proposal.vote_count
    const [hosts, voted, proposer, placement, starred] = await Promise.all([
      listHosts(db, proposal.id),
      request.currentUser ? hasVoted(db, proposal.id, request.currentUser.id) : false,
      proposal.proposer_id ? db.selectFrom('users').select(['id', 'display_name', 'handle']).where('id', '=', proposal.proposer_id).executeTakeFirst() : undefined,
      // Where it is on the grid: public once the schedule is, and to organisers before.
      isSchedulePublished(event) || context.isOrganiser ? placementOf(db, proposal.id) : undefined,
      request.currentUser ? hasStarred(db, proposal.id, request.currentUser.id) : false,
    ])
    const phase = event.phase
    const header = toEventHeader(request.i18n.locale, event)
    const path = eventPath(event, `/proposals/${proposal.id}`)
    const canInvite = (proposal.proposer_id === request.currentUser?.id || context.isOrganiser) && proposal.state !== 'withdrawn'
    const pendingHosts = canInvite ? await listPendingNames(db, 'proposal', proposal.id) : []
    return reply.viewAsync('events/proposal', {
      card: pageCard(app.config.baseUrl, {
        title: proposal.title,
        description: request.i18n.t('card.session', { format: request.i18n.t(`proposals.format.${proposal.format}`), event: event.name, when: header.datesLabel, count: votes }),
        path,
        type: 'article',
        imageAlt: request.i18n.t('card.imageAlt'),
      }),
      share: shareLinks({ title: proposal.title, when: `${event.name}, ${header.datesLabel}`, hashtag: event.hashtag || null, url: app.config.baseUrl + path }),
      event: header,
      proposal: { ...proposal, descriptionHtml: renderMarkdown(proposal.description), needs: needsList(proposal.needs), votes, voted },
      proposer: proposer ? { ...proposer, path: personPath(proposer) } : null,
      hosts: hosts.map((h) => ({ ...h, path: personPath(h) })),
      pendingHosts,
      placement: placement
        ? {
            room: placement.room,
            when: `${formatInstant(request.i18n.locale, placement.starts_at, event.time_zone, event.first_day === event.last_day ? 'time' : 'dateTime')}–${formatInstant(request.i18n.locale, placement.ends_at, event.time_zone, 'time')}`,
            cancelled: placement.cancelled_at !== null,
            startsAt: placement.starts_at,
            timeZone: event.time_zone,
          }
        : null,
      starred,
      hiddenReason: proposal.hidden_at ? proposal.hidden_reason : null,
      report: request.currentUser && !proposal.hidden_at ? `/report/proposal/${proposal.id}` : null,
      can: {
        star: request.currentUser !== null && phaseAllows(phase, 'star') && LIVE_STATES.includes(proposal.state),
        vote: request.currentUser !== null && phaseAllows(phase, 'vote') && LIVE_STATES.includes(proposal.state),
        edit: (context.isHost || context.isOrganiser) && phaseAllows(phase, 'editProposal') && OPEN_STATES.includes(proposal.state),
        withdraw: proposal.proposer_id === request.currentUser?.id && phaseAllows(phase, 'withdraw') && OPEN_STATES.includes(proposal.state),
        decide: context.isOrganiser && phaseAllows(phase, 'decide') && DECIDABLE_STATES.includes(proposal.state),
        notes: (context.isHost || context.isOrganiser) && phaseAllows(phase, 'notes'),
        hosts: (proposal.proposer_id === request.currentUser?.id || context.isOrganiser) && proposal.state !== 'withdrawn',
      },
    })
  })

  const editable = async (slug: string, id: number, user: CurrentUser | null) => {
    const context = await proposalOr404(db, slug, id, user)
    if (!context.isHost && !context.isOrganiser) throw new ForbiddenError('only its hosts and the organisers edit a proposal')
    assertPhaseAllows(context.event.phase, 'editProposal')
    if (!OPEN_STATES.includes(context.proposal.state)) throw new RefusedError('proposals.refused.edit', { state: context.proposal.state })
    return context
  }

  app.get('/events/:slug/proposals/:id/edit', { preHandler: requireSignIn, schema: { params: ProposalParams } }, async (request, reply) => {
    const { event, proposal } = await editable(request.params.slug, request.params.id, request.currentUser)
    return reply.viewAsync('events/edit-proposal', { event: toEventHeader(request.i18n.locale, event), proposalId: proposal.id, values: proposalFormValues(proposal), errors: {}, ...formOptions })
  })

  app.post('/events/:slug/proposals/:id/edit', { preHandler: requireSignIn, schema: { params: ProposalParams, body: ProposalBody }, attachValidation: true }, async (request, reply) => {
    const { event, proposal } = await editable(request.params.slug, request.params.id, request.currentUser)
    if (request.validationError) {
      return reply.code(400).viewAsync('events/edit-proposal', {
        event: toEventHeader(request.i18n.locale, event),
        proposalId: proposal.id,
        values: { ...keptValues(request.body), needs: needsList(readNeeds((request.body as { needs?: unknown } | undefined)?.needs)) },
        errors: errorsFromValidation(request.validationError.validation, proposalMessages, request.body),
        ...formOptions,
      })
    }
    await updateProposal(db, proposal.id, {
      title: request.body.title,
      description: request.body.description.replace(/\r\n/g, '\n'),
      format: request.body.format,
      needs: readNeeds(request.body.needs),
      updated_at: new Date().toISOString(),
    })
    // A new title shows on open grids, and in the event's feeds (which are kept until a change is announced).
    await app.live.publish(liveTopic(event.id))
    reply.flash('proposals.saved')
    return reply.redirect(eventPath(event, `/proposals/${proposal.id}`), 303)
  })

  app.post('/events/:slug/proposals/:id/vote', { preHandler: requireSignIn, schema: { params: ProposalParams, body: VoteBody } }, async (request, reply) => {
    const { event, proposal } = await proposalOr404(db, request.params.slug, request.params.id, request.currentUser)
    assertPhaseAllows(event.phase, 'vote')
    assertVotable(proposal.state)
    const voted = await setProposalVote(db, proposal.id, request.currentUser!.id, request.body.want !== '0', new Date().toISOString())
    reply.flash(voted ? 'proposals.voted' : 'proposals.unvoted', { title: proposal.title })
    // Back to the item voted on (the form's `next` names the page and its anchor), not the top.
    return reply.redirect(safeNextPath(request.body.next) ?? eventPath(event, `/proposals/${proposal.id}#interest`), 303)
  })

  app.post('/events/:slug/proposals/:id/withdraw', { preHandler: requireSignIn, schema: { params: ProposalParams } }, async (request, reply) => {
    const { event, proposal } = await proposalOr404(db, request.params.slug, request.params.id, request.currentUser)
    if (proposal.proposer_id !== request.currentUser!.id) throw new ForbiddenError('only the proposer withdraws')
    assertPhaseAllows(event.phase, 'withdraw')
    if (!OPEN_STATES.includes(proposal.state)) throw new RefusedError('proposals.refused.withdraw', { state: proposal.state })
    await updateProposal(db, proposal.id, { state: 'withdrawn', queue_position: null, updated_at: new Date().toISOString() })
    reply.flash('proposals.withdrawn', { title: proposal.title })
    return reply.redirect(eventPath(event, `/proposals/${proposal.id}`), 303)
  })

  app.post('/events/:slug/proposals/:id/state', { preHandler: requireSignIn, schema: { params: ProposalParams, body: DecideBody } }, async (request, reply) => {
    const context = await proposalOr404(db, request.params.slug, request.params.id, request.currentUser)
    assertOrganiser(context)
    assertPhaseAllows(context.event.phase, 'decide')
    const { proposal } = context
    if (!DECIDABLE_STATES.includes(proposal.state)) throw new RefusedError('proposals.refused.decide', { state: proposal.state })
    await decideProposals(db, context.event, [proposal.id], request.body.state, new Date())
    reply.flash('proposals.stateChanged', { title: proposal.title })
    return reply.redirect(eventPath(context.event, `/proposals/${proposal.id}`), 303)
  })

  const notesContext = async (slug: string, id: number, user: CurrentUser | null) => {
    const context = await proposalOr404(db, slug, id, user)
    if (!context.isHost && !context.isOrganiser) throw new ForbiddenError('only hosts and organisers keep the notes link')
    assertPhaseAllows(context.event.phase, 'notes')
    return context
  }

  app.get('/events/:slug/proposals/:id/notes', { preHandler: requireSignIn, schema: { params: ProposalParams } }, async (request, reply) => {
    const { event, proposal } = await notesContext(request.params.slug, request.params.id, request.currentUser)
    return reply.viewAsync('events/proposal-notes', { event: toEventHeader(request.i18n.locale, event), proposal, values: { notesUrl: proposal.notes_url ?? '' }, errors: {} })
  })

  app.post('/events/:slug/proposals/:id/notes', { preHandler: requireSignIn, schema: { params: ProposalParams, body: NotesBody }, attachValidation: true }, async (request, reply) => {
    const { event, proposal } = await notesContext(request.params.slug, request.params.id, request.currentUser)
    if (request.validationError) {
      return reply.code(400).viewAsync('events/proposal-notes', {
        event: toEventHeader(request.i18n.locale, event),
        proposal,
        values: keptValues(request.body),
        errors: errorsFromValidation(request.validationError.validation, notesMessages, request.body),
      })
    }
    await updateProposal(db, proposal.id, { notes_url: request.body.notesUrl || null, updated_at: new Date().toISOString() })
    reply.flash('proposals.notesSaved')
    return reply.redirect(eventPath(event, `/proposals/${proposal.id}`), 303)
  })

  app.post('/events/:slug/proposals/:id/hosts', { preHandler: requireSignIn, schema: { params: ProposalParams, body: HostBody } }, async (request, reply) => {
    const context = await proposalOr404(db, request.params.slug, request.params.id, request.currentUser)
    if (context.proposal.proposer_id !== request.currentUser!.id && !context.isOrganiser) throw new ForbiddenError('only the proposer and organisers add co-hosts')
    const person = await findUserByTypedHandle(db, request.body.who)
    if (!person) {
      // A one-field form on the proposal page: the message repeats what was typed.
      reply.flash('proposals.hosts.notFound', { who: request.body.who })
      return reply.redirect(eventPath(context.event, `/proposals/${context.proposal.id}`), 303)
    }
    // Named only once they say yes: an invitation they answer from their own page.
    if (person.id !== context.proposal.proposer_id) await insertInvitation(db, { kind: 'proposal', targetId: context.proposal.id, userId: person.id, invitedBy: request.currentUser!.id }, new Date().toISOString())
    reply.flash('invitations.sent', { name: person.display_name })
    return reply.redirect(eventPath(context.event, `/proposals/${context.proposal.id}`), 303)
  })

  app.post('/events/:slug/proposals/:id/hosts/:userId/remove', { preHandler: requireSignIn, schema: { params: HostParams } }, async (request, reply) => {
    const context = await proposalOr404(db, request.params.slug, request.params.id, request.currentUser)
    const self = request.params.userId === request.currentUser!.id
    if (context.proposal.proposer_id !== request.currentUser!.id && !context.isOrganiser && !self) throw new ForbiddenError('only the proposer, organisers or the co-host themselves')
    await removeHost(db, context.proposal.id, request.params.userId)
    await app.live.publish(liveTopic(context.event.id))
    reply.flash('proposals.hosts.removed')
    return reply.redirect(eventPath(context.event, `/proposals/${context.proposal.id}`), 303)
  })
}

export default proposalsRoutes
