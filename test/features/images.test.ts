// Images (issue 22): an organiser or a host gives an event or a meetup one image, with alt
// text. What is stored is decoded, resized and re-encoded without any metadata (a phone photo's
// GPS position included); the page shows it with its alt text and size, link cards carry its
// 1200×630 variant; anything that is not a PNG, JPEG or WebP picture is refused, whatever its name.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import sharp from 'sharp'
import { buildTestApp } from '../helpers/build-test-app.js'
import { text, type Browser, type Page } from '../helpers/browser.js'
import { person } from '../helpers/communities.js'
import { createEvent, organiser } from '../helpers/events.js'
import { createMeetup } from '../helpers/meetups.js'

const BASE = 'http://localhost:3000'

/** A phone photo: 2400×1600 JPEG carrying EXIF with the camera, a copyright and a GPS position. */
function photoWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 2400, height: 1600, channels: 3, background: { r: 200, g: 80, b: 40 } } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'Hashcamp test camera', Copyright: 'Olu at home' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' },
    })
    .toBuffer()
}

/** A small logo: a 600×300 PNG with transparency and a 300 dpi density chunk. */
function logoPng(): Promise<Buffer> {
  return sharp({ create: { width: 600, height: 300, channels: 4, background: { r: 0, g: 90, b: 160, alpha: 0.5 } } })
    .png()
    .withMetadata({ density: 300 })
    .toBuffer()
}

const jpeg = (data: Buffer, name = 'IMG_0042.jpg') => ({ image: { name, type: 'image/jpeg', data } })
const png = (data: Buffer, name = 'logo.png') => ({ image: { name, type: 'image/png', data } })

function meta(html: string, property: string): string | undefined {
  const match = new RegExp(`<meta (?:property|name)="${property}" content="([^"]*)">`).exec(html)
  return match ? text(match[1]!) : undefined
}

function imagesOnDisk(app: FastifyInstance): string[] {
  const folder = path.join(app.config.dataDir, 'images')
  return fs.existsSync(folder) ? fs.readdirSync(folder).sort() : []
}

