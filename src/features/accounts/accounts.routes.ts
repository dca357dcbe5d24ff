// Sign up, sign in, sign out. Thin handlers: validate → call the service → render or redirect.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorsFromValidation, keptValues, withError, type FormErrors } from '../../lib/forms.js'
import { usesHttps } from '../../config.js'
import { safeNextPath } from '../../plugins/auth.js'
import { chosenLocale } from '../../plugins/i18n.js'
import { endSession, startSession } from '../../plugins/session.js'
import { NextQuery, SignInBody, SignUpBody, signInMessages, signUpMessages } from './accounts.schemas.js'
import { checkCredentials, signUp } from './accounts.service.js'
import { isCommonPassword } from './passwords.js'
import { sessionKey } from '../../plugins/session.js'
import { KNOWN_DEVICE_COOKIE, KNOWN_DEVICE_DAYS, KnownDevices } from './known-devices.js'
import { LIMITS, buckets, clearBucket, forgetAttempt, recordAttempt } from './sign-in-throttle.js'
import { updateUser } from './users.queries.js'

const SECRET_FIELDS = ['password']
const minutes = (windowMs: number) => ({ count: windowMs / 60000 })

const accountsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app
  const knownDevices = new KnownDevices(sessionKey(config))

  app.get('/sign-up', { schema: { querystring: NextQuery } }, async (request, reply) => {
    if (request.currentUser) return reply.redirect('/', 303)
    return reply.viewAsync('accounts/sign-up', { values: { next: request.query.next ?? '' }, errors: {} })
  })

  app.post('/sign-up', { schema: { body: SignUpBody }, attachValidation: true }, async (request, reply) => {
    const values = keptValues(request.body, SECRET_FIELDS)
    const render = (status: number, errors: FormErrors) => reply.code(status).viewAsync('accounts/sign-up', { values, errors })

    if (request.validationError) {
      let errors = errorsFromValidation(request.validationError.validation, signUpMessages, request.body)
      // Say everything at once: a common password is worth knowing about on the first try.
      const password = (request.body as { password?: unknown } | undefined)?.password
      if (!errors.password && typeof password === 'string' && isCommonPassword(password)) {
        errors = withError(errors, signUpMessages, 'password', { key: 'signUp.password.common' })
      }
      return render(400, errors)
    }
    const now = new Date()
    if (config.rateLimits && (await recordAttempt(db, buckets.signUpIp(request.ip), LIMITS.signUpsPerIp, now)).limited) {
      return render(429, { _form: { key: 'signUp.tooMany' } })
    }
    const result = await signUp(db, { ...request.body, locale: chosenLocale(request) }, now)
    if (!result.ok) return render(400, result.errors)

    await startSession(db, request, result.user.id, now)
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
    const { email } = request.body
    const fromHereBucket = buckets.signInAccountFromIp(email, request.ip)
    const hits: number[] = []
    if (config.rateLimits) {
      // Recorded before the password is checked, so guesses sent in parallel count too.
      const fromHere = await recordAttempt(db, fromHereBucket, LIMITS.failedSignInsPerAccountFromIp, now)
      hits.push(fromHere.hitId)
      // The owner's own browser never counts towards (or meets) the account-wide ceiling.
      const knownDevice = knownDevices.vouchesFor(request.cookies[KNOWN_DEVICE_COOKIE], email, now)
      const account = knownDevice ? null : await recordAttempt(db, buckets.signInAccount(email), LIMITS.failedSignInsPerAccount, now)
      if (account) hits.push(account.hitId)
      const ip = await recordAttempt(db, buckets.signInIp(request.ip), LIMITS.failedSignInsPerIp, now)
      hits.push(ip.hitId)
      if (fromHere.limited) return render(429, { _form: { key: 'signIn.tooManyForAccount', params: minutes(LIMITS.failedSignInsPerAccountFromIp.windowMs) } })
      if (account?.limited) return render(429, { _form: { key: 'signIn.tooManyForAccount', params: minutes(LIMITS.failedSignInsPerAccount.windowMs) } })
      if (ip.limited) return render(429, { _form: { key: 'signIn.tooManyFromHere', params: minutes(LIMITS.failedSignInsPerIp.windowMs) } })
    }

    const user = await checkCredentials(db, email, request.body.password)
    if (!user) return render(400, { email: { key: 'signIn.wrong' } })
    // Said only to someone who knows the password: nobody else learns an account is suspended.
    if (user.suspended_at) return render(403, { email: { key: 'signIn.suspended' } })

    // A good sign-in was not a failed attempt: forget it, and the misses from this address.
    // The account-wide count stays: another's guesses go on counting towards the ceiling.
    if (config.rateLimits) {
      await clearBucket(db, fromHereBucket)
      for (const hit of hits) await forgetAttempt(db, hit)
    }
    reply.setCookie(KNOWN_DEVICE_COOKIE, knownDevices.issue(email, now), {
      path: '/sign-in',
      maxAge: KNOWN_DEVICE_DAYS * 24 * 60 * 60,
      sameSite: 'lax',
      httpOnly: true,
      secure: usesHttps(config),
    })
    // A language picked before signing in becomes the account's, if it had none yet.
    const locale = chosenLocale(request)
    if (locale && !user.locale) await updateUser(db, user.id, { locale, updated_at: now.toISOString() })
    await startSession(db, request, user.id, now)
    reply.flash('signIn.welcomeBack', { name: user.display_name })
    return reply.redirect(safeNextPath(request.body.next) ?? '/', 303)
  })

  app.post('/sign-out', async (request, reply) => {
    await endSession(db, request)
    reply.flash('signOut.done')
    return reply.redirect('/', 303)
  })
}

export default accountsRoutes
