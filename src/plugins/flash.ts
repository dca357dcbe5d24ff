import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { MessageKey } from '../i18n/catalogues/en.js'
import type { MessageParams } from '../i18n/i18n.js'

export interface Flash {
  key: MessageKey
  params?: MessageParams
}

declare module 'fastify' {
  interface FastifyReply {
    /** A one-time message for the next page this person sees (after a 303 redirect). */
    flash(key: MessageKey, params?: MessageParams): FastifyReply
  }
}

/**
 * Flash messages ride in the session as a catalogue key, not as text, so they are
 * translated in whatever language the next page is shown in.
 */
export default fp(
  async (app) => {
    app.decorateReply('flash', function (this: FastifyReply, key: MessageKey, params?: MessageParams) {
      this.request.session.set('flash', params ? { key, params } : { key })
      return this
    })
  },
  { name: 'flash', dependencies: ['session'] },
)

/** The header a live page sends when it refetches itself in the background (static/js/schedule-live.js). */
export const LIVE_REFRESH_HEADER = 'x-live-refresh'

/**
 * Reads and clears the pending flash; called by the layout only, so assets never eat it,
 * and never for a live page's background refetch, which shows nobody the message.
 */
export function takeFlash(request: FastifyRequest): Flash | null {
  if (request.headers[LIVE_REFRESH_HEADER]) return null
  const flash = request.session.get('flash') as Flash | undefined
  if (!flash) return null
  request.session.set('flash', undefined)
  return flash
}
