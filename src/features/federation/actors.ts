// Our ActivityPub actors, each a Group: a community ("c" and its id; handle its hashtag key,
// @lgovsm@host) and a public event ("e" and its id; handle its slug). Ids, not names, so a
// changed hashtag or slug keeps its followers.

export type ActorRef = { kind: 'community'; id: number } | { kind: 'event'; id: number }

export function communityActor(communityId: number): string {
  return `c${communityId}`
}

export function eventActor(eventId: number): string {
  return `e${eventId}`
}

/** What an actor identifier names, or null for anything else. */
export function parseActor(identifier: string): ActorRef | null {
  const match = /^([ce])([1-9]\d{0,14})$/.exec(identifier)
  if (!match) return null
  return { kind: match[1] === 'c' ? 'community' : 'event', id: Number(match[2]) }
}

/** The community an actor identifier names, or null for anything else. */
export function parseCommunityActor(identifier: string): number | null {
  const ref = parseActor(identifier)
  return ref?.kind === 'community' ? ref.id : null
}

/** What a person pastes into Mastodon's search to follow one: @lgovsm@our.host. */
export function fediverseHandle(baseUrl: string, name: string): string {
  return `@${name}@${new URL(baseUrl).host}`
}
