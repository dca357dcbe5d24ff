// Binds a sign-in attempt to the browser that started it. The state travels through the
// provider and back in the address; the same state kept in this browser's encrypted session
// cookie proves the callback is the one this browser asked for. Without it, someone could send
// a victim a callback for the attacker's own account and sign them into it (login CSRF).
import type { FastifyRequest } from 'fastify'

declare module '@fastify/secure-session' {
  interface SessionData {
    oauthState: string
  }
}

export function rememberAttempt(request: FastifyRequest, state: string): void {
  request.session.set('oauthState', state)
}

/** Whether this browser started the attempt with this state; forgets it either way. */
export function startedHere(request: FastifyRequest, state: string): boolean {
  const kept: unknown = request.session.get('oauthState')
  request.session.set('oauthState', undefined)
  return typeof kept === 'string' && kept === state
}
