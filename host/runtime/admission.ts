/**
 * Admission of calls, shared by the main thread and every guest worker through a SharedArrayBuffer: `max_instances`
 * is a hard cap on the calls of one component running at once, host-wide (whichever thread took the call), with a
 * bounded wait queue; a call beyond both is refused at once with COMP_BUSY (HTTP 503 with retry-after on the HTTP
 * path), never queued without bound. Waiters sleep in `Atomics.waitAsync` and are woken by a release in any thread.
 *
 * Layout (Int32): [0] calls running, [1] their cap (`max_instances`), [2] calls waiting, [3 + h] the slots thread `h`
 * holds (0 the main thread, 1.. the guest workers), so the slots of a worker that is replaced can be given back.
 */
import { ComponentError, ComponentErrorCode } from './errors.ts';

const RUNNING = 0;
const LIMIT = 1;
const WAITING = 2;
const HELD = 3;
/** Threads that can hold slots: the main thread (holder 0) and up to 63 guest workers at once. */
export const HOLDERS = 64;

/** Slots for calls of one component; `sab` crosses to the workers in their `start` message. */
export class SharedLimit {
  readonly sab: SharedArrayBuffer;
  readonly #a: Int32Array;
  readonly #held: number;

  /** `holder`: the thread this view takes slots for (0 the main thread, a guest worker its own index). */
  constructor(limit?: number, sab: SharedArrayBuffer = new SharedArrayBuffer(4 * (HELD + HOLDERS)), holder = 0) {
    this.sab = sab;
    this.#a = new Int32Array(sab);
    this.#held = HELD + holder;
    if (limit !== undefined) this.setLimit(limit);
  }

  /** Changes the cap (a scale); waiters are woken to try again. */
  setLimit(limit: number): void {
    Atomics.store(this.#a, LIMIT, Math.max(1, Math.floor(limit)));
    Atomics.notify(this.#a, RUNNING);
  }

  get usage(): { running: number; waiting: number; limit: number } {
    return { running: Atomics.load(this.#a, RUNNING), waiting: Atomics.load(this.#a, WAITING), limit: this.limit };
  }

  get limit(): number {
    return Atomics.load(this.#a, LIMIT);
  }

  /** Takes a slot if one is free (no waiting). */
  tryTake(): boolean {
    if (Atomics.add(this.#a, RUNNING, 1) < Atomics.load(this.#a, LIMIT)) {
      Atomics.add(this.#a, this.#held, 1);
      return true;
    }
    this.#give();
    return false;
  }

  /**
   * Takes a slot, waiting in the queue (at most `maxWaiting` calls wait, host-wide) until `deadline` (ms since epoch).
   * @returns the release function (idempotent).
   * @throws {ComponentError} COMP_BUSY when the queue is full or the wait reaches the deadline.
   */
  async take(who: string, maxWaiting: number, deadline: number): Promise<() => void> {
    if (!this.tryTake()) await this.#wait(who, maxWaiting, deadline);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      Atomics.sub(this.#a, this.#held, 1);
      this.#give();
    };
  }

  async #wait(who: string, maxWaiting: number, deadline: number): Promise<void> {
    if (Atomics.add(this.#a, WAITING, 1) >= maxWaiting) {
      Atomics.sub(this.#a, WAITING, 1);
      throw busy(`${who}: ${this.limit} call(s) run (its max_instances) and ${maxWaiting} wait`);
    }
    try {
      for (;;) {
        const seen = Atomics.load(this.#a, RUNNING);
        if (seen < this.limit && this.tryTake()) return;
        const left = deadline - Date.now();
        if (left <= 0)
          throw busy(`${who}: no instance came free before the call's deadline (max_instances ${this.limit})`);
        const r = Atomics.waitAsync(this.#a, RUNNING, seen, left);
        if (r.async) await r.value;
      }
    } finally {
      Atomics.sub(this.#a, WAITING, 1);
    }
  }

  /** Gives back the slots thread `holder` held when it ended (a guest worker replaced mid-call) and wakes the waiters. */
  static releaseHolder(sab: SharedArrayBuffer, holder: number): void {
    const a = new Int32Array(sab);
    const n = Atomics.exchange(a, HELD + holder, 0);
    if (n <= 0) return;
    Atomics.sub(a, RUNNING, n);
    Atomics.notify(a, RUNNING);
  }

  #give(): void {
    Atomics.sub(this.#a, RUNNING, 1);
    if (Atomics.load(this.#a, WAITING) > 0) Atomics.notify(this.#a, RUNNING);
  }
}

/** The bound of a component's wait queue for a cap of `limit`: four times as many as may run, at least 64. */
export const waitQueueFor = (limit: number): number => Math.max(64, 4 * limit);

function busy(message: string): ComponentError {
  return new ComponentError(ComponentErrorCode.Busy, `${message}; retry later`);
}
