// Profiles: anyone can see one; each person edits their own.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { isUniqueViolation } from '../../db/errors.js'
import { idFromPath } from '../../lib/schema-fields.js'
import { errorsFromValidation, keptValues, withError, type FormErrors } from '../../lib/forms.js'
import { normaliseHandle } from '../../lib/social-handles.js'
import { isValidTimeZone } from '../../lib/zoned-time.js'
import { requireSignIn } from '../../plugins/auth.js'
import { findUserByHandle, findUserById, isHandleTaken, updateUser } from '../accounts/users.queries.js'
import { listIdentitiesOf } from '../identities/identities.queries.js'
import { PersonParams, ProfileBody, profileMessages } from './people.schemas.js'
import { personPath, profileFormValues, toPersonPage } from './people.view-models.js'

const peopleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app

  app.get('/people/:ref', { schema: { params: PersonParams } }, async (request, reply) => {
    const { ref } = request.params
    const id = idFromPath(ref)
    const user = /^\d+$/.test(ref) ? (id === null ? undefined : await findUserById(db, id)) : await findUserByHandle(db, ref)
    if (!user) return reply.callNotFound()
    const me = request.currentUser
    // A hidden profile is there only for its owner (to read why) and the admin (issue 20).
    if (user.hidden_at && me?.id !== user.id && me?.role !== 'admin') return reply.callNotFound()
    return reply.viewAsync('people/show', {
      person: toPersonPage(user),
      identities: await listIdentitiesOf(db, user.id),
      isMe: me?.id === user.id,
      hiddenReason: user.hidden_at ? user.hidden_reason : null,
      report: me && me.id !== user.id && !user.hidden_at ? `/report/profile/${user.id}` : null,
    })
  })

  app.get('/me/profile', { preHandler: requireSignIn }, async (request, reply) => {
    const user = await findUserById(db, request.currentUser!.id)
    if (!user) return reply.callNotFound()
    return reply.viewAsync('people/edit', { values: profileFormValues(user), errors: {}, identities: await listIdentitiesOf(db, user.id) })
  })

  app.post('/me/profile', { preHandler: requireSignIn, schema: { body: ProfileBody }, attachValidation: true }, async (request, reply) => {
    const me = request.currentUser!
    const values = keptValues(request.body)
    const render = async (errors: FormErrors) => reply.code(400).viewAsync('people/edit', { values, errors, identities: await listIdentitiesOf(db, me.id) })

    if (request.validationError) return render(errorsFromValidation(request.validationError.validation, profileMessages, request.body))
    const body = request.body
    const handle = normaliseHandle(body.handle)?.toLowerCase() ?? null
    const handleTaken = () => withError({}, profileMessages, 'handle', { key: 'profile.handle.taken' })
    const timeZone = body.timeZone?.trim() || null
    if (timeZone !== null && !isValidTimeZone(timeZone)) return render(withError({}, profileMessages, 'timeZone', { key: 'timeZone.invalid' }))
    if (handle && (await isHandleTaken(db, handle, me.id))) return render(handleTaken())

    try {
      await updateUser(db, me.id, {
        display_name: body.displayName,
        handle,
        bio: body.bio.replace(/\r\n/g, '\n'),
        x_handle: normaliseHandle(body.xHandle),
        mastodon_handle: normaliseHandle(body.mastodonHandle),
        bluesky_handle: normaliseHandle(body.blueskyHandle)?.toLowerCase() ?? null,
        time_zone: timeZone,
        updated_at: new Date().toISOString(),
      })
    } catch (error) {
      if (isUniqueViolation(error)) return render(handleTaken())
      throw error
    }
    reply.flash('profile.saved')
    return reply.redirect(personPath({ id: me.id, handle }), 303)
  })
}

export default peopleRoutes
