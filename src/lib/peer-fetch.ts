// Requests to servers that people name (their Bluesky handle, their PDS, its authorisation
// server). A name typed into a form must never make the app reach into its own network, so
// unless config.allowPrivatePeers is on (tests, local trials) only https to public addresses
// is allowed, and every request has a deadline so a silent server cannot hold a page open.
import dns from 'node:dns/promises'
import net from 'node:net'

export const PEER_TIMEOUT_MS = 8_000

/** Why a peer could not be used; the routes turn each into a page that says so. */
export class PeerError extends Error {
  constructor(
    readonly reason: 'not-allowed' | 'unreachable' | 'bad-answer',
    message: string,
  ) {
    super(message)
  }
}

export interface PeerOptions {
  allowPrivatePeers: boolean
  timeoutMs?: number
}

// Loopback, private, link-local, carrier-grade NAT, benchmarking, multicast and reserved ranges.
const PRIVATE_RANGES = new net.BlockList()
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  PRIVATE_RANGES.addSubnet(network, prefix, 'ipv4')
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE_RANGES.addSubnet(network, prefix, 'ipv6')
}

/** Whether an address is one the app must not reach for a name someone typed. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped) return PRIVATE_RANGES.check(mapped[1]!, 'ipv4')
  if (net.isIPv4(address)) return PRIVATE_RANGES.check(address, 'ipv4')
  return net.isIPv6(address) ? PRIVATE_RANGES.check(address, 'ipv6') : false
}

/** Refuses a URL the app must not fetch: not https, or a host on a private address. */
export async function checkPeerUrl(url: URL, options: PeerOptions): Promise<void> {
  if (options.allowPrivatePeers) {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new PeerError('not-allowed', `${url.protocol} is not a web address`)
    return
  }
  if (url.protocol !== 'https:') throw new PeerError('not-allowed', `only https is allowed: ${url.origin}`)
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (net.isIP(host)) {
    if (isPrivateAddress(host)) throw new PeerError('not-allowed', `private address: ${host}`)
    return
  }
  if (host === 'localhost' || host.endsWith('.localhost') || !host.includes('.')) throw new PeerError('not-allowed', `not a public name: ${host}`)
  let addresses: { address: string }[]
  try {
    addresses = await dns.lookup(host, { all: true })
  } catch {
    throw new PeerError('unreachable', `no address for ${host}`)
  }
  if (addresses.some(({ address }) => isPrivateAddress(address))) throw new PeerError('not-allowed', `${host} has a private address`)
}

/** fetch, after checkPeerUrl, with a deadline; network failures become PeerError('unreachable'). */
export async function peerFetch(input: string | URL, init: RequestInit, options: PeerOptions): Promise<Response> {
  const url = new URL(input)
  await checkPeerUrl(url, options)
  try {
    // Redirects are not followed: each hop would need the same check.
    return await fetch(url, { ...init, redirect: 'manual', signal: init.signal ?? AbortSignal.timeout(options.timeoutMs ?? PEER_TIMEOUT_MS) })
  } catch (error) {
    throw new PeerError('unreachable', `${url.origin}: ${(error as Error).message}`)
  }
}

/** GETs JSON from a peer; anything but a 200 with a JSON object is a bad answer. */
export async function peerJson(url: string | URL, options: PeerOptions): Promise<Record<string, unknown>> {
  const response = await peerFetch(url, { headers: { accept: 'application/json' } }, options)
  if (response.status !== 200) throw new PeerError('bad-answer', `${String(url)} answered ${response.status}`)
  const body: unknown = await response.json().catch(() => null)
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new PeerError('bad-answer', `${String(url)} did not answer with a JSON object`)
  return body as Record<string, unknown>
}
