// Reading "the server" out of what a person types, and deciding whether we may talk to it.
import dns from 'node:dns/promises'
import net from 'node:net'
import { isPrivateAddress } from '../../lib/peer-fetch.js'

/** A Mastodon server: its host (and port, if any), and the origin we talk to. */
export interface MastodonServer {
  /** mastodon.social, or 127.0.0.1:4123 in tests: names the server in ids and pages. */
  host: string
  origin: string
}

const HOST_PATTERN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?::\d{1,5})?$/

/**
 * mastodon.social, @ann@mastodon.social, ann@mastodon.social and https://mastodon.social/@ann
 * all name mastodon.social; null for anything that names no server.
 */
export function parseServer(input: string, allowPrivatePeers: boolean): MastodonServer | null {
  let text = input.trim().toLowerCase()
  let scheme = 'https:'
  const withScheme = /^([a-z]+):\/\//.exec(text)
  if (withScheme) {
    try {
      const url = new URL(text)
      scheme = url.protocol
      text = url.host
    } catch {
      return null
    }
  } else {
    text = text.replace(/^@/, '')
    const at = text.lastIndexOf('@')
    if (at >= 0) text = text.slice(at + 1)
    text = text.replace(/\/.*$/, '')
  }
  if (!HOST_PATTERN.test(text) && !isIpLiteral(text)) return null
  if (scheme !== 'https:' && !(scheme === 'http:' && allowPrivatePeers)) return null
  // A test or a trial runs its server on a private address, over plain HTTP.
  if (allowPrivatePeers && (scheme === 'http:' || isPrivateName(hostnameOf(text)))) return { host: text, origin: `http://${text}` }
  return { host: text, origin: `https://${text}` }
}

function hostnameOf(host: string): string {
  return host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '')
}

function isIpLiteral(host: string): boolean {
  return net.isIP(hostnameOf(host)) !== 0
}

function isPrivateName(hostname: string): boolean {
  return net.isIP(hostname) !== 0 || hostname === 'localhost' || hostname.endsWith('.localhost') || hostname.endsWith('.local') || hostname.endsWith('.internal')
}

/**
 * Whether we may reach the server: never a private address unless config allows it, so that a
 * typed server name cannot make the app call into its own network. The name is resolved here;
 * 'unreachable' when it does not resolve at all.
 */
export async function checkServerAddress(server: MastodonServer, allowPrivatePeers: boolean): Promise<'ok' | 'private' | 'unreachable'> {
  if (allowPrivatePeers) return 'ok'
  const hostname = hostnameOf(server.host)
  if (isPrivateName(hostname)) return 'private'
  try {
    const addresses = await dns.lookup(hostname, { all: true })
    return addresses.some((a) => isPrivateAddress(a.address)) ? 'private' : 'ok'
  } catch {
    return 'unreachable'
  }
}
