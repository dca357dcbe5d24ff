import type { FastifyReply } from 'fastify'
import type { IdentityProvider } from '../../db/database.js'

/** Every way a sign-in through a provider can end without signing anyone in. */
export type SignInProblem = 'state' | 'denied' | 'cancelled' | 'rejected' | 'unreachable' | 'ownedByAnother' | 'suspended' | 'unusable'

const START_PATHS: Record<IdentityProvider, string> = { mastodon: '/sign-in/mastodon', bluesky: '/sign-in/bluesky' }

/** A page that says what happened, that nothing changed, and where to start again. */
export function problemPage(reply: FastifyReply, status: number, problem: SignInProblem, provider: IdentityProvider, server: string, handle = ''): Promise<unknown> {
  return reply.code(status).viewAsync('identities/problem', { problem, provider, server, handle, startPath: START_PATHS[provider] })
}
