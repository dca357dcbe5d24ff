// Email preferences (/me/email), unsubscribe links that need no sign-in, and /dev/mail,
// where the site admin reads what was sent when there is no SMTP server.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { SITE_TIME_ZONE } from '../../i18n/format.js'
import { listStoredMail, mailFolder } from '../../lib/mailer.js'
import { CsrfField } from '../../lib/schema-fields.js'
import { requireRole, requireSignIn } from '../../plugins/auth.js'
import { NOTICE_TOPICS, isNoticeTopic } from './notices.js'
import { listOptOuts, optIn, optOut, outboxCounts } from './outbox.queries.js'

const PreferencesBody = Type.Object({ topics: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String(), { maxItems: 20 })])), _csrf: CsrfField })
const TokenParams = Type.Object({ token: Type.String({ maxLength: 200 }) })

const noticesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app

  // A mail client's one-click unsubscribe may come as multipart/form-data (RFC 8058): its
  // body says nothing the URL does not, so it is read and dropped. Only in this plugin.
  app.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit: 4096 }, (_request, _body, done) => done(null, {}))

  app.get('/me/email', { preHandler: requireSignIn }, async (request, reply) => {
    const off = new Set(await listOptOuts(db, request.currentUser!.id))
    return reply.viewAsync('notices/preferences', { topics: NOTICE_TOPICS.map((topic) => ({ topic, on: !off.has(topic) })) })
  })

  app.post('/me/email', { preHandler: requireSignIn, schema: { body: PreferencesBody } }, async (request, reply) => {
    const chosen = request.body.topics === undefined ? [] : Array.isArray(request.body.topics) ? request.body.topics : [request.body.topics]
    const on = new Set(chosen.filter(isNoticeTopic))
    const userId = request.currentUser!.id
    const stamp = new Date().toISOString()
    for (const topic of NOTICE_TOPICS) {
      if (on.has(topic)) await optIn(db, userId, topic)
      else await optOut(db, userId, topic, stamp)
    }
    reply.flash('notice.preferences.saved')
    return reply.redirect('/me/email', 303)
  })

  app.get('/unsubscribe/:token', { schema: { params: TokenParams } }, async (request, reply) => {
    const link = app.outbox.tokens.verify(request.params.token)
    if (!link) return reply.code(404).viewAsync('notices/unsubscribe', { state: 'invalid' })
    return reply.viewAsync('notices/unsubscribe', { state: 'ask', topic: link.topic, token: request.params.token })
  })

  // No CSRF token: the signed URL is the credential, it can only turn one kind of email off,
  // and the mail client that POSTs here (List-Unsubscribe-Post) has no page to get a token from.
  app.post('/unsubscribe/:token', { schema: { params: TokenParams }, config: { csrf: false } }, async (request, reply) => {
    const link = app.outbox.tokens.verify(request.params.token)
    if (!link) return reply.code(404).viewAsync('notices/unsubscribe', { state: 'invalid' })
    await optOut(db, link.userId, link.topic, new Date().toISOString())
    return reply.viewAsync('notices/unsubscribe', { state: 'done', topic: link.topic })
  })

  app.get('/dev/mail', { preHandler: requireRole('admin') }, async (_request, reply) => {
    const [counts, mail] = await Promise.all([outboxCounts(db), listStoredMail(app.config.dataDir)])
    return reply.viewAsync('notices/dev-mail', { timeZone: SITE_TIME_ZONE, smtp: app.outbox.mailer.kind === 'smtp', folder: mailFolder(app.config.dataDir), counts: { pending: counts.pending ?? 0, sent: counts.sent ?? 0, failed: counts.failed ?? 0 }, mail })
  })
}

export default noticesRoutes
