// /me/account: the account's address (confirmed or not, changing it), its password, and
// signing out on every browser at once.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { errorsFromValidation, keptValues, withError, type FormErrors } from '../../lib/forms.js'
import { requireSignIn } from '../../plugins/auth.js'
import { endSession, sessionId } from '../../plugins/session.js'
import { ChangeEmailBody, ChangePasswordBody, ConfirmBody, changeEmailMessages, changePasswordMessages } from './accounts.schemas.js'
import { isCommonPassword } from './passwords.js'
import { changePassword, pendingEmailChange, requestEmailChange, sendConfirmation } from './recovery.service.js'
import { countSessionsOf, deleteSessionsOf } from './sessions.queries.js'
import { LIMITS, buckets, recordAttempt } from './sign-in-throttle.js'
import { findUserById } from './users.queries.js'

const SECRET_FIELDS = ['currentPasswordForEmail', 'currentPassword', 'newPassword']

const accountSettingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app

  async function render(request: FastifyRequest, reply: FastifyReply, status = 200, values: Record<string, unknown> = {}, errors: FormErrors = {}) {
    const now = new Date()
    const user = await findUserById(db, request.currentUser!.id)
    if (!user) return reply.callNotFound()
    const [pending, sessions] = await Promise.all([pendingEmailChange(db, user, now), countSessionsOf(db, user.id, now)])
    return reply.code(status).viewAsync('me/account', { email: user.email, hasPassword: user.password_hash !== null, confirmed: user.email_verified_at !== null, pending, sessions, values, errors })
  }

  /** Each confirmation email is counted against the account: nobody can make it mail an address over and over. */
  async function overEmailLimit(userId: number, now: Date): Promise<boolean> {
    return config.rateLimits && (await recordAttempt(db, buckets.confirmationEmails(userId), LIMITS.confirmationEmailsPerAccount, now)).limited
  }

  app.get('/me/account', { preHandler: requireSignIn }, async (request, reply) => render(request, reply))

  app.post('/me/account/confirmation', { preHandler: requireSignIn, schema: { body: ConfirmBody } }, async (request, reply) => {
    const now = new Date()
    const user = await findUserById(db, request.currentUser!.id)
    if (!user) return reply.callNotFound()
    if (user.email_verified_at || !user.email) {
      reply.flash('account.confirmation.already')
      return reply.redirect('/me/account', 303)
    }
    if (await overEmailLimit(user.id, now)) return render(request, reply, 429, {}, { _form: { key: 'account.tooManyEmails' } })
    const email = user.email
    await db.transaction().execute((trx) => sendConfirmation(trx, user, email, now))
    reply.flash('account.confirmation.sent', { email })
    return reply.redirect('/me/account', 303)
  })

  app.post('/me/account/email', { preHandler: requireSignIn, schema: { body: ChangeEmailBody }, attachValidation: true }, async (request, reply) => {
    const values = keptValues(request.body, SECRET_FIELDS)
    // The password is optional in the schema (an account may have none): asked of those that do, with the rest.
    const hasPassword = (await findUserById(db, request.currentUser!.id))?.password_hash != null
    const passwordMissing = hasPassword && !(request.body as { currentPasswordForEmail?: unknown } | undefined)?.currentPasswordForEmail
    if (request.validationError || passwordMissing) {
      let errors = request.validationError ? errorsFromValidation(request.validationError.validation, changeEmailMessages, request.body) : {}
      if (passwordMissing) errors = withError(errors, changeEmailMessages, 'currentPasswordForEmail', { key: 'account.password.currentRequired' })
      return render(request, reply, 400, values, errors)
    }
    const now = new Date()
    if (await overEmailLimit(request.currentUser!.id, now)) return render(request, reply, 429, values, { _form: { key: 'account.tooManyEmails' } })
    const result = await requestEmailChange(db, request.currentUser!.id, request.body.email, request.body.currentPasswordForEmail, now)
    if (!result.ok) return render(request, reply, 400, values, withError({}, changeEmailMessages, result.field, { key: result.key as 'account.email.same' }))
    reply.flash('account.email.sent', { email: result.email })
    return reply.redirect('/me/account', 303)
  })

  app.post('/me/account/password', { preHandler: requireSignIn, schema: { body: ChangePasswordBody }, attachValidation: true }, async (request, reply) => {
    const values = keptValues(request.body, SECRET_FIELDS)
    if (request.validationError) {
      let errors = errorsFromValidation(request.validationError.validation, changePasswordMessages, request.body)
      const password = (request.body as { newPassword?: unknown } | undefined)?.newPassword
      if (!errors.newPassword && typeof password === 'string' && isCommonPassword(password)) errors = withError(errors, changePasswordMessages, 'newPassword', { key: 'signUp.password.common' })
      return render(request, reply, 400, values, errors)
    }
    if (isCommonPassword(request.body.newPassword)) return render(request, reply, 400, values, { newPassword: { key: 'signUp.password.common' } })
    const changed = await changePassword(db, request.currentUser!.id, request.body.currentPassword, request.body.newPassword, sessionId(request), new Date())
    if (!changed) return render(request, reply, 400, values, { currentPassword: { key: 'account.password.wrong' } })
    reply.flash('account.password.changed')
    return reply.redirect('/me/account', 303)
  })

  app.post('/me/account/sign-out-everywhere', { preHandler: requireSignIn, schema: { body: ConfirmBody } }, async (request, reply) => {
    await deleteSessionsOf(db, request.currentUser!.id)
    await endSession(db, request)
    reply.flash('account.signedOutEverywhere')
    return reply.redirect('/sign-in', 303)
  })
}

export default accountSettingsRoutes
