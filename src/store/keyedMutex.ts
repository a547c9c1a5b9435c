/**
 * Serialises async work per key within this process.
 *
 * Why: FerretDB v1 (the embedded store) does not apply a conditional update atomically with
 * its filter. Measured here: 12 concurrent `updateOne({_id, eTag})` on one document, 10
 * rounds: 28 "successful" compare-and-swaps instead of 10 (findOneAndUpdate: 46). Real
 * MongoDB is atomic per document, so across processes the server is the guard; within the
 * embedded default (one assistant process owns its FerretDB) this lock is.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(work, work);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
