// Which language a request is answered in. Pure, so the rules are easy to test:
//   1. ?lang=cy in the address (links in hreflang alternates; not remembered),
//   2. the signed-in person's saved choice,
//   3. the language cookie (set by the English | Cymraeg switch),
//   4. the browser's Accept-Language, best match first,
//   5. English.
import { DEFAULT_LOCALE, isLocale, LOCALES, type Locale } from './i18n.js'

export const LANGUAGE_COOKIE = 'hashcamp_lang'

export interface LocaleSources {
  query?: unknown
  account?: string | null
  cookie?: string
  acceptLanguage?: string
}

/** Parses "cy-GB,cy;q=0.9,en;q=0.8" and returns our first supported language, if any. */
export function fromAcceptLanguage(header: string | undefined): Locale | null {
  if (!header) return null
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean)
      return { primary: tag.trim().toLowerCase().split('-')[0] ?? '', q: q === undefined ? 1 : Number(q), index }
    })
    .filter((entry) => entry.q > 0 && !Number.isNaN(entry.q))
    .sort((a, b) => b.q - a.q || a.index - b.index)
  const match = ranked.find((entry) => (LOCALES as readonly string[]).includes(entry.primary))
  return match ? (match.primary as Locale) : null
}

export function negotiateLocale(sources: LocaleSources): Locale {
  if (isLocale(sources.query)) return sources.query
  if (isLocale(sources.account)) return sources.account
  if (isLocale(sources.cookie)) return sources.cookie
  return fromAcceptLanguage(sources.acceptLanguage) ?? DEFAULT_LOCALE
}
