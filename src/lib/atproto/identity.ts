// AT Protocol identity: a handle (ann.bsky.social) names a DID, the DID's document names the
// person's PDS and claims the handle back. Both directions must agree before a handle is
// shown as someone's: anyone can point a DID document at any handle.
import dns from 'node:dns/promises'
import { PeerError, peerFetch, peerJson, type PeerOptions } from '../peer-fetch.js'

export interface AtprotoDirectory extends PeerOptions {
  /** Where did:plc documents are read: https://plc.directory, or a mirror. */
  plcUrl: string
  /**
   * A server answering com.atproto.identity.resolveHandle, asked instead of DNS and
   * /.well-known/atproto-did when set (the tests' local PDS; a self-hosted resolver).
   */
  handleResolverUrl: string | null
}

export interface DidDocument {
  id: string
  alsoKnownAs?: unknown
  service?: unknown
}

const HANDLE = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/
const DID = /^did:(plc:[a-z2-7]{24}|web:[a-z0-9.-]+(%3a\d+)?)$/i

export type AccountName = { kind: 'handle'; handle: string } | { kind: 'did'; did: string }

/** What people paste: "@ann.bsky.social", "ann.bsky.social", a profile link, "at://…", or a DID. */
export function readAccountName(raw: string): AccountName | null {
  let value = raw.trim()
  const profile = /^https:\/\/bsky\.app\/profile\/([^/?#]+)/i.exec(value)
  if (profile) value = decodeURIComponent(profile[1]!)
  value = value.replace(/^at:\/\//i, '').replace(/^@/, '')
  if (DID.test(value)) return { kind: 'did', did: value.startsWith('did:web:') ? value.toLowerCase() : value }
  const handle = value.toLowerCase()
  if (handle.length <= 253 && HANDLE.test(handle)) return { kind: 'handle', handle }
  return null
}

/** The DID a handle names, or null when nothing claims it. */
export async function resolveHandle(handle: string, directory: AtprotoDirectory): Promise<string | null> {
  if (directory.handleResolverUrl) {
    const url = new URL('/xrpc/com.atproto.identity.resolveHandle', directory.handleResolverUrl)
    url.searchParams.set('handle', handle)
    const response = await peerFetch(url, { headers: { accept: 'application/json' } }, directory)
    if (response.status === 400 || response.status === 404) return null
    const body = (await response.json().catch(() => null)) as { did?: unknown } | null
    return typeof body?.did === 'string' && DID.test(body.did) ? body.did : null
  }
  // DNS first (the usual way for a custom domain), then the well-known file (*.bsky.social).
  try {
    const records = (await dns.resolveTxt(`_atproto.${handle}`)).map((chunks) => chunks.join(''))
    const dids = records.filter((record) => record.startsWith('did=')).map((record) => record.slice(4))
    if (dids.length === 1 && DID.test(dids[0]!)) return dids[0]!
  } catch {
    // No record: try the file.
  }
  try {
    const response = await peerFetch(`https://${handle}/.well-known/atproto-did`, {}, directory)
    if (response.status !== 200) return null
    const did = (await response.text()).trim()
    return DID.test(did) ? did : null
  } catch (error) {
    if (error instanceof PeerError && error.reason === 'not-allowed') throw error
    return null
  }
}

export async function resolveDid(did: string, directory: AtprotoDirectory): Promise<DidDocument> {
  let url: URL
  if (did.startsWith('did:plc:')) url = new URL(`/${did}`, directory.plcUrl)
  else {
    const host = decodeURIComponent(did.slice('did:web:'.length))
    url = new URL(`${directory.allowPrivatePeers && /^(127\.|localhost)/.test(host) ? 'http' : 'https'}://${host}/.well-known/did.json`)
  }
  const document = await peerJson(url, directory)
  if (document.id !== did) throw new PeerError('bad-answer', `the document for ${did} names ${String(document.id)}`)
  return document as unknown as DidDocument
}

/** The PDS the document names (service #atproto_pds), as an origin URL. */
export function pdsOf(document: DidDocument): URL {
  const services = Array.isArray(document.service) ? (document.service as Record<string, unknown>[]) : []
  const pds = services.find((service) => (service.id === '#atproto_pds' || service.id === `${document.id}#atproto_pds`) && service.type === 'AtprotoPersonalDataServer')
  if (typeof pds?.serviceEndpoint !== 'string') throw new PeerError('bad-answer', `${document.id} names no PDS`)
  try {
    return new URL(pds.serviceEndpoint)
  } catch {
    throw new PeerError('bad-answer', `${document.id} names a PDS that is not a URL`)
  }
}

/** The handle the document claims (its first at:// alias), lower-cased; null if none. */
export function claimedHandle(document: DidDocument): string | null {
  const aliases = Array.isArray(document.alsoKnownAs) ? document.alsoKnownAs : []
  const first = aliases.find((alias): alias is string => typeof alias === 'string' && alias.startsWith('at://'))
  const handle = first?.slice('at://'.length).toLowerCase() ?? null
  return handle && HANDLE.test(handle) ? handle : null
}

/** The handle to show for a DID: the one its document claims, if that handle names it back. */
export async function verifiedHandle(did: string, document: DidDocument, directory: AtprotoDirectory): Promise<string | null> {
  const handle = claimedHandle(document)
  if (!handle) return null
  const named = await resolveHandle(handle, directory).catch(() => null)
  return named === did ? handle : null
}
