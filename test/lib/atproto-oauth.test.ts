// The AT Protocol client on its own, against the local PDS and authorisation server: handle to
// DID to PDS to issuer, PAR with DPoP and its nonce, the callback's checks, the code redeemed with
// PKCE and the same DPoP key, and the rules around it (the issuer must speak for the DID).
import assert from 'node:assert/strict'
import http from 'node:http'
import { test } from 'node:test'
import { claimedHandle, pdsOf, readAccountName, resolveDid, resolveHandle, verifiedHandle, type AtprotoDirectory } from '../../src/lib/atproto/identity.js'
import * as oauth from 'oauth4webapi'
import { authorizationServer, authorizationServerFor, checkIssuerSpeaksFor, clientMetadata, finishAuthorization, newDpopKey, startAuthorization } from '../../src/lib/atproto/oauth.js'
import { PeerError, checkPeerUrl, isPrivateAddress } from '../../src/lib/peer-fetch.js'
import { startAtprotoServer } from '../helpers/atproto-server.js'

/** A stand-in for the app's client metadata URL: the authorisation server fetches it. */
async function serveClientMetadata(t: { after: (fn: () => Promise<void>) => void }): Promise<{ clientId: string; redirectUri: string }> {
  let document = {}
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end(JSON.stringify(document))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  const clientId = `${base}/oauth/bluesky/client-metadata.json`
  const redirectUri = `${base}/sign-in/bluesky/callback`
  document = clientMetadata(clientId, redirectUri, base)
  return { clientId, redirectUri }
}

/** What the app keeps for one sign-in (state, verifier, DPoP key), and the pushed request's URL. */
async function begin(as: oauth.AuthorizationServer, clientId: string, redirectUri: string, loginHint: string | null) {
  const dpopKey = await newDpopKey()
  const kept = { state: oauth.generateRandomState(), codeVerifier: oauth.generateRandomCodeVerifier(), dpopPrivateJwk: dpopKey.privateJwk }
  const authorizeUrl = await startAuthorization(as, clientId, redirectUri, { ...kept, dpopKey, loginHint }, { allowPrivatePeers: true })
  return { ...kept, authorizeUrl }
}

test('what people paste is read as a handle or a DID, and nonsense is not', () => {
  assert.deepEqual(readAccountName('@Ann.Bsky.Social'), { kind: 'handle', handle: 'ann.bsky.social' })
  assert.deepEqual(readAccountName('https://bsky.app/profile/ann.example.org'), { kind: 'handle', handle: 'ann.example.org' })
  assert.deepEqual(readAccountName('at://ann.example.org'), { kind: 'handle', handle: 'ann.example.org' })
  assert.deepEqual(readAccountName('did:plc:abcdefghijklmnopqrstuvwx'), { kind: 'did', did: 'did:plc:abcdefghijklmnopqrstuvwx' })
  for (const bad of ['', 'ann', 'ann@bsky.social', 'http://evil', 'a..b', '-a.com', 'did:plc:short']) assert.equal(readAccountName(bad), null, bad)
})

test('private and loopback addresses are refused unless the configuration allows them', async () => {
  for (const address of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '::1', 'fd00::1', '::ffff:127.0.0.1', '0.0.0.0']) {
    assert.equal(isPrivateAddress(address), true, address)
  }
  for (const address of ['1.1.1.1', '8.8.8.8', '2606:4700::1111']) assert.equal(isPrivateAddress(address), false, address)
  await assert.rejects(checkPeerUrl(new URL('https://127.0.0.1/'), { allowPrivatePeers: false }), (error) => error instanceof PeerError && error.reason === 'not-allowed')
  await assert.rejects(checkPeerUrl(new URL('http://bsky.social/'), { allowPrivatePeers: false }), (error) => error instanceof PeerError && error.reason === 'not-allowed')
  await assert.rejects(checkPeerUrl(new URL('https://localhost/'), { allowPrivatePeers: false }), (error) => error instanceof PeerError && error.reason === 'not-allowed')
  await checkPeerUrl(new URL('http://127.0.0.1:9/'), { allowPrivatePeers: true })
})

