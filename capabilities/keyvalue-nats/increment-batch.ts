/**
 * Increments of one key, coalesced: while one compare-and-set of the key is in flight, the increments that arrive
 * wait together, and the next write applies their sum at once. Each caller gets the value its own increment made,
 * in arrival order (`before + d1`, `before + d1 + d2`, …), as if they had been applied one after another at the
 * moment of the write; no value is returned twice and none is skipped. Under 32 concurrent HTTP requests on one
 * counter, one write per increment made every caller wait for every other one's JetStream round trip.
 */

/** One increment waiting for its write. */
interface Waiting {
  delta: number;
  apply: ApplyIncrement;
  resolve: (value: number) => void;
  reject: (err: unknown) => void;
}

/** Writes `total` onto the key atomically and resolves with the value the key then holds. */
export type ApplyIncrement = (total: number) => Promise<number>;

/** At most this many increments go into one write (the rest wait for the next). */
export const MAX_BATCH = 1024;

export class IncrementBatcher {
  /** Per key with a write in flight: the increments that will go into the next one. */
  readonly #waiting = new Map<string, Waiting[]>();

  /**
   * Adds `delta` to `key` through `apply` (every increment of one key must write to the same entry: the batch's first
   * one's `apply` writes them all); resolves with the key's value right after this increment.
   */
  add(key: string, delta: number, apply: ApplyIncrement): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const queue = this.#waiting.get(key);
      const w = { delta, apply, resolve, reject };
      if (queue) queue.push(w);
      else {
        this.#waiting.set(key, [w]);
        void this.#drain(key);
      }
    });
  }

  /** Keys with increments waiting or being written. */
  get size(): number {
    return this.#waiting.size;
  }

  async #drain(key: string): Promise<void> {
    // every increment that arrives before this turn's microtasks end still makes the first write
    await Promise.resolve();
    for (;;) {
      const queue = this.#waiting.get(key);
      if (!queue?.length) {
        this.#waiting.delete(key);
        return;
      }
      const batch = queue.splice(0, MAX_BATCH);
      let total = 0;
      for (const w of batch) total += w.delta;
      try {
        const after = await batch[0]!.apply(total);
        let value = after - total;
        for (const w of batch) w.resolve((value += w.delta));
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
  }
}
