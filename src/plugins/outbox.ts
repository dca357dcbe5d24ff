// Email: the mailer (SMTP, or the mail folder in the data folder), the unsubscribe-link signer, and the
// outbox worker that sends what the features queue. The worker runs in every app process
// (HASHCAMP_MAIL_WORKER=off turns it off); on PostgreSQL they share the work safely.
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { composeNotice, type EmailView } from '../features/notices/compose.js'
import { OutboxWorker, type WorkerOptions } from '../features/notices/outbox-worker.js'
import { UnsubscribeTokens } from '../features/notices/unsubscribe-token.js'
import { AccountLinks } from '../features/accounts/account-links.js'
import { createMailer, mailFolder, type Mailer } from '../lib/mailer.js'
import { sessionKey } from './session.js'

/** How long after a POST the worker looks for mail it queued (see the onResponse hook). */
const KICK_AFTER_MS = 50

export interface Outbox {
  mailer: Mailer
  tokens: UnsubscribeTokens
  /** Signs and checks password-reset and email-confirmation links. */
  links: AccountLinks
  worker: OutboxWorker
}

declare module 'fastify' {
  interface FastifyInstance {
    outbox: Outbox
  }
}

export default fp<{ config: Config; worker?: Partial<WorkerOptions> }>(
  async (app, { config, worker: workerOptions }) => {
    const mailer = createMailer(config)
    const tokens = new UnsubscribeTokens(sessionKey(config))
    const links = new AccountLinks(sessionKey(config))
    const renderHtml = (view: EmailView) => app.view('emails/notice', view) as Promise<string>
    const compose = (row: Parameters<typeof composeNotice>[1], recipient: Parameters<typeof composeNotice>[2]) =>
      composeNotice({ baseUrl: config.baseUrl, from: config.mailFrom, tokens, links, renderHtml }, row, recipient)
    const worker = new OutboxWorker(app.db, app.dialect, mailer, compose, app.log.child({ component: 'outbox' }), workerOptions)
    app.decorate('outbox', { mailer, tokens, links, worker })
    let kickTimer: NodeJS.Timeout | null = null

    if (config.mailWorker) {
      app.addHook('onReady', async () => worker.start())
      // A change that queued mail was just committed: send it soon rather than at the next
      // poll. Kicks within KICK_AFTER_MS make one round: a storm of RSVPs costs a few rounds
      // of the worker's queries, not one per POST.
      app.addHook('onResponse', (request, _reply, done) => {
        if (request.method === 'POST' && !kickTimer) {
          kickTimer = setTimeout(() => {
            kickTimer = null
            worker.kick()
          }, KICK_AFTER_MS)
          kickTimer.unref()
        }
        done()
      })
    }
    app.addHook('preClose', async () => {
      if (kickTimer) clearTimeout(kickTimer)
      await worker.stop()
      mailer.close()
    })
    if (mailer.kind === 'folder') app.log.info(`SMTP_URL is not set: emails are written to ${mailFolder(config.dataDir)} and listed at /dev/mail`)
  },
  { name: 'outbox', dependencies: ['db', 'views'] },
)
