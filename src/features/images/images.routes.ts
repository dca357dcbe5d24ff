// An event's or a meetup's one image: the upload form on their edit pages posts here
// (multipart/form-data), and /images/<file> serves what was stored.
//
// The multipart parser is registered in this plugin only, so no other route takes uploads.
// It reads the whole body (fields and the one file, at most MAX_IMAGE_BYTES) before the
// handlers run, so the CSRF check (plugins/csrf.ts, a preHandler hook for every POST) finds
// the form's `_csrf` field in the body as it does for every other form.
import fs from 'node:fs/promises'
import path from 'node:path'
import multipart, { type MultipartFile } from '@fastify/multipart'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { NotFoundError } from '../../lib/http-errors.js'
import type { FormErrors } from '../../lib/forms.js'
import { cleanSingleLine } from '../../lib/text-input.js'
import { requireSignIn } from '../../plugins/auth.js'
import { assertOrganiser, eventOr404 } from '../events/event-access.js'
import { eventEditPage } from '../events/edit-page.js'
import { lockEvent } from '../events/events.queries.js'
import { eventPath } from '../events/events.view-models.js'
import { EventSlugParams } from '../events/events.schemas.js'
import { hostOnly } from '../meetups/meetup-access.js'
import { meetupEditPage } from '../meetups/edit-page.js'
import { lockMeetup } from '../meetups/meetups.queries.js'
import { MeetupSlugParams } from '../meetups/meetups.schemas.js'
import { meetupPath } from '../meetups/meetups.view-models.js'
import { findImage, insertImage, setImageAlt, takeImage, type ImageOwner } from './images.queries.js'
import { IMAGE_KEY_PATTERN, MAX_IMAGE_BYTES, imagesFolder, processImage, removeImageFiles, storeImageFiles } from './images.service.js'

/** Alt text longer than this is a description, not alt text: the page has room for that. */
export const MAX_ALT_LENGTH = 250

const SERVED = new RegExp(`^(${IMAGE_KEY_PATTERN})(-card)?\\.(webp|jpg)$`)

/** The file part as the onFile handler leaves it in the body. */
interface Upload {
  upload: true
  data: Buffer
  /** Longer than MAX_IMAGE_BYTES: what was read is cut off, and refused. */
  tooLarge: boolean
}

function isUpload(value: unknown): value is Upload {
  return typeof value === 'object' && value !== null && (value as Upload).upload === true
}

async function readUpload(this: FastifyRequest, part: MultipartFile): Promise<void> {
  const chunks: Buffer[] = []
  for await (const chunk of part.file) chunks.push(chunk as Buffer)
  const upload: Upload = { upload: true, data: Buffer.concat(chunks), tooLarge: part.file.truncated }
  // With attachFieldsToBody 'keyValues', a part's `value` is what the body holds for it.
  ;(part as MultipartFile & { value: unknown }).value = upload
}

interface ImageForm {
  alt: string
  /** null: no file chosen (a browser still sends an empty part). */
  file: Upload | null
}

function readImageForm(body: unknown): ImageForm {
  const fields = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>
  const alt = typeof fields.imageAlt === 'string' ? cleanSingleLine(fields.imageAlt) : ''
  const file = isUpload(fields.image) && (fields.image.data.length > 0 || fields.image.tooLarge) ? fields.image : null
  return { alt, file }
}

const imagesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    onFile: readUpload,
    // A file over the limit is cut short and refused with the form's own 400, not a bare 413.
    throwFileSizeLimit: false,
    limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 5, parts: 6, fieldSize: 4096 },
  })

  /**
   * Checks the form and, when it is good, stores the image: a new file replaces the old one
   * (whose files go once the new row is committed); no file with an image already there
   * changes only its alt text. Returns the errors to show, or null when it was saved.
   */
  async function saveImage(owner: ImageOwner, form: ImageForm, lock: (trx: typeof db) => Promise<unknown>): Promise<{ errors: FormErrors } | { saved: 'image' | 'alt' }> {
    const errors: FormErrors = {}
    const existing = await findImage(db, owner)
    let processed = null
    if (form.file?.tooLarge) errors.image = { key: 'image.error.tooLarge', params: { size: '5 MB' } }
    else if (form.file) {
      const result = await processImage(form.file.data)
      if (result.ok) processed = result.image
      else errors.image = { key: 'image.error.notAnImage' }
    } else if (!existing) errors.image = { key: 'image.error.fileRequired' }
    if (form.alt === '') errors.imageAlt = { key: 'image.error.altRequired' }
    else if (form.alt.length > MAX_ALT_LENGTH) errors.imageAlt = { key: 'image.error.altTooLong', params: { count: MAX_ALT_LENGTH } }
    // A good file cannot be put back into the form: say so, rather than let it look kept.
    if (processed && errors.imageAlt) errors.image = { key: 'image.error.chooseAgain' }
    if (Object.keys(errors).length) {
      // The summary lists them in page order: the file, then its alt text.
      const ordered: FormErrors = {}
      if (errors.image) ordered.image = errors.image
      if (errors.imageAlt) ordered.imageAlt = errors.imageAlt
      return { errors: ordered }
    }
    if (!processed) {
      await setImageAlt(db, owner, form.alt)
      return { saved: 'alt' }
    }
    const key = await storeImageFiles(config.dataDir, processed)
    let replaced: string[]
    try {
      replaced = await db.transaction().execute(async (trx) => {
        await lock(trx)
        const old = await takeImage(trx, owner)
        await insertImage(trx, owner, { key, alt: form.alt, width: processed.width, height: processed.height }, new Date())
        return old
      })
    } catch (error) {
      await removeImageFiles(config.dataDir, [key])
      throw error
    }
    await removeImageFiles(config.dataDir, replaced)
    return { saved: 'image' }
  }

  async function removeImage(owner: ImageOwner, lock: (trx: typeof db) => Promise<unknown>): Promise<boolean> {
    const keys = await db.transaction().execute(async (trx) => {
      await lock(trx)
      return takeImage(trx, owner)
    })
    await removeImageFiles(config.dataDir, keys)
    return keys.length > 0
  }

  function flashSaved(reply: FastifyReply, saved: 'image' | 'alt'): void {
    reply.flash(saved === 'image' ? 'image.saved' : 'image.altSaved')
  }

  app.post('/events/:slug/image', { preHandler: requireSignIn, schema: { params: EventSlugParams } }, async (request, reply) => {
    const context = await eventOr404(db, request.params.slug, request.currentUser)
    assertOrganiser(context)
    const form = readImageForm(request.body)
    const result = await saveImage({ kind: 'event', id: context.event.id }, form, (trx) => lockEvent(trx, context.event.id))
    if ('errors' in result) {
      const page = await eventEditPage(db, config.baseUrl, request.i18n.locale, context.event)
      return reply.code(400).viewAsync('events/edit', { ...page, errors: result.errors, imageValues: { imageAlt: form.alt } })
    }
    flashSaved(reply, result.saved)
    return reply.redirect(eventPath(context.event), 303)
  })

  app.post('/events/:slug/image/remove', { preHandler: requireSignIn, schema: { params: EventSlugParams } }, async (request, reply) => {
    const context = await eventOr404(db, request.params.slug, request.currentUser)
    assertOrganiser(context)
    if (await removeImage({ kind: 'event', id: context.event.id }, (trx) => lockEvent(trx, context.event.id))) reply.flash('image.removed')
    return reply.redirect(`${eventPath(context.event)}/edit`, 303)
  })

  app.post('/meetups/:slug/image', { preHandler: requireSignIn, schema: { params: MeetupSlugParams } }, async (request, reply) => {
    const { meetup } = await hostOnly(db, request.params.slug, request.currentUser)
    const form = readImageForm(request.body)
    const result = await saveImage({ kind: 'meetup', id: meetup.id }, form, (trx) => lockMeetup(trx, meetup.id))
    if ('errors' in result) {
      const page = await meetupEditPage(db, config.baseUrl, request.i18n.locale, meetup, request.currentUser!.id)
      return reply.code(400).viewAsync('meetups/edit', { ...page, errors: result.errors, imageValues: { imageAlt: form.alt } })
    }
    flashSaved(reply, result.saved)
    return reply.redirect(meetupPath(meetup), 303)
  })

  app.post('/meetups/:slug/image/remove', { preHandler: requireSignIn, schema: { params: MeetupSlugParams } }, async (request, reply) => {
    const { meetup } = await hostOnly(db, request.params.slug, request.currentUser)
    if (await removeImage({ kind: 'meetup', id: meetup.id }, (trx) => lockMeetup(trx, meetup.id))) reply.flash('image.removed')
    return reply.redirect(`${meetupPath(meetup)}/edit`, 303)
  })

  // A stored file never changes (a new upload gets a new key), so it may be kept for a year.
  // Only files with a row are served: a removed image is gone at once, whatever is left on disk.
  app.get('/images/:name', async (request, reply) => {
    const { name } = request.params as { name: string }
    const match = SERVED.exec(name)
    if (!match) throw new NotFoundError(`no image ${name}`)
    const row = await db
      .selectFrom('images as i')
      .leftJoin('meetups as m', 'm.id', 'i.meetup_id')
      .select('i.key')
      .where('i.key', '=', match[1]!)
      // A meetup hidden by a moderator takes its image with it.
      .where('m.hidden_at', 'is', null)
      .executeTakeFirst()
    if (!row) throw new NotFoundError(`no image ${name}`)
    let data: Buffer
    try {
      data = await fs.readFile(path.join(imagesFolder(config.dataDir), name))
    } catch {
      throw new NotFoundError(`image ${name} has no file`)
    }
    return reply
      .header('content-type', match[3] === 'webp' ? 'image/webp' : 'image/jpeg')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(data)
  })
}

export default imagesRoutes
