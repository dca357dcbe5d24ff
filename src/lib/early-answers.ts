// A few hot requests are answered from memory in Node's own request listener, before Fastify
// builds a request and reply and runs its hooks: a calendar app's poll of a feed it already
// holds is the one today (features/calendars/event-feed-cache.ts). They cost about what a
// bare server's reply does. Such answers are not in the request log.
import http from 'node:http'
import type { FastifyServerOptions } from 'fastify'

export type EarlyAnswer = (request: http.IncomingMessage, response: http.ServerResponse) => boolean

export class EarlyAnswers {
  private readonly answers: EarlyAnswer[] = []

  add(answer: EarlyAnswer): void {
    this.answers.push(answer)
  }

  /** True when one of them answered the request. */
  answer(request: http.IncomingMessage, response: http.ServerResponse): boolean {
    for (const answer of this.answers) if (answer(request, response)) return true
    return false
  }
}

/**
 * Fastify's serverFactory: the HTTP server Fastify would make (its timeouts as Fastify sets
 * them), with the early answers tried before Fastify's handler.
 */
export function serverWithEarlyAnswers(early: EarlyAnswers) {
  return (handler: http.RequestListener, options: FastifyServerOptions): http.Server => {
    const server = http.createServer((request, response) => {
      if (!early.answer(request, response)) handler(request, response)
    })
    server.keepAliveTimeout = options.keepAliveTimeout ?? 72_000
    server.requestTimeout = options.requestTimeout ?? 0
    server.setTimeout(options.connectionTimeout ?? 0)
    return server
  }
}
