/** Waiting helpers (nats.js style): poll with `check`, or count down with `Lock`; never a fixed sleep. */
import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `fn` until it returns a truthy value (or stops throwing), or fails after `ms`. */
export async function check<T>(fn: () => T | Promise<T>, ms = 5000, interval = 25): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`check timed out after ${ms} ms${last ? `: ${String(last)}` : ''}`);
    await sleep(interval);
  }
}

/** A countdown latch: `unlock()` n times, `await lock` resolves at zero or rejects after `ms`. */
export class Lock implements PromiseLike<void> {
  #n: number;
  #resolve!: () => void;
  readonly #p: Promise<void>;
  constructor(n = 1, ms = 5000) {
    this.#n = n;
    this.#p = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      setTimeout(() => reject(new Error(`lock timed out with ${this.#n} left`)), ms).unref();
    });
  }
  unlock(): void {
    if (--this.#n <= 0) this.#resolve();
  }
  then<A = void, B = never>(
    ok?: ((v: void) => A | PromiseLike<A>) | null,
    ko?: ((e: unknown) => B | PromiseLike<B>) | null,
  ): PromiseLike<A | B> {
    return this.#p.then(ok, ko);
  }
}

export { sleep };
