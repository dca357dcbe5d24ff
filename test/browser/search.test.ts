// Search in a real browser (issue 22), on the demo: the box in the header of every page to
// /search, and the proposals page's own search, at 360, 1280 and 1920 px, with JavaScript on
// and off (both are plain GET forms). axe-core runs on every results page with JavaScript on
// (it is JavaScript itself, and never finishes in a page that runs none); the pages are the same
// HTML either way, and the JavaScript-off runs keep a screenshot.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { newContext, screenshot } from '../helpers/chromium.js'
import { assertAccessible, demoServer } from '../helpers/demo-server.js'

const server = demoServer()

for (const width of [360, 1280, 1920]) {
  for (const javaScript of [true, false]) {
    const name = `${width}-${javaScript ? 'js' : 'nojs'}`

    test(`site search from the header at ${width} px, JavaScript ${javaScript ? 'on' : 'off'}`, async () => {
      const context = await newContext(server.chromium, { javaScript, width })
      const page = await context.newPage()
      await page.goto(`${server.base}/events`)
      const box = page.getByRole('searchbox', { name: 'Search the site' })
      await box.fill('lgov')
      await box.press('Enter')
      await page.waitForURL(`${server.base}/search?q=lgov`)
      await page.getByRole('heading', { name: 'Communities (1)' }).waitFor()
      assert.equal(await page.getByRole('searchbox', { name: 'Search communities, events and meetups' }).inputValue(), 'lgov', 'the words stay in the box')
      assert.equal(await page.getByRole('searchbox', { name: 'Search the site' }).count(), 0, 'one search box on the search page')
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      assert.ok(overflow <= 0, `nothing wider than the screen (${overflow} px over)`)
      if (javaScript) await assertAccessible(page, `search-site-${name}`)
      else await screenshot(page, `search-site-${name}`)

      // A second search from the page's own form, then on to a result.
      const own = page.getByRole('searchbox', { name: 'Search communities, events and meetups' })
      await own.fill('lunch')
      await page.getByRole('search').getByRole('button', { name: 'Search' }).click()
      await page.waitForURL(`${server.base}/search?q=lunch`)
      const meetup = page.getByRole('region', { name: /^Meetups \(\d+\)$/ }).getByRole('link').first()
      const title = (await meetup.textContent())!.trim()
      await meetup.click()
      await page.getByRole('heading', { level: 1, name: title }).waitFor()
      assert.match(page.url(), /\/meetups\/[a-z0-9-]+$/)
      await context.close()
    })

    test(`proposals search at ${width} px, JavaScript ${javaScript ? 'on' : 'off'}`, async () => {
      const context = await newContext(server.chromium, { javaScript, width })
      const page = await context.newPage()
      await page.goto(`${server.base}/events/lgovcamp/proposals`)
      await page.getByRole('searchbox', { name: 'Search proposals' }).fill('Lightn')
      await page.locator('form.search-form').getByRole('button', { name: 'Search' }).click()
      await page.waitForURL(/\/events\/lgovcamp\/proposals\?q=Lightn$/)
      await page.getByText('1 proposal matches “Lightn”').waitFor()
      await page.getByRole('link', { name: 'Lightning round: one tool I love' }).waitFor()
      assert.equal(await page.locator('ol.topic-list > li').count(), 1)
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      assert.ok(overflow <= 0, `nothing wider than the screen (${overflow} px over)`)
      if (javaScript) await assertAccessible(page, `search-proposals-${name}`)
      else await screenshot(page, `search-proposals-${name}`)

      // A host's name finds their proposals; hostile text is only words.
      await page.getByRole('searchbox', { name: 'Search proposals' }).fill('priya')
      await page.getByRole('searchbox', { name: 'Search proposals' }).press('Enter')
      await page.getByRole('link', { name: 'Lightning round: one tool I love' }).waitFor()
      await page.getByRole('searchbox', { name: 'Search proposals' }).fill('NEAR("tool" -love*)')
      await page.getByRole('searchbox', { name: 'Search proposals' }).press('Enter')
      await page.getByText(/proposals? match(es)? “NEAR\("tool" -love\*\)”/).waitFor()

      await page.getByRole('link', { name: 'Clear the search' }).click()
      await page.waitForURL(`${server.base}/events/lgovcamp/proposals`)
      assert.equal(await page.getByRole('searchbox', { name: 'Search proposals' }).inputValue(), '')
      assert.ok((await page.locator('ol.topic-list > li').count()) > 10, 'the whole list again')
      await context.close()
    })
  }
}
