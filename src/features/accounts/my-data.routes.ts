// /me/data: download everything the site holds about me, or delete my account.
// Thin handlers: validate → call the service → render or redirect.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorsFromValidation, keptValues, type FormErrors } from '../../lib/forms.js'
import { mailFolder } from '../../lib/mailer.js'
import { requireSignIn } from '../../plugins/auth.js'
import { endSession } from '../../plugins/session.js'
import { liveTopic } from '../schedule/schedule-access.js'
import { deleteAccount } from './erasure.service.js'
import { DeleteAccountBody, deleteAccountMessages } from './my-data.schemas.js'
import { exportMyData } from './my-data.queries.js'
import { verifyPassword } from './passwords.js'
import { LIMITS, buckets, recordAttempt } from './sign-in-throttle.js'
import { findUserById } from './users.queries.js'

const SECRET_FIELDS = ['password']

const myDataRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app

  app.get('/me/data', { preHandler: requireSignIn }, async (_request, reply) => reply.viewAsync('me/data', {}))

  app.get('/me/data.json', { preHandler: requireSignIn }, async (request, reply) => {
    const now = new Date()
    const data = await exportMyData(db, request.currentUser!.id, now)
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="hashcamp-my-data-${now.toISOString().slice(0, 10)}.json"`)
      .header('cache-control', 'no-store')
      .send(JSON.stringify(data, null, 2))
  })

  const hasPassword = async (userId: number) => (await findUserById(db, userId))?.password_hash != null
  app.get('/me/delete', { preHandler: requireSignIn }, async (request, reply) =>
    reply.viewAsync('me/delete', { values: { content: 'keep' }, errors: {}, hasPassword: await hasPassword(request.currentUser!.id) }),
  )

  app.post('/me/delete', { preHandler: requireSignIn, schema: { body: DeleteAccountBody }, attachValidation: true }, async (request, reply) => {
    const values = keptValues(request.body, SECRET_FIELDS)
    const render = async (status: number, errors: FormErrors) => reply.code(status).viewAsync('me/delete', { values, errors, hasPassword: await hasPassword(request.currentUser!.id) })
    if (request.validationError) return render(400, errorsFromValidation(request.validationError.validation, deleteAccountMessages, request.body))

    const now = new Date()
    const me = request.currentUser!
    // Someone with a signed-in browser in their hands guesses no faster here than at /sign-in.
    if (config.rateLimits && (await recordAttempt(db, buckets.signInAccountFromIp(me.email ?? `user${me.id}`, request.ip), LIMITS.failedSignInsPerAccountFromIp, now)).limited) {
      return render(429, { password: { key: 'signIn.tooManyForAccount', params: { count: LIMITS.failedSignInsPerAccountFromIp.windowMs / 60000 } } })
    }
    const user = await findUserById(db, me.id)
    if (!user) return reply.callNotFound()
    if (user.password_hash !== null) {
      if (!request.body.password) return render(400, { password: { key: 'erasure.password.required' } })
      if (!(await verifyPassword(request.body.password, user.password_hash))) return render(400, { password: { key: 'erasure.password.wrong' } })
    }

    const result = await deleteAccount(db, me.id, { withdrawContent: request.body.content === 'withdraw' }, now, mailFolder(config.dataDir))
    for (const eventId of result.eventIds) await app.live.publish(liveTopic(eventId))
    await endSession(db, request)
    reply.flash('erasure.done')
    return reply.redirect('/', 303)
  })
}

export default myDataRoutes
