// A small in-memory cache for what is costly to build and the same for everyone: a feed of
// 1,000 sessions, the public grid's HTML. An entry is used while its data version is the
// one asked for (the live channel's count of announced changes to its event) and it is
// younger than `ttlMs`, the bound on staleness for changes that are not announced (a
// proposal's description, say). Concurrent misses share one computation, so a burst of
// requests after a change builds the page once. Bounded: the oldest entry goes first.
/**
 * How stale an event's cached feed or grid may get through a change nobody announced. Every
 * route that changes what they show announces it, so this is a safety net, not the rule;
 * and the grid's "now" and "next" marks move with the clock, so they cannot wait longer.
 */
export const EVENT_CACHE_TTL_MS = 10_000

export class VersionedCache<T> {
  private readonly entries = new Map<string, { version: string; at: number; value: Promise<T> }>()

  constructor(private readonly options: { ttlMs: number; maxEntries: number }) {}

  get(key: string, version: string, compute: () => Promise<T>, now = Date.now()): Promise<T> {
    const hit = this.entries.get(key)
    if (hit && hit.version === version && now - hit.at < this.options.ttlMs) return hit.value
    const value = compute()
    this.entries.delete(key) // re-inserted last: the Map's order is the eviction order
    this.entries.set(key, { version, at: now, value })
    if (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!)
    // A failure is not cached: the next request tries again.
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key)
    })
    return value
  }
}
