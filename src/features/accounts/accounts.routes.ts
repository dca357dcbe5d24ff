// Sign up, sign in, sign out. Thin handlers: validate → call the service → render or redirect.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorsFromValidation, keptValues, type FormErrors } from '../../lib/forms.js'
import { safeNextPath } from '../../plugins/auth.js'
import { chosenLocale } from '../../plugins/i18n.js'
import { endSession, startSession } from '../../plugins/session.js'
import { NextQuery, SignInBody, SignUpBody, signInMessages, signUpMessages } from './accounts.schemas.js'
import { checkCredentials, signUp } from './accounts.service.js'
import { LIMITS, buckets, clearBucket, isLimited, recordHit } from './sign-in-throttle.js'
import { updateUser } from './users.queries.js'

const SECRET_FIELDS = ['password']

const accountsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app

  app.get('/sign-up', { schema: { querystring: NextQuery } }, async (request, reply) => {
    if (request.currentUser) return reply.redirect('/', 303)
    return reply.viewAsync('accounts/sign-up', { values: { next: request.query.next ?? '' }, errors: {} })
  })

  app.post('/sign-up', { schema: { body: SignUpBody }, attachValidation: true }, async (request, reply) => {
    const values = keptValues(request.body, SECRET_FIELDS)
    const render = (status: number, errors: FormErrors) => reply.code(status).viewAsync('accounts/sign-up', { values, errors })

    const now = new Date()
    const ipBucket = buckets.signUpIp(request.ip)
    if (config.rateLimits && (await isLimited(db, ipBucket, LIMITS.signUpsPerIp, now))) {
      return render(429, { _form: { key: 'signUp.tooMany' } })
    }
    if (request.validationError) {
      return render(400, errorsFromValidation(request.validationError.validation, signUpMessages, request.body))
    }
    const result = await signUp(db, { ...request.body, locale: chosenLocale(request) }, now)
    if (!result.ok) return render(400, result.errors)

    if (config.rateLimits) await recordHit(db, ipBucket, now)
    startSession(request, result.user.id)
    reply.flash('signUp.welcome', { name: result.user.display_name })
    return reply.redirect(safeNextPath(request.body.next) ?? '/', 303)
  })

  app.get('/sign-in', { schema: { querystring: NextQuery } }, async (request, reply) => {
    if (request.currentUser) return reply.redirect(safeNextPath(request.query.next) ?? '/', 303)
    return reply.viewAsync('accounts/sign-in', { values: { next: request.query.next ?? '' }, errors: {} })
  })

  app.post('/sign-in', { schema: { body: SignInBody }, attachValidation: true }, async (request, reply) => {
    const values = keptValues(request.body, SECRET_FIELDS)
    const render = (status: number, errors: FormErrors) => reply.code(status).viewAsync('accounts/sign-in', { values, errors })

    if (request.validationError) {
      return render(400, errorsFromValidation(request.validationError.validation, signInMessages, request.body))
    }
    const now = new Date()
    const ipBucket = buckets.signInIp(request.ip)
    const accountBucket = buckets.signInAccount(request.body.email)
    if (config.rateLimits) {
      if (await isLimited(db, accountBucket, LIMITS.failedSignInsPerAccount, now)) {
        return render(429, { _form: { key: 'signIn.tooManyForAccount', params: { count: LIMITS.failedSignInsPerAccount.windowMs / 60000 } } })
      }
      if (await isLimited(db, ipBucket, LIMITS.failedSignInsPerIp, now)) {
        return render(429, { _form: { key: 'signIn.tooManyFromHere', params: { count: LIMITS.failedSignInsPerIp.windowMs / 60000 } } })
      }
    }

    const user = await checkCredentials(db, request.body.email, request.body.password)
    if (!user) {
      if (config.rateLimits) {
        await recordHit(db, ipBucket, now)
        await recordHit(db, accountBucket, now)
      }
      return render(400, { email: { key: 'signIn.wrong' } })
    }
    if (config.rateLimits) await clearBucket(db, accountBucket)
    // A language picked before signing in becomes the account's, if it had none yet.
    const locale = chosenLocale(request)
    if (locale && !user.locale) await updateUser(db, user.id, { locale, updated_at: now.toISOString() })
    startSession(request, user.id)
    reply.flash('signIn.welcomeBack', { name: user.display_name })
    return reply.redirect(safeNextPath(request.body.next) ?? '/', 303)
  })

  app.post('/sign-out', async (request, reply) => {
    endSession(request)
    reply.flash('signOut.done')
    return reply.redirect('/', 303)
  })
}

export default accountsRoutes
