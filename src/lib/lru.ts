/**
 * A bounded store for answers that depend only on their key, the least recently used going
 * first when it is full. For pure work that many requests repeat (rendering the same
 * markdown, say); never for anything a request's viewer or the time changes.
 */
export class Lru<K, V> {
  readonly #entries = new Map<K, V>()

  constructor(readonly capacity: number) {}

  /** The kept answer for `key`, or `work()`'s, kept now. */
  get(key: K, work: () => V): V {
    const found = this.#entries.get(key)
    if (found !== undefined) {
      // Map keeps insertion order: taking it out and back in marks it most recently used.
      this.#entries.delete(key)
      this.#entries.set(key, found)
      return found
    }
    const made = work()
    if (this.#entries.size >= this.capacity) this.#entries.delete(this.#entries.keys().next().value as K)
    this.#entries.set(key, made)
    return made
  }

  get size(): number {
    return this.#entries.size
  }
}
