// The code of conduct: the site's page (the admin's text or a default), the admin's form
// for it, and the pages of a community's or an event's own code, shown with the site's.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorsFromValidation, keptValues } from '../../lib/forms.js'
import { renderMarkdown } from '../../lib/markdown.js'
import { SlugParams } from '../../lib/schema-fields.js'
import { requireRole } from '../../plugins/auth.js'
import { communityOr404 } from '../communities/community-access.js'
import { communityPath } from '../communities/communities.view-models.js'
import { eventOr404 } from '../events/event-access.js'
import { eventPath } from '../events/events.view-models.js'
import { clearSiteCode, findSiteCode, saveSiteCode } from './conduct.queries.js'
import { SiteCodeBody, siteCodeMessages } from './conduct.schemas.js'
import { siteCodeHtml, siteCodeSource } from './conduct.view-models.js'

const conductRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app
  const adminOnly = requireRole('admin')

  app.get('/code-of-conduct', async (request, reply) => {
    return reply.viewAsync('conduct/show', { codeHtml: siteCodeHtml(request.i18n, await findSiteCode(db)) })
  })

  app.get('/admin/code-of-conduct', { preHandler: adminOnly }, async (request, reply) => {
    const stored = await findSiteCode(db)
    return reply.viewAsync('conduct/admin', { values: { codeOfConduct: siteCodeSource(request.i18n, stored) }, errors: {}, usingDefault: stored === null })
  })

  app.post('/admin/code-of-conduct', { preHandler: adminOnly, schema: { body: SiteCodeBody }, attachValidation: true }, async (request, reply) => {
    if (request.validationError) {
      return reply.code(400).viewAsync('conduct/admin', {
        values: keptValues(request.body),
        errors: errorsFromValidation(request.validationError.validation, siteCodeMessages, request.body),
        usingDefault: (await findSiteCode(db)) === null,
      })
    }
    await saveSiteCode(db, request.body.codeOfConduct)
    reply.flash('admin.conduct.saved')
    return reply.redirect('/admin/code-of-conduct', 303)
  })

  app.post('/admin/code-of-conduct/default', { preHandler: adminOnly }, async (_request, reply) => {
    await clearSiteCode(db)
    reply.flash('admin.conduct.resetDone')
    return reply.redirect('/admin/code-of-conduct', 303)
  })

  app.get('/communities/:slug/code-of-conduct', { schema: { params: SlugParams } }, async (request, reply) => {
    const { community } = await communityOr404(db, request.params.slug, request.currentUser)
    return reply.viewAsync('conduct/own', {
      owner: { name: community.name, path: communityPath(community) },
      ownHtml: community.code_of_conduct ? renderMarkdown(community.code_of_conduct) : null,
      siteHtml: siteCodeHtml(request.i18n, await findSiteCode(db), 3),
    })
  })

  app.get('/events/:slug/code-of-conduct', { schema: { params: SlugParams } }, async (request, reply) => {
    const { event } = await eventOr404(db, request.params.slug, request.currentUser)
    return reply.viewAsync('conduct/own', {
      owner: { name: event.name, path: eventPath(event) },
      ownHtml: event.code_of_conduct ? renderMarkdown(event.code_of_conduct) : null,
      siteHtml: siteCodeHtml(request.i18n, await findSiteCode(db), 3),
    })
  })
}

export default conductRoutes
