import path from 'node:path'
import fastifyView from '@fastify/view'
import { Eta } from 'eta'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import type { MessageKey } from '../i18n/catalogues/en.js'
import { formatInstant, formatLocalDate, formatNumber, readerTime, weekdayName, type DateStyle } from '../i18n/format.js'
import { LOCALES, type Locale, type MessageParams } from '../i18n/i18n.js'
import { PROJECT_ROOT } from '../project-root.js'
import type { CurrentUser } from './auth.js'
import { takeFlash, type Flash } from './flash.js'
import { timeZoneGroups, type ZoneGroup } from '../lib/time-zones.js'
import { escapeHtml } from '../lib/html.js'

export const VIEWS_DIR = path.join(PROJECT_ROOT, 'views')

/** What every template can rely on, besides the page's own data. */
export interface PageLocals {
  siteName: string
  baseUrl: string
  locale: Locale
  t: (key: MessageKey, params?: MessageParams) => string
  currentUser: CurrentUser | null
  /** Path of the page being rendered, for "current page" in the nav and sign-in ?next=. */
  path: string
  /** Where the language switch returns to: this page's path and query, without ?lang=. */
  pathWithoutLang: string
  /** This page in each language (absolute URLs, for hreflang alternates). */
  alternates: { locale: Locale; href: string }[]
  /** A stored UTC instant as local time in `timeZone`, in the page's language. */
  formatDate: (instant: string | Date, timeZone: string, style: DateStyle) => string
  /**
   * After an item's own time (`<%~ %>`): " <span class="your-time">Your time: 04:00 Eastern
   * Standard Time</span>" for a signed-in person who chose their own zone and whose clock reads
   * differently at that instant; '' when there is nothing to add.
   */
  yourTimeNote: (instant: string | Date, itemZone: string) => string
  /** The IANA zones for a picker (views/partials/_time-zone-select), keeping `current` if it is an old alias. */
  timeZoneGroups: (current?: string | null) => ZoneGroup[]
  formatNumber: (value: number) => string
  /** A local calendar date ('YYYY-MM-DD'), such as a chat's date, in words. */
  formatLocalDate: (date: string) => string
  weekdayName: (isoWeekday: number) => string
  /**
   * Lazily creates the CSRF token. Every page has forms (the language switch at least), so
   * in practice every HTML page sets the session cookie; feeds and assets do not.
   */
  csrfToken: () => string
  /** The pending flash message, read once by the layout. */
  takeFlash: () => Flash | null
  locales: readonly Locale[]
}

declare module 'fastify' {
  interface FastifyReply {
    locals: PageLocals
    pageLocals: PageLocals | null
  }
}


function withoutLang(url: URL): string {
  const copy = new URL(url)
  copy.searchParams.delete('lang')
  return copy.pathname + copy.search
}

function alternates(url: URL, baseUrl: string): { locale: Locale; href: string }[] {
  return LOCALES.map((locale) => {
    const copy = new URL(url)
    copy.searchParams.set('lang', locale)
    return { locale, href: baseUrl + copy.pathname + copy.search }
  })
}

export function pageLocals(request: FastifyRequest, reply: FastifyReply, config: Config): PageLocals {
  let csrf: string | null = null
  const locale = request.i18n.locale
  const url = new URL(request.url, 'http://hashcamp.invalid')
  const yourTime = (instant: string | Date, itemZone: string): string | null => {
    const time = readerTime(locale, instant, itemZone, request.currentUser?.time_zone)
    return time === null ? null : request.i18n.t('time.yours', { time })
  }
  return {
    siteName: 'Hashcamp',
    baseUrl: config.baseUrl,
    locale,
    t: request.i18n.t,
    currentUser: request.currentUser,
    path: url.pathname,
    pathWithoutLang: withoutLang(url),
    alternates: alternates(url, config.baseUrl),
    formatDate: (instant, timeZone, style) => formatInstant(locale, instant, timeZone, style),
    yourTimeNote: (instant, itemZone) => {
      const text = yourTime(instant, itemZone)
      return text === null ? '' : ` <span class="your-time">${escapeHtml(text)}</span>`
    },
    timeZoneGroups: (current) => timeZoneGroups(new Date(), current),
    formatNumber: (value) => formatNumber(locale, value),
    formatLocalDate: (date) => formatLocalDate(locale, date),
    weekdayName: (isoWeekday) => weekdayName(locale, isoWeekday),
    // An error page for a request refused before its session was read has no session.
    csrfToken: () => (csrf ??= request.session ? reply.generateCsrf() : ''),
    takeFlash: () => (request.session ? takeFlash(request) : null),
    locales: LOCALES,
  }
}

/**
 * Eta, remembering where each template name leads. Eta works the path out again (joins,
 * relative-path checks, a JSON key) for every include of every render, about 2 % of a
 * page; the answer depends only on the including file and the name, and the views never
 * move while the app runs. Eta's own checks (inside views/) still run, once per pair.
 */
class ViewsEta extends Eta {
  readonly #resolved = new Map<string, string>()

  constructor(...args: ConstructorParameters<typeof Eta>) {
    super(...args)
    const resolve = this.resolvePath!
    this.resolvePath = (template, options) => {
      const key = `${options?.filepath ?? ''}\0${template}`
      let found = this.#resolved.get(key)
      if (found === undefined) {
        found = resolve.call(this, template, options)
        this.#resolved.set(key, found)
      }
      return found
    }
  }
}

/**
 * Eta templates under views/, compiled once and cached (production: true always; set
 * explicitly because @fastify/view otherwise keys it off NODE_ENV). Pages declare their
 * layout themselves with Eta's layout('/layouts/base').
 */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    // Declared before @fastify/view so it does not install its own locals reset. Built on
    // first use: a feed, a file or a redirect never pays for a page's locals.
    app.decorateReply('pageLocals', null as unknown as PageLocals | null)
    app.decorateReply('locals', {
      getter(this: FastifyReply) {
        return (this.pageLocals ??= pageLocals(this.request, this, config))
      },
      setter(this: FastifyReply, value: PageLocals) {
        this.pageLocals = value
      },
    })
    await app.register(fastifyView, {
      engine: { eta: new ViewsEta({ autoEscape: true, autoTrim: [false, 'nl'] }) },
      root: VIEWS_DIR,
      production: true,
    })
  },
  { name: 'views', dependencies: ['i18n', 'auth', 'csrf', 'flash'] },
)
