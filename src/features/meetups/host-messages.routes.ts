// /meetups/:slug/message: hosts write to everyone going (each gets their own email).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { MeetupRow } from '../../db/database.js'
import { formatInstant } from '../../i18n/format.js'
import type { Locale } from '../../i18n/i18n.js'
import { errorsFromValidation, keptValues, withError, type FieldMessages } from '../../lib/forms.js'
import { RefusedError } from '../../lib/http-errors.js'
import { CsrfField } from '../../lib/schema-fields.js'
import { requireSignIn } from '../../plugins/auth.js'
import { HOST_MESSAGES_PER_DAY, HOST_MESSAGE_MAX_LENGTH, listHostMessages, sendHostMessage } from './host-messages.service.js'
import { hostOnly } from './meetup-access.js'
import { MeetupSlugParams } from './meetups.schemas.js'

const MessageBody = Type.Object({ body: Type.String({ minLength: 1, maxLength: HOST_MESSAGE_MAX_LENGTH, pattern: '\\S' }), _csrf: CsrfField })
const messages: FieldMessages = { body: { required: 'meetup.message.required', maxLength: 'meetup.message.tooLong', default: 'meetup.message.required' } }

const hostMessagesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app

  const page = async (meetup: Pick<MeetupRow, 'id' | 'slug' | 'title' | 'time_zone'>, locale: Locale) => ({
    meetup: { slug: meetup.slug, title: meetup.title },
    perDay: HOST_MESSAGES_PER_DAY,
    maxLength: HOST_MESSAGE_MAX_LENGTH,
    sent: (await listHostMessages(db, meetup.id)).map((m) => ({ ...m, when: formatInstant(locale, m.created_at, meetup.time_zone, 'dateTime') })),
  })

  app.get('/meetups/:slug/message', { preHandler: requireSignIn, schema: { params: MeetupSlugParams } }, async (request, reply) => {
    const { meetup } = await hostOnly(db, request.params.slug, request.currentUser)
    if (meetup.state === 'cancelled') throw new RefusedError('meetup.refused.cancelledEdit')
    return reply.viewAsync('meetups/message', { ...(await page(meetup, request.i18n.locale)), values: {}, errors: {} })
  })

  app.post('/meetups/:slug/message', { preHandler: requireSignIn, schema: { params: MeetupSlugParams, body: MessageBody }, attachValidation: true }, async (request, reply) => {
    const { meetup } = await hostOnly(db, request.params.slug, request.currentUser)
    if (meetup.state === 'cancelled') throw new RefusedError('meetup.refused.cancelledEdit')
    const locale = request.i18n.locale
    if (request.validationError) {
      const errors = errorsFromValidation(request.validationError.validation, messages, request.body)
      return reply.code(400).viewAsync('meetups/message', { ...(await page(meetup, locale)), values: keptValues(request.body), errors })
    }
    const user = request.currentUser!
    const result = await sendHostMessage(db, meetup, user, request.body.body.trim(), new Date())
    if (!result.ok) {
      const errors = withError({}, messages, 'body', { key: 'meetup.message.limited', params: { count: HOST_MESSAGES_PER_DAY, when: formatInstant(locale, result.nextAllowedAt, meetup.time_zone, 'dateTime') } })
      return reply.code(429).viewAsync('meetups/message', { ...(await page(meetup, locale)), values: keptValues(request.body), errors })
    }
    reply.flash('meetup.message.sent', { count: result.recipients })
    return reply.redirect(`/meetups/${meetup.slug}`, 303)
  })
}

export default hostMessagesRoutes
