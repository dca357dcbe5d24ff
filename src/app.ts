// buildApp(config) is the whole application: the server and the tests build it the same way.
// Plugins first (order matters: each hook runs in registration order), then features.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { Config } from './config.js'
import { EarlyAnswers, serverWithEarlyAnswers } from './lib/early-answers.js'
import type { WorkerOptions } from './features/notices/outbox-worker.js'
import type { QueueOptions } from './features/federation/message-queue.js'
import federationRoutes from './features/federation/federation.routes.js'
import remoteFollowRoutes from './features/federation/remote-follow.routes.js'
import accountsRoutes from './features/accounts/accounts.routes.js'
import recoveryRoutes from './features/accounts/recovery.routes.js'
import accountSettingsRoutes from './features/accounts/account-settings.routes.js'
import adminRoutes from './features/admin/admin.routes.js'
import shareRoutes from './features/cards/share.routes.js'
import tagsRoutes from './features/cards/tags.routes.js'
import chatsRoutes from './features/communities/chats.routes.js'
import communitiesRoutes from './features/communities/communities.routes.js'
import conductRoutes from './features/conduct/conduct.routes.js'
import membersRoutes from './features/communities/members.routes.js'
import topicsRoutes from './features/communities/topics.routes.js'
import healthRoutes from './features/health/health.routes.js'
import eventsRoutes from './features/events/events.routes.js'
import manageRoutes from './features/events/manage.routes.js'
import proposalsRoutes from './features/events/proposals.routes.js'
import homeRoutes from './features/home/home.routes.js'
import searchRoutes from './features/search/search.routes.js'
import meetupsRoutes from './features/meetups/meetups.routes.js'
import deletionsRoutes from './features/deletions/deletions.routes.js'
import imagesRoutes from './features/images/images.routes.js'
import meRoutes from './features/home/me.routes.js'
import myDataRoutes from './features/accounts/my-data.routes.js'
import privacyRoutes from './features/accounts/privacy.routes.js'
import hostMessagesRoutes from './features/meetups/host-messages.routes.js'
import noticesRoutes from './features/notices/notices.routes.js'
import invitationsRoutes from './features/invitations/invitations.routes.js'
import moderationRoutes from './features/moderation/moderation.routes.js'
import languageRoutes from './features/language/language.routes.js'
import peopleRoutes from './features/people/people.routes.js'
import identitiesRoutes from './features/identities/identities.routes.js'
import mastodonRoutes from './features/mastodon/mastodon.routes.js'
import blueskyRoutes from './features/bluesky/bluesky.routes.js'
import agendaRoutes from './features/schedule/agenda.routes.js'
import calendarsRoutes from './features/calendars/calendars.routes.js'
import eventFeedCache from './features/calendars/event-feed-cache.js'
import apiRoutes from './features/api/api.routes.js'
import feedsRoutes from './features/api/feeds.routes.js'
import gridRoutes from './features/schedule/grid.routes.js'
import roomsRoutes from './features/schedule/rooms.routes.js'
import scheduleRoutes from './features/schedule/schedule.routes.js'
import slotsRoutes from './features/schedule/slots.routes.js'
import auth from './plugins/auth.js'
import csrf from './plugins/csrf.js'
import db from './plugins/db.js'
import drafts from './plugins/drafts.js'
import errors, { sendFrameworkErrorPage } from './plugins/errors.js'
import flash from './plugins/flash.js'
import keptPages from './plugins/kept-pages.js'
import federation from './plugins/federation.js'
import forms from './plugins/forms.js'
import i18n from './plugins/i18n.js'
import live, { type LiveOptions } from './plugins/live.js'
import offline from './plugins/offline.js'
import outbox from './plugins/outbox.js'
import security from './plugins/security.js'
import session from './plugins/session.js'
import staticFiles from './plugins/static.js'
import views from './plugins/views.js'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    earlyAnswers: EarlyAnswers
  }
}

export interface BuildOptions {
  /** Fastify logger options; the server passes its own, tests usually pass false. */
  logger?: FastifyServerOptions['logger']
  /** Outbox worker timings; tests shorten them. */
  mailWorker?: Partial<WorkerOptions>
  /** How often the LISTEN connection is checked, and how long it may take to answer. */
  live?: Partial<LiveOptions>
  /** The ActivityPub queue's timings; tests shorten them. */
  federationQueue?: Partial<QueueOptions>
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const early = new EarlyAnswers()
  const app = Fastify({
    // Node's request listener tries the answers kept in memory first (src/lib/early-answers.ts).
    serverFactory: serverWithEarlyAnswers(early),
    logger: options.logger ?? { level: config.logLevel },
    trustProxy: config.trustProxy,
    // Every field error at once, so a form can list all its problems in one go.
    ajv: { customOptions: { allErrors: true } },
    // Graceful shutdown: let in-flight requests finish, refuse new ones.
    return503OnClosing: true,
    // `app` is only read when a request arrives, long after it is assigned.
    frameworkErrors: (error, request, reply) => void sendFrameworkErrorPage(app, config, error, request, reply),
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorate('config', config)
  app.decorate('earlyAnswers', early)
  if (!config.rateLimits) app.log.warn('HASHCAMP_RATE_LIMITS=off: sign-in and sign-up are not rate-limited')

  await app.register(db, { config })
  await app.register(live, { config, options: options.live })
  // Before the session and every other hook: answers a calendar app's poll from memory.
  await app.register(eventFeedCache)
  await app.register(security, { config })
  await app.register(staticFiles)
  await app.register(forms)
  await app.register(session, { config })
  await app.register(auth)
  await app.register(i18n)
  await app.register(csrf)
  await app.register(flash)
  await app.register(views, { config })
  await app.register(errors, { config })
  await app.register(keptPages)
  await app.register(offline)
  await app.register(outbox, { config, worker: options.mailWorker })
  await app.register(drafts, { config })
  await app.register(federation, { config, queue: options.federationQueue })

  await app.register(healthRoutes)
  await app.register(homeRoutes)
  await app.register(searchRoutes)
  await app.register(languageRoutes)
  await app.register(accountsRoutes)
  await app.register(recoveryRoutes)
  await app.register(accountSettingsRoutes)
  await app.register(peopleRoutes)
  await app.register(identitiesRoutes)
  await app.register(mastodonRoutes)
  await app.register(blueskyRoutes)
  await app.register(adminRoutes)
  await app.register(conductRoutes)
  await app.register(communitiesRoutes)
  await app.register(membersRoutes)
  await app.register(chatsRoutes)
  await app.register(topicsRoutes)
  await app.register(eventsRoutes)
  await app.register(proposalsRoutes)
  await app.register(manageRoutes)
  await app.register(roomsRoutes)
  await app.register(slotsRoutes)
  await app.register(gridRoutes)
  await app.register(scheduleRoutes)
  await app.register(agendaRoutes)
  await app.register(calendarsRoutes)
  await app.register(feedsRoutes)
  await app.register(apiRoutes)
  await app.register(meetupsRoutes)
  await app.register(deletionsRoutes)
  await app.register(imagesRoutes)
  await app.register(meRoutes)
  await app.register(myDataRoutes)
  await app.register(privacyRoutes)
  await app.register(hostMessagesRoutes)
  await app.register(noticesRoutes)
  await app.register(invitationsRoutes)
  await app.register(moderationRoutes)
  await app.register(shareRoutes)
  await app.register(tagsRoutes)
  await app.register(remoteFollowRoutes)
  await app.register(federationRoutes)

  await app.ready()
  return app
}
