// Message catalogues and the per-request translator. There is no global "current
// language": each request gets its own Translator (see plugins/i18n.ts), so two
// concurrent requests in different languages can never see each other's words.
import { cy } from './catalogues/cy.js'
import { en, type MessageKey } from './catalogues/en.js'
import { formatNumber } from './format.js'

export const LOCALES = ['en', 'cy'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'en'

/** A message is a string with {placeholders}, or one string per CLDR plural category. */
export type PluralMessage = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }
export type Message = string | PluralMessage
export type Catalogue = Record<MessageKey, Message>
export type MessageParams = Record<string, string | number>

const catalogues: Record<Locale, Catalogue> = { en, cy }

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

function interpolate(template: string, params: MessageParams): string {
  // Most messages have no placeholder; a page asks for hundreds of them.
  if (!template.includes('{')) return template
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

export interface Translator {
  locale: Locale
  /** t('key', { name: 'Ann' }); plural messages pick their form from params.count. */
  t(key: MessageKey, params?: MessageParams): string
  has(key: string): key is MessageKey
}

const pluralRulesCache = new Map<Locale, Intl.PluralRules>()
function pluralRules(locale: Locale): Intl.PluralRules {
  let rules = pluralRulesCache.get(locale)
  if (!rules) {
    rules = new Intl.PluralRules(locale)
    pluralRulesCache.set(locale, rules)
  }
  return rules
}

const translators = new Map<Locale, Translator>()

/** Translators are immutable and shared per locale: cheap to hand to every request. */
export function translator(locale: Locale): Translator {
  const cached = translators.get(locale)
  if (cached) return cached
  const catalogue = catalogues[locale]
  const t = (key: MessageKey, params: MessageParams = {}): string => {
    const message: Message | undefined = catalogue[key] ?? catalogues[DEFAULT_LOCALE][key]
    if (message === undefined) throw new Error(`Unknown message key "${key}"`)
    if (typeof message === 'string') return interpolate(message, params)
    const count = Number(params.count ?? 0)
    // Like ICU's "=0": a zero form, where given, is used for exactly 0 in every language
    // ("No seats left"), though English's plural rules have no zero category.
    const form = (count === 0 ? message.zero : undefined) ?? message[pluralRules(locale).select(count)] ?? message.other
    return interpolate(form, { ...params, count: formatNumber(locale, count) })
  }
  const created: Translator = { locale, t, has: (key: string): key is MessageKey => key in catalogue }
  translators.set(locale, created)
  return created
}