/** The page image's tag on a show page. */
function pageImage(html: string): { src: string; width: string; height: string; alt: string } | null {
  const tag = /<img class="page-image" src="([^"]+)" width="(\d+)" height="(\d+)" alt="([^"]*)">/.exec(html)
  return tag ? { src: tag[1]!, width: tag[2]!, height: tag[3]!, alt: text(tag[4]!) } : null
}

async function setUp(t: Parameters<typeof buildTestApp>[0]) {
  const app = await buildTestApp(t)
  const admin = await person(app, 'Site Admin')
  const org = await organiser(app, admin, 'Olu Organiser')
  const created = await createEvent(org)
  assert.equal(created.status, 303)
  const slug = created.location!.split('/').pop()!
  return { app, admin, org, slug }
}

async function upload(who: Browser, editPath: string, fields: Record<string, string>, files: Parameters<Browser['postMultipart']>[2], options: { csrf?: string | null } = {}): Promise<Page> {
  await who.get(editPath)
  return who.postMultipart(editPath.replace(/\/edit$/, '/image'), fields, files, options)
}

describe('images', () => {
  test('an organiser uploads a phone photo: stored resized and without EXIF or GPS, shown with its alt text, in the link card', async (t) => {
    const { app, org, slug } = await setUp(t)
    const photo = await photoWithGps()
    const sent = await sharp(photo).metadata()
    assert.ok(sent.exif && sent.exif.includes('Hashcamp test camera'), 'the upload really carries EXIF')

    const edit = await org.get(`/events/${slug}/edit`)
    assert.match(edit.html, /<form method="post" action="\/events\/[^"]+\/image" enctype="multipart\/form-data"/)
    const alt = 'The main hall, full of people at round tables & sticky notes'
    const saved = await upload(org, `/events/${slug}/edit`, { imageAlt: alt }, jpeg(photo))
    assert.equal(saved.status, 303, saved.html.slice(0, 500))
    assert.equal(saved.location, `/events/${slug}`)

    const page = await org.get(`/events/${slug}`)
    assert.match(page.html, /The image has been saved/)
    const img = pageImage(page.html)
    assert.ok(img, 'the event page shows the image')
    assert.deepEqual({ width: img.width, height: img.height, alt: img.alt }, { width: '1600', height: '1067', alt })
    const key = /^\/images\/([A-Za-z0-9_-]{22})\.webp$/.exec(img.src)?.[1]
    assert.ok(key, `a random file name, not the upload's: ${img.src}`)
    assert.ok(!img.src.includes('IMG_0042'))

    // The files on disk: re-encoded, resized, no metadata at all.
    assert.deepEqual(imagesOnDisk(app), [`${key}-card.jpg`, `${key}.webp`])
    const stored = await sharp(path.join(app.config.dataDir, 'images', `${key}.webp`)).metadata()
    assert.deepEqual({ format: stored.format, width: stored.width, height: stored.height }, { format: 'webp', width: 1600, height: 1067 })
    assert.equal(stored.exif, undefined, 'no EXIF (and so no GPS) in the page image')
    assert.equal(stored.xmp, undefined)
    assert.equal(stored.icc, undefined)
    const card = await sharp(path.join(app.config.dataDir, 'images', `${key}-card.jpg`)).metadata()
    assert.deepEqual({ format: card.format, width: card.width, height: card.height, exif: card.exif }, { format: 'jpeg', width: 1200, height: 630, exif: undefined })

    // Served with the right type, kept for a year, never sniffed, no cookie.
    const served = await app.inject(img.src)
    assert.equal(served.statusCode, 200)
    assert.equal(served.headers['content-type'], 'image/webp')
    assert.equal(served.headers['cache-control'], 'public, max-age=31536000, immutable')
    assert.equal(served.headers['x-content-type-options'], 'nosniff')
    assert.equal(served.headers['set-cookie'], undefined)
    assert.ok(!served.rawPayload.includes(Buffer.from('Hashcamp test camera')), 'the camera name is nowhere in the served file')
    const servedCard = await app.inject(`/images/${key}-card.jpg`)
    assert.equal(servedCard.headers['content-type'], 'image/jpeg')

    // The link card: absolute og:image and twitter:image, with the organiser's alt text.
    assert.equal(meta(page.html, 'og:image'), `${BASE}/images/${key}-card.jpg`)
    assert.equal(meta(page.html, 'twitter:image'), `${BASE}/images/${key}-card.jpg`)
    assert.equal(meta(page.html, 'og:image:alt'), alt)
    assert.equal(meta(page.html, 'twitter:image:alt'), alt)

    // The edit page shows it, with Remove; unknown names are 404s.
    const again = await org.get(`/events/${slug}/edit`)
    assert.match(again.html, /class="image-form__preview" src="\/images\/[^"]+\.webp" width="1600" height="1067"/)
    assert.match(again.html, /action="\/events\/[^"]+\/image\/remove"/)
    for (const unknown of ['/images/AAAAAAAAAAAAAAAAAAAAAA.webp', `/images/${key}.png`, '/images/..%2Fhashcamp.sqlite', `/images/${key}-card.webp`]) {
      assert.equal((await app.inject(unknown)).statusCode, 404, unknown)
    }
  })

  test('a host gives a meetup a PNG: not enlarged, transparency kept on the page, on white in the card; then replaces and removes it', async (t) => {
    const { app, org } = await setUp(t)
    assert.equal((await createMeetup(org, { title: 'Lunch at the camp', slug: 'lunch' })).status, 303)
    const saved = await upload(org, '/meetups/lunch/edit', { imageAlt: 'The Hashcamp logo' }, png(await logoPng()))
    assert.equal(saved.status, 303, saved.html.slice(0, 500))
    const page = await org.get('/meetups/lunch')
    const img = pageImage(page.html)
    assert.deepEqual(img && { width: img.width, height: img.height, alt: img.alt }, { width: '600', height: '300', alt: 'The Hashcamp logo' })
    const first = imagesOnDisk(app)
    assert.equal(first.length, 2)
    const stored = await sharp(path.join(app.config.dataDir, 'images', first.find((f) => f.endsWith('.webp'))!)).metadata()
    assert.equal(stored.hasAlpha, true)
    assert.match(meta(page.html, 'og:image') ?? '', /^http:\/\/localhost:3000\/images\/[A-Za-z0-9_-]{22}-card\.jpg$/)

    // Only the alt text: no file chosen (a browser still sends an empty part).
    const altOnly = await upload(org, '/meetups/lunch/edit', { imageAlt: 'The Hashcamp logo, a blue hash sign' }, { image: { name: '', type: 'application/octet-stream', data: new Uint8Array() } })
    assert.equal(altOnly.status, 303)
    assert.equal(pageImage((await org.get('/meetups/lunch')).html)?.alt, 'The Hashcamp logo, a blue hash sign')
    assert.deepEqual(imagesOnDisk(app), first, 'the same files')

    // A new file replaces the old: the old files and address go.
    const replaced = await upload(org, '/meetups/lunch/edit', { imageAlt: 'A photo of the lunch' }, jpeg(await photoWithGps()))
    assert.equal(replaced.status, 303)
    const second = imagesOnDisk(app)
    assert.equal(second.length, 2)
    assert.equal(second.filter((f) => first.includes(f)).length, 0, 'the old files are gone')
    assert.equal((await app.inject(img!.src)).statusCode, 404)

    // Removed: no image on the page, the site's own in the card, the files gone.
    await org.get('/meetups/lunch/edit')
    const removed = await org.post('/meetups/lunch/image/remove', {})
    assert.equal(removed.status, 303)
    assert.equal(removed.location, '/meetups/lunch/edit')
    const after = await org.get('/meetups/lunch')
    assert.equal(pageImage(after.html), null)
    assert.equal(meta(after.html, 'og:image'), `${BASE}/static/img/card.png`)
    assert.deepEqual(imagesOnDisk(app), [])
  })

  test('a text file called photo.png is refused with the form’s 400, the alt text kept', async (t) => {
    const { app, org, slug } = await setUp(t)
    const fake = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\nnot a picture at all\n')
    const page = await upload(org, `/events/${slug}/edit`, { imageAlt: 'Our venue' }, png(Buffer.from(fake), 'photo.png'))
    assert.equal(page.status, 400)
    assert.match(page.html, /class="error-summary"/)
    assert.match(page.html, /<a href="#image">The file must be a PNG, JPEG or WebP picture<\/a>/)
    assert.match(page.html, /id="image-error"/)
    assert.match(page.html, /id="image" name="image" type="file"[^>]*aria-invalid="true"/)
    assert.match(page.html, /id="imageAlt" name="imageAlt" type="text" value="Our venue"/)
    // The rest of the edit page is still there, with the event's own values.
    assert.match(page.html, /name="name" type="text" value="UKGovCamp 2027"/)
    assert.deepEqual(imagesOnDisk(app), [])
    assert.equal((await app.db.selectFrom('images').select('id').execute()).length, 0)

    // A real SVG is a picture, but not one we take.
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>')
    const svgPage = await upload(org, `/events/${slug}/edit`, { imageAlt: 'A square' }, { image: { name: 'square.svg', type: 'image/svg+xml', data: svg } })
    assert.equal(svgPage.status, 400)
    assert.match(svgPage.html, /The file must be a PNG, JPEG or WebP picture/)

    // Over 5 MB: refused with the form's own message, not a bare error page.
    const big = await upload(org, `/events/${slug}/edit`, { imageAlt: 'Big' }, jpeg(Buffer.alloc(5 * 1024 * 1024 + 10, 1)))
    assert.equal(big.status, 400)
    assert.match(big.html, /The file must be 5 MB or smaller/)
    assert.deepEqual(imagesOnDisk(app), [])
  })

  test('no alt text: 400 with the error at the field, and the file must be chosen again', async (t) => {
    const { app, org, slug } = await setUp(t)
    const page = await upload(org, `/events/${slug}/edit`, { imageAlt: '   ' }, jpeg(await photoWithGps()))
    assert.equal(page.status, 400)
    assert.match(page.html, /<a href="#image">Choose the image file again: a chosen file cannot be kept when the form has an error<\/a>/)
    assert.match(page.html, /<a href="#imageAlt">Describe the image for people who cannot see it<\/a>/)
    assert.match(page.html, /id="imageAlt-error"/)
    assert.match(page.html, /id="imageAlt" name="imageAlt" type="text" value=""[^>]*aria-invalid="true"/)
    assert.deepEqual(imagesOnDisk(app), [], 'nothing stored')

    // No file and no image yet: both are asked for.
    const empty = await upload(org, `/events/${slug}/edit`, { imageAlt: '' }, {})
    assert.equal(empty.status, 400)
    assert.match(empty.html, /<a href="#image">Choose an image file<\/a>/)
  })

  test('without the CSRF token the upload is refused (403); someone who is not an organiser or host gets 403', async (t) => {
    const { app, org, slug } = await setUp(t)
    const photo = await photoWithGps()
    const noToken = await upload(org, `/events/${slug}/edit`, { imageAlt: 'A' }, jpeg(photo), { csrf: null })
    assert.equal(noToken.status, 403)
    const wrongToken = await upload(org, `/events/${slug}/edit`, { imageAlt: 'A' }, jpeg(photo), { csrf: 'not-the-token' })
    assert.equal(wrongToken.status, 403)
    assert.deepEqual(imagesOnDisk(app), [])

    // Someone else, with a good token of their own (from a page they may see).
    assert.equal((await createMeetup(org, { title: 'Lunch at the camp', slug: 'lunch' })).status, 303)
    const stranger = await person(app, 'Sam Stranger')
    await stranger.get('/meetups/lunch')
    assert.equal((await stranger.postMultipart('/meetups/lunch/image', { imageAlt: 'Mine now' }, jpeg(photo))).status, 403)
    await stranger.get('/meetups/lunch')
    assert.equal((await stranger.post('/meetups/lunch/image/remove', {})).status, 403)
    // The event is a draft: for anyone but its organisers (and the admin) it does not exist.
    await stranger.get('/meetups/lunch')
    assert.equal((await stranger.postMultipart(`/events/${slug}/image`, { imageAlt: 'Mine now' }, jpeg(photo))).status, 404)
    assert.deepEqual(imagesOnDisk(app), [])
  })

  test('deleting the meetup or the event removes its image files', async (t) => {
    const { app, org, slug } = await setUp(t)
    const photo = await photoWithGps()
    assert.equal((await createMeetup(org, { title: 'Lunch at the camp', slug: 'lunch' })).status, 303)
    assert.equal((await upload(org, '/meetups/lunch/edit', { imageAlt: 'Lunch' }, jpeg(photo))).status, 303)
    assert.equal((await upload(org, `/events/${slug}/edit`, { imageAlt: 'Camp' }, jpeg(photo))).status, 303)
    assert.equal(imagesOnDisk(app).length, 4)
    const meetupImage = pageImage((await org.get('/meetups/lunch')).html)!.src

    const deletedMeetup = await org.submit('/meetups/lunch/delete', '/meetups/lunch/delete', {})
    assert.equal(deletedMeetup.status, 303, deletedMeetup.html.slice(0, 300))
    assert.equal(imagesOnDisk(app).length, 2)
    assert.equal((await app.inject(meetupImage)).statusCode, 404)

    const deletedEvent = await org.submit(`/events/${slug}/delete`, `/events/${slug}/delete`, {})
    assert.equal(deletedEvent.status, 303, deletedEvent.html.slice(0, 300))
    assert.deepEqual(imagesOnDisk(app), [])
    assert.equal((await app.db.selectFrom('images').select('id').execute()).length, 0)
  })
})