test('handle, DID document, PDS and issuer are found, and the handle is verified both ways', async (t) => {
  const world = await startAtprotoServer([{ handle: 'ann.test', displayName: 'Ann' }])
  t.after(() => world.close())
  const directory: AtprotoDirectory = { plcUrl: world.base, handleResolverUrl: world.base, allowPrivatePeers: true }
  const did = await resolveHandle('ann.test', directory)
  assert.equal(did, world.accounts[0]!.did)
  assert.equal(await resolveHandle('nobody.test', directory), null)
  const document = await resolveDid(did!, directory)
  assert.equal(claimedHandle(document), 'ann.test')
  assert.equal(pdsOf(document).origin, world.base)
  assert.equal(await verifiedHandle(did!, document, directory), 'ann.test')
  // A document that claims a handle which names another DID does not get that handle.
  assert.equal(await verifiedHandle('did:plc:zzzzzzzzzzzzzzzzzzzzzzzz', { ...document, id: 'did:plc:zzzzzzzzzzzzzzzzzzzzzzzz' }, directory), null)
  const as = await authorizationServerFor(pdsOf(document), directory)
  assert.equal(as.issuer, world.base)
})

test('PAR with DPoP (after the nonce), consent, and the code redeemed with PKCE give the DID', async (t) => {
  const world = await startAtprotoServer([{ handle: 'ann.test', displayName: 'Ann' }])
  t.after(() => world.close())
  const peer = { allowPrivatePeers: true }
  const { clientId, redirectUri } = await serveClientMetadata(t)
  const as = await authorizationServer(world.base, peer)
  const started = await begin(as, clientId, redirectUri, 'ann.test')
  // The browser carries only client_id and request_uri.
  assert.deepEqual([...started.authorizeUrl.searchParams.keys()].sort(), ['client_id', 'request_uri'])
  const consent = await fetch(started.authorizeUrl, { redirect: 'manual' })
  assert.equal(consent.status, 303)
  const callback = new URL(consent.headers.get('location')!)
  assert.equal(callback.origin + callback.pathname, redirectUri)

  const finished = await finishAuthorization(as, clientId, redirectUri, callback.searchParams, started, peer)
  assert.equal(finished.did, world.accounts[0]!.did)
  assert.equal(world.codesRedeemed, 1)
  await checkIssuerSpeaksFor(finished.did, as.issuer, { plcUrl: world.base, handleResolverUrl: world.base, allowPrivatePeers: true })

  // The same code a second time is refused by the server.
  await assert.rejects(finishAuthorization(as, clientId, redirectUri, callback.searchParams, started, peer))
  // (use_dpop_nonce refusals are the nonce dance: each new DPoP key learns the nonce first.)
  assert.deepEqual(world.tokenErrors.filter((error) => error !== 'use_dpop_nonce'), ['invalid_grant'])
})

test('the code is bound to the PKCE verifier, the DPoP key and the state', async (t) => {
  const world = await startAtprotoServer([{ handle: 'ann.test', displayName: 'Ann' }])
  t.after(() => world.close())
  const peer = { allowPrivatePeers: true }
  const { clientId, redirectUri } = await serveClientMetadata(t)
  const as = await authorizationServer(world.base, peer)
  const callbackFor = async (started: Awaited<ReturnType<typeof begin>>) =>
    new URL((await fetch(started.authorizeUrl, { redirect: 'manual' })).headers.get('location')!).searchParams

  const first = await begin(as, clientId, redirectUri, null)
  await assert.rejects(finishAuthorization(as, clientId, redirectUri, await callbackFor(first), { ...first, codeVerifier: 'x'.repeat(43) }, peer))

  const second = await begin(as, clientId, redirectUri, null)
  const otherKey = await begin(as, clientId, redirectUri, null)
  await assert.rejects(finishAuthorization(as, clientId, redirectUri, await callbackFor(second), { ...second, dpopPrivateJwk: otherKey.dpopPrivateJwk }, peer))
  assert.deepEqual(world.tokenErrors.filter((error) => error !== 'use_dpop_nonce'), ['invalid_grant', 'invalid_dpop_proof'])

  const third = await begin(as, clientId, redirectUri, null)
  await assert.rejects(finishAuthorization(as, clientId, redirectUri, new URLSearchParams({ code: 'x', state: 'not-ours', iss: world.base }), third, peer))
  await assert.rejects(finishAuthorization(as, clientId, redirectUri, new URLSearchParams({ code: 'x', state: third.state, iss: 'https://elsewhere.example' }), third, peer))
})

test('an issuer that vouches for a DID whose PDS names another server is not believed', async (t) => {
  const world = await startAtprotoServer([{ handle: 'ann.test', displayName: 'Ann' }])
  const other = await startAtprotoServer([{ handle: 'bob.test', displayName: 'Bob' }])
  t.after(() => Promise.all([world.close(), other.close()]).then(() => undefined))
  await assert.rejects(
    checkIssuerSpeaksFor(world.accounts[0]!.did, other.base, { plcUrl: world.base, handleResolverUrl: world.base, allowPrivatePeers: true }),
    (error) => error instanceof PeerError && error.reason === 'bad-answer',
  )
})
