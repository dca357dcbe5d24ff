import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { isDatabaseBusy } from '../db/errors.js'
import type { MessageKey } from '../i18n/catalogues/en.js'
import { DEFAULT_LOCALE, translator } from '../i18n/i18n.js'
import { RefusedError, UnusableInputError } from '../lib/http-errors.js'
import { safeNextPath } from './auth.js'
import { pageLocals } from './views.js'

/** Statuses with their own wording; any other 4xx reads as a plain "bad request". */
const KNOWN_STATUSES = [400, 403, 404, 405, 409, 410, 413, 415, 429, 500, 503] as const
type KnownStatus = (typeof KNOWN_STATUSES)[number]

function pageStatus(status: number): KnownStatus {
  if ((KNOWN_STATUSES as readonly number[]).includes(status)) return status as KnownStatus
  return status >= 500 ? 500 : 400
}

/** The JSON API always answers in JSON; elsewhere a client that asks only for JSON gets it. */
function wantsJson(request: FastifyRequest): boolean {
  if (request.url.startsWith('/api/')) return true
  const accept = request.headers.accept ?? ''
  return accept.includes('application/json') && !accept.includes('text/html')
}

/**
 * How long a person (or a client) is told to wait when the database is too busy: about the
 * time the pool's connection wait and the server's lock timeout give a crowd to clear.
 */
export const BUSY_RETRY_AFTER_SECONDS = 5

/** Last resort when the error page itself cannot render: plain, static, reveals nothing. */
const BARE_500 =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sorry, there is a problem with the service</title></head>' +
  '<body><h1>Sorry, there is a problem with the service</h1><p>Try again later.</p></body></html>'

/** The sentence a RefusedError asks for, with its phase or state named in the reader's language. */
function refusalText(request: FastifyRequest, error: RefusedError): string {
  const { t, has } = request.i18n
  const params: Record<string, string> = { ...error.params }
  if (params.phase) params.phase = t(`events.phase.${params.phase}` as MessageKey)
  if (params.state) params.state = t(`proposals.state.${params.state}` as MessageKey)
  if (params.kind) params.kind = t(`slots.kind.${params.kind}` as MessageKey)
  return has(error.key) ? t(error.key, params) : t('error.409.body')
}

/**
 * The page a refused action came from, when it was one of ours: a refusal is usually
 * "not now" or "someone changed this first", so the way on is back to that page.
 */
function backPath(request: FastifyRequest): string | null {
  const referer = request.headers.referer
  if (!referer) return null
  try {
    const url = new URL(referer)
    return url.host === request.host ? safeNextPath(url.pathname + url.search) : null
  } catch {
    return null
  }
}

async function renderErrorPage(request: FastifyRequest, reply: FastifyReply, config: Config, status: number, bodyText?: string): Promise<string> {
  const shown = pageStatus(status)
  reply.code(status).header('cache-control', 'no-store')
  if (wantsJson(request)) {
    reply.type('application/json; charset=utf-8')
    return JSON.stringify({ statusCode: status, error: (request.i18n ?? translator(DEFAULT_LOCALE)).t(`error.${shown}.title` as MessageKey) })
  }
  try {
    request.i18n ??= translator(DEFAULT_LOCALE)
    reply.locals ??= pageLocals(request, reply, config)
    reply.type('text/html; charset=utf-8')
    return await reply.viewAsync('errors/error', {
      status: shown,
      titleKey: `error.${shown}.title`,
      bodyKey: `error.${shown}.body`,
      bodyText,
      backPath: status === 409 ? backPath(request) : null,
    })
  } catch (renderError) {
    request.log.error({ err: renderError }, 'could not render the error page')
    reply.code(500).type('text/html; charset=utf-8')
    return BARE_500
  }
}

/**
 * For errors Fastify meets before routing (a malformed URL, a bad content type): the same
 * HTML page, instead of Fastify's JSON that echoes the request back. The reply there has
 * none of the plugins' decorators, so the page is rendered through the app instance.
 * Passed to Fastify() as `frameworkErrors` in app.ts.
 */
export async function sendFrameworkErrorPage(
  app: FastifyInstance,
  config: Config,
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400
  request.log.info({ code: error.code, status }, 'request refused before routing')
  const shown = pageStatus(status)
  reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8')
  try {
    request.i18n ??= translator(DEFAULT_LOCALE)
    const locals = pageLocals(request, reply, config)
    const page = await app.view('errors/error', { ...locals, status: shown, titleKey: `error.${shown}.title`, bodyKey: `error.${shown}.body` })
    reply.send(page)
  } catch (renderError) {
    request.log.error({ err: renderError }, 'could not render the error page')
    reply.code(500).send(BARE_500)
  }
}

/**
 * One error handler for the whole app. Fastify's default one sends error.message to
 * the client, even for 500s; here a person gets an HTML page that says what happened
 * in words, and the details (message, stack, path) go to the log only.
 */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    // Pages are sent with reply.send rather than returned: some plugins' routes
    // (@fastify/static 8) drop what an async error handler returns, leaving the request
    // hanging for ever.
    app.setNotFoundHandler(async (request, reply) => reply.send(await renderErrorPage(request, reply, config, 404)))

    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      if (isDatabaseBusy(error)) {
        // Not a fault to investigate one by one: a crowd, a long lock, a restart. The code
        // says which; the count of these in the log says how often.
        request.log.warn({ code: error.code, message: error.message }, 'database busy: answered 503')
        reply.header('retry-after', String(BUSY_RETRY_AFTER_SECONDS))
        return reply.send(await renderErrorPage(request, reply, config, 503))
      }
      const status = error.validation ? 400 : (error.statusCode ?? 500)
      if (status >= 500) {
        request.log.error({ err: error }, 'request failed')
      } else {
        request.log.info({ code: error.code, status }, error.message)
      }
      const bodyText =
        error instanceof RefusedError ? refusalText(request, error) : error instanceof UnusableInputError ? request.i18n.t(error.key as MessageKey) : undefined
      return reply.send(await renderErrorPage(request, reply, config, status >= 400 && status < 600 ? status : 500, bodyText))
    })
  },
  { name: 'errors', dependencies: ['views'] },
)
