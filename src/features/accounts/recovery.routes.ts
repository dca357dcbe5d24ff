// Password reset and email confirmation: the pages the emailed links open. Opening a link
// changes nothing (mail scanners open links too); the button on the page does.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AccountLinkPurpose, AccountLinkRow } from '../../db/database.js'
import { errorsFromValidation, keptValues, withError, type FormErrors } from '../../lib/forms.js'
import { startSession } from '../../plugins/session.js'
import { ChoosePasswordBody, ConfirmBody, LinkParams, PasswordResetBody, choosePasswordMessages, passwordResetMessages } from './accounts.schemas.js'
import { isCommonPassword } from './passwords.js'
import { confirmEmail, requestPasswordReset, resetPassword } from './recovery.service.js'
import { LIMITS, buckets, recordAttempt } from './sign-in-throttle.js'

type LinkProblem = 'unknown' | 'used' | 'expired' | 'otherAccount' | 'taken'

const STATUS_OF: Record<LinkProblem, number> = { unknown: 404, used: 410, expired: 410, otherAccount: 403, taken: 409 }

const recoveryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app

  // The token is in the URL: these pages are never cached, and never named to another site.
  const private_ = (reply: FastifyReply) => reply.header('Cache-Control', 'no-store').header('Referrer-Policy', 'no-referrer')

  const linkProblem = (reply: FastifyReply, purpose: AccountLinkPurpose, problem: LinkProblem) =>
    private_(reply).code(STATUS_OF[problem]).viewAsync('accounts/link-problem', { purpose, problem })

  /** The link's row, or the page (rendered, to be returned) that says what is wrong with it. */
  async function openLink(request: FastifyRequest, token: string, reply: FastifyReply, purpose: AccountLinkPurpose): Promise<{ link: AccountLinkRow } | { page: Promise<string> }> {
    const check = await app.outbox.links.check(db, token, purpose, new Date())
    if (!check.ok) return { page: linkProblem(reply, purpose, check.problem) }
    // Signed in as someone else: acting on the link here would mix two accounts up.
    if (request.currentUser && request.currentUser.id !== check.link.user_id) return { page: linkProblem(reply, purpose, 'otherAccount') }
    return { link: check.link }
  }

  app.get('/password-reset', async (request, reply) => {
    return reply.viewAsync('accounts/password-reset', { values: { email: '' }, errors: {} })
  })

  app.post('/password-reset', { schema: { body: PasswordResetBody }, attachValidation: true }, async (request, reply) => {
    const values = keptValues(request.body)
    const render = (status: number, errors: FormErrors) => reply.code(status).viewAsync('accounts/password-reset', { values, errors })
    if (request.validationError) return render(400, errorsFromValidation(request.validationError.validation, passwordResetMessages, request.body))
    const now = new Date()
    if (config.rateLimits && (await recordAttempt(db, buckets.passwordResetIp(request.ip), LIMITS.passwordResetsPerIp, now)).limited) {
      return render(429, { _form: { key: 'passwordReset.tooMany' } })
    }
    await requestPasswordReset(db, request.body.email, now, { rateLimits: config.rateLimits })
    // The same page whether or not the address has an account: this form tells nobody who is here.
    return reply.redirect('/password-reset/sent', 303)
  })

  app.get('/password-reset/sent', async (_request, reply) => reply.viewAsync('accounts/password-reset-sent', {}))

  app.get('/password-reset/:token', { schema: { params: LinkParams } }, async (request, reply) => {
    const opened = await openLink(request, request.params.token, reply, 'reset')
    if ('page' in opened) return opened.page
    return private_(reply).viewAsync('accounts/choose-password', { token: request.params.token, errors: {} })
  })

  app.post('/password-reset/:token', { schema: { params: LinkParams, body: ChoosePasswordBody }, attachValidation: true }, async (request, reply) => {
    const opened = await openLink(request, request.params.token, reply, 'reset')
    if ('page' in opened) return opened.page
    const { link } = opened
    const render = (errors: FormErrors) => private_(reply).code(400).viewAsync('accounts/choose-password', { token: request.params.token, errors })
    if (request.validationError) {
      let errors = errorsFromValidation(request.validationError.validation, choosePasswordMessages, request.body)
      const password = (request.body as { password?: unknown } | undefined)?.password
      if (!errors.password && typeof password === 'string' && isCommonPassword(password)) errors = withError(errors, choosePasswordMessages, 'password', { key: 'signUp.password.common' })
      return render(errors)
    }
    if (isCommonPassword(request.body.password)) return render({ password: { key: 'signUp.password.common' } })
    const now = new Date()
    const user = await resetPassword(db, link, request.body.password, now)
    if (!user) return linkProblem(reply, 'reset', 'used')
    // Every other session has just ended; this browser starts a fresh one.
    await startSession(db, request, user.id, now)
    reply.flash('passwordReset.done')
    return reply.redirect('/', 303)
  })

  app.get('/verify-email/:token', { schema: { params: LinkParams } }, async (request, reply) => {
    const opened = await openLink(request, request.params.token, reply, 'verify')
    if ('page' in opened) return opened.page
    const { link } = opened
    return private_(reply).viewAsync('accounts/confirm-email', { token: request.params.token, email: link.email })
  })

  app.post('/verify-email/:token', { schema: { params: LinkParams, body: ConfirmBody } }, async (request, reply) => {
    const opened = await openLink(request, request.params.token, reply, 'verify')
    if ('page' in opened) return opened.page
    const { link } = opened
    const result = await confirmEmail(db, link, new Date())
    if (!result.ok) return linkProblem(reply, 'verify', result.problem)
    reply.flash(result.changedFrom ? 'verifyEmail.changed' : 'verifyEmail.done', { email: link.email ?? '' })
    return reply.redirect(request.currentUser ? '/me/account' : '/sign-in', 303)
  })
}

export default recoveryRoutes
