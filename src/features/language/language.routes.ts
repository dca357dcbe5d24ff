// The English | Cymraeg switch on every page: a POST (it changes a stored preference),
// remembered in a cookie for a year and, for a signed-in person, on their account.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { usesHttps } from '../../config.js'
import { LOCALES } from '../../i18n/i18n.js'
import { LANGUAGE_COOKIE } from '../../i18n/negotiate.js'
import { safeNextPath } from '../../plugins/auth.js'
import { updateUser } from '../accounts/users.queries.js'
import { CsrfField, NextField } from '../../lib/schema-fields.js'

const ONE_YEAR_IN_SECONDS = 365 * 24 * 60 * 60

const LanguageBody = Type.Object({
  lang: Type.Union(LOCALES.map((locale) => Type.Literal(locale))),
  next: NextField,
  _csrf: CsrfField,
})

const languageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/language', { schema: { body: LanguageBody } }, async (request, reply) => {
    const { lang } = request.body
    reply.setCookie(LANGUAGE_COOKIE, lang, {
      path: '/',
      maxAge: ONE_YEAR_IN_SECONDS,
      sameSite: 'lax',
      httpOnly: true,
      secure: usesHttps(app.config),
    })
    if (request.currentUser) {
      await updateUser(app.db, request.currentUser.id, { locale: lang, updated_at: new Date().toISOString() })
    }
    return reply.redirect(safeNextPath(request.body.next) ?? '/', 303)
  })
}

export default languageRoutes
