/**
 * Documents read once in a turn, by `_id`: a dialog's steps ask for the same check-in or dossier
 * several times in one turn, and nothing else writes it meanwhile. Kept in the turn's state, so
 * the next turn reads afresh (the structure in another tab, a chargé·e or the scheduler may have
 * written since); `forget` after this turn writes one, so the next read sees the write.
 */
export class TurnReads<T> {
  private constructor(private readonly reads: Map<string, Promise<T>>) {}

  /** The reads of this turn (`turnState`: the bot's TurnContext.turnState) kept under `key`. */
  static of<T>(turnState: Map<unknown, unknown>, key: symbol): TurnReads<T> {
    let reads = turnState.get(key) as Map<string, Promise<T>> | undefined;
    if (!reads) turnState.set(key, (reads = new Map()));
    return new TurnReads(reads);
  }

  read(id: string, read: (id: string) => Promise<T>): Promise<T> {
    let reading = this.reads.get(id);
    if (!reading) {
      reading = read(id);
      this.reads.set(id, reading);
      // A failed read is not kept: the next one tries again.
      reading.catch(() => this.reads.get(id) === reading && this.reads.delete(id));
    }
    return reading;
  }

  forget(id: string): void {
    this.reads.delete(id);
  }

  clear(): void {
    this.reads.clear();
  }
}
