// Work for one key that arrives while earlier work for the same key is running waits, and is
// then done together, in one go. Used where every piece of work must take the same lock (the
// replies to one meetup): taking it once for many costs about what taking it once for one
// does, so a crowd is served in a few turns instead of one turn each. A quiet key is served
// at once, alone, so nobody waits for company.

interface Waiting<Item, Result> {
  item: Item
  resolve: (result: Result) => void
  reject: (error: unknown) => void
}

/**
 * `work` gets the items in the order they arrived and answers each, in the same order, with
 * its result or the Error that item alone should fail with; if `work` throws, every item of
 * that batch fails with what it threw.
 */
export class KeyedBatches<Key, Item, Result> {
  private readonly queues = new Map<Key, Waiting<Item, Result>[]>()

  constructor(
    private readonly work: (key: Key, items: Item[]) => Promise<(Result | Error)[]>,
    private readonly maxBatch: number,
  ) {}

  submit(key: Key, item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      const queue = this.queues.get(key)
      if (queue) {
        queue.push({ item, resolve, reject })
        return
      }
      this.queues.set(key, [{ item, resolve, reject }])
      void this.drain(key)
    })
  }

  private async drain(key: Key): Promise<void> {
    const queue = this.queues.get(key)!
    while (queue.length) {
      const batch = queue.splice(0, this.maxBatch)
      try {
        const results = await this.work(
          key,
          batch.map((w) => w.item),
        )
        batch.forEach((waiting, i) => {
          const result = results[i]
          if (result instanceof Error) waiting.reject(result)
          else waiting.resolve(result as Result)
        })
      } catch (error) {
        for (const waiting of batch) waiting.reject(error)
      }
    }
    this.queues.delete(key)
  }
}
