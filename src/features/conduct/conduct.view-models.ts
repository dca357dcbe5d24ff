// The code of conduct → what pages show and link to.
import type { Translator } from '../../i18n/i18n.js'
import { renderMarkdown } from '../../lib/markdown.js'

export const SITE_CODE_PATH = '/code-of-conduct'

/** The site's code as markdown: the admin's text, or the default in the reader's language. */
export function siteCodeSource(i18n: Translator, stored: string | null): string {
  return stored ?? i18n.t('conduct.default')
}

/** The site's code as the whole of a page under its h1: "# Heading" becomes an h2. */
export function siteCodeHtml(i18n: Translator, stored: string | null, topHeading: 2 | 3 = 2): string {
  // Sanitised by construction: markdown-it with raw HTML off (see lib/markdown.ts).
  return renderMarkdown(siteCodeSource(i18n, stored), { topHeading })
}

/**
 * The page of a community's or an event's own code (which shows the site's as well), or
 * null when it has none: forms then link to the site's code alone.
 */
export function ownCodePath(ownerPath: string, code: string): string | null {
  return code.trim() === '' ? null : `${ownerPath}${SITE_CODE_PATH}`
}
