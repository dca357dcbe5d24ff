// Images (issue 22) in a real browser: an organiser picks a file on the event's edit page
// (setInputFiles, as a person choosing from their disk), forgets the description first (the
// 400 says so and that the file must be chosen again), then saves; the image shows on the event
// page at 360, 1280 and 1920 px, never wider than the screen, loaded, with its alt text. The same
// for a meetup. axe-core runs on every page.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { BrowserContext, Page } from 'playwright-core'
import sharp from 'sharp'
import { newContext, screenshot } from '../helpers/chromium.js'
import { assertAccessible, demoServer, signInInBrowser } from '../helpers/demo-server.js'

const server = demoServer()

async function organiserPage(javaScript: boolean, width = 1280): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(server.chromium, { javaScript, width })
  const page = await context.newPage()
  const organiser = server.logins.find((l) => l.role.includes('organiser'))!
  await signInInBrowser(page, server.base, organiser.email, organiser.password)
  return { context, page }
}

/** A 2400×1350 photo-like JPEG: two coloured halves, so a broken decode would show. */
async function photo(): Promise<Buffer> {
  const left = await sharp({ create: { width: 1200, height: 1350, channels: 3, background: { r: 11, g: 94, b: 120 } } }).png().toBuffer()
  return sharp({ create: { width: 2400, height: 1350, channels: 3, background: { r: 240, g: 180, b: 40 } } })
    .composite([{ input: left, left: 0, top: 0 }])
    .jpeg()
    .toBuffer()
}

/** The image on a show page: loaded, as wide as it may be, with its alt text; the page does not scroll sideways. */
async function assertImageShown(page: Page, alt: string, width: number): Promise<void> {
  const image = page.getByRole('img', { name: alt })
  await image.waitFor()
  const facts = await image.evaluate((img: HTMLImageElement) => ({
    complete: img.complete,
    naturalWidth: img.naturalWidth,
    shownWidth: img.getBoundingClientRect().width,
    shownHeight: img.getBoundingClientRect().height,
    pageWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
  }))
  assert.ok(facts.complete && facts.naturalWidth > 0, `the image loaded at ${width}px`)
  assert.ok(facts.shownWidth > 0 && facts.shownWidth <= facts.viewport, `the image fits the screen at ${width}px: ${JSON.stringify(facts)}`)
  // Its own shape: 16:9 as uploaded (the width and height attributes, scaled by CSS).
  assert.ok(Math.abs(facts.shownWidth / facts.shownHeight - 2400 / 1350) < 0.02, `the image keeps its shape: ${JSON.stringify(facts)}`)
  assert.ok(facts.pageWidth <= facts.viewport, `no sideways scrolling at ${width}px: ${JSON.stringify(facts)}`)
}

const file = async (name: string) => ({ name, mimeType: 'image/jpeg', buffer: await photo() })

// The upload itself runs with JavaScript on: Playwright's setInputFiles never returns in a
// context with JavaScript off. The form uses no script either way (a plain multipart POST),
// so what is tested is the same HTML form; the pages are then read with JavaScript on and off.
// (Nothing can be evaluated in a page without JavaScript, axe included.)
const items = [
  { name: 'event', path: '/events/lgovcamp', alt: 'The main hall at LocalGovCamp, people around tables' },
  { name: 'meetup', path: '/meetups/unconference-lunch', alt: 'Sandwiches and coffee laid out on a long table' },
]

for (const item of items) {
  test(`an organiser uploads an image to the ${item.name} at 1280 px: the missing description is asked for, then the image is on the page at 360, 1280 and 1920 px, JavaScript on and off`, async () => {
    const { context, page } = await organiserPage(true, 1280)
    const { path, alt } = item
    await page.goto(`${server.base}${path}/edit`)
    await assertAccessible(page, `image-form-${item.name}-1280`)

    // No description: the form's own 400, which says to choose the file again.
    await page.getByLabel('Image file').setInputFiles(await file('DSC_0001.jpg'))
    await page.getByRole('button', { name: 'Save image' }).click()
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
    assert.ok(await page.getByRole('link', { name: 'Describe the image for people who cannot see it' }).isVisible())
    assert.ok(await page.getByRole('link', { name: /Choose the image file again/ }).isVisible())
    await assertAccessible(page, `image-form-error-${item.name}-1280`)
    // The summary's link takes the person to the field.
    await page.getByRole('link', { name: 'Describe the image for people who cannot see it' }).click()
    await page.waitForURL(/#imageAlt$/)

    await page.getByLabel('Image file').setInputFiles(await file('DSC_0001.jpg'))
    await page.getByLabel('Describe the image').fill(alt)
    await page.getByRole('button', { name: 'Save image' }).click()
    await page.waitForURL(`${server.base}${path}`)
    await page.getByText('The image has been saved.').waitFor()
    await assertImageShown(page, alt, 1280)
    await context.close()

    // Anyone, at every width, with and without JavaScript: signed out (the kept page), the image and its card.
    for (const javaScript of [true, false]) {
      for (const width of [360, 1280, 1920]) {
        const visitor = await newContext(server.chromium, { javaScript, width })
        const visitorPage = await visitor.newPage()
        const loaded = visitorPage.waitForResponse((response) => /\/images\/[A-Za-z0-9_-]{22}\.webp$/.test(response.url()))
        await visitorPage.goto(`${server.base}${path}`)
        const response = await loaded
        assert.equal(response.status(), 200)
        assert.equal(response.headers()['content-type'], 'image/webp')
        const name = `image-shown-${item.name}-${javaScript ? 'js' : 'nojs'}-${width}`
        if (javaScript) {
          await assertImageShown(visitorPage, alt, width)
          await assertAccessible(visitorPage, name)
        } else {
          // Without JavaScript nothing can be evaluated in the page (nor axe run: it is a script);
          // the HTML is the same one axe passed above. The image's box is measured from outside.
          const box = await visitorPage.getByRole('img', { name: alt }).boundingBox()
          assert.ok(box && box.width > 0 && box.width <= width, `the image fits the screen at ${width}px without JavaScript: ${JSON.stringify(box)}`)
          assert.ok(Math.abs(box.width / box.height - 2400 / 1350) < 0.02, `the image keeps its shape: ${JSON.stringify(box)}`)
          await screenshot(visitorPage, name)
        }
        const ogImage = await visitorPage.locator('meta[property="og:image"]').getAttribute('content')
        assert.match(ogImage ?? '', /^http:\/\/localhost:3000\/images\/[A-Za-z0-9_-]{22}-card\.jpg$/)
        await visitor.close()
      }
    }
  })
}
