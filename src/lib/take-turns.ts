// Pieces of work that each hold the event loop for a while (a big read from SQLite, whose
// driver is synchronous), done one at a time with a turn of the event loop before each. Started
// together they would otherwise run back to back as one long stall, every request that arrived
// meanwhile waiting for all of them; this way those requests are answered between the pieces.
export class TakeTurns {
  private last: Promise<unknown> = Promise.resolve()

  run<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.last.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(work)
    this.last = turn.catch(() => undefined)
    return turn
  }
}
