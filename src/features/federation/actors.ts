// Our ActivityPub actors. A community is a Group whose identifier is "c" and its id (stable
// even if its hashtag changes); its handle is its hashtag key (@lgovsm@host).

export function communityActor(communityId: number): string {
  return `c${communityId}`
}

/** The community an actor identifier names, or null for anything else. */
export function parseCommunityActor(identifier: string): number | null {
  const match = /^c([1-9]\d{0,14})$/.exec(identifier)
  return match ? Number(match[1]) : null
}

/** What a person pastes into Mastodon's search to follow a community: @lgovsm@our.host. */
export function fediverseHandle(baseUrl: string, hashtagKey: string): string {
  return `@${hashtagKey}@${new URL(baseUrl).host}`
}
