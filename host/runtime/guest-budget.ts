/**
 * The host-wide budget of guest calls and linear memory: past it a call fails at once with COMP_BUSY (HTTP 503 on the
 * HTTP path) instead of queueing without bound or growing the host until the OS kills it.
 *
 * - Calls: every call admitted (running, or waiting for one of its component's `max_instances`) counts until it
 *   ends; a running call holds one instance. This bound is exact.
 * - Memory: the live linear memory of every instance in every worker (spares, kept and running ones), as the workers
 *   report it. It is measured, not reserved: it is refreshed at most every `refreshMs` while calls end (and when a call
 *   is refused for memory), so a call is admitted against what was measured last. Growth within running calls shows
 *   at the next refresh; each instance is also capped at `--max-linear-memory-bytes`, so the overshoot is at most the
 *   calls in flight times that cap (reserving that cap for every call would allow only a handful of calls, since
 *   guests built by common toolchains declare no maximum).
 */
import { HOLDERS } from './admission.ts';
import { ComponentError, ComponentErrorCode } from './errors.ts';

/** Where thread `holder`'s own count of admitted calls lives in the shared view (0 the main thread, a worker its index). */
const HELD = 4;

/** Options of {@link GuestBudget}. */
export interface GuestBudgetOptions {
  /** Most calls admitted at once, host-wide. */
  maxCalls: number;
  /** Most guest linear memory, host-wide, before new calls are refused. */
  maxMemoryBytes: number;
  /** Measures the live guest linear memory (the workers' stats). */
  measure: () => Promise<number>;
  /** Least time between two measurements. @default 100 */
  refreshMs?: number;
}

/** Admission control for guest calls (see the module comment). */
export class GuestBudget {
  readonly #o: Required<GuestBudgetOptions>;
  /**
   * In every thread: [0] calls admitted, [1] 1 while the memory measured last is over the budget, [2] the call cap,
   * [3] the most calls admitted at once since {@link GuestBudget.takePeak} last read it, [4 + holder] the calls each
   * thread has admitted (so a guest worker replaced mid-call gives its share back: {@link releaseBudgetHolder}).
   */
  readonly sab = new SharedArrayBuffer(4 * (HELD + HOLDERS));
  readonly #a = new Int32Array(this.sab);
  #memory = 0;
  #measuring = false;
  /** A refresh was asked for while measuring: measure again once done (the change may have come after). */
  #again = false;
  #lastMeasure = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(o: GuestBudgetOptions) {
    this.#o = { refreshMs: 100, ...o };
    Atomics.store(this.#a, 2, o.maxCalls);
  }

  /** Calls admitted now, and the guest memory measured last. */
  get usage(): { calls: number; memoryBytes: number } {
    return { calls: Atomics.load(this.#a, 0), memoryBytes: this.#memory };
  }

  /**
   * The most calls admitted at once since the last read (then starts again from the calls admitted now): what a
   * periodic sample reports, where the calls admitted at the instant of sampling would mostly read 0.
   */
  takePeak(): number {
    return Atomics.exchange(this.#a, 3, Atomics.load(this.#a, 0));
  }

  /**
   * Admits one call of `cid`; the returned function ends it (idempotent).
   * @throws {ComponentError} COMP_BUSY when the host is at its call or memory budget.
   */
  admit(cid: string): () => void {
    if (this.#memory >= this.#o.maxMemoryBytes) {
      this.#refresh();
      throw busy(
        `${cid}: guests on this host hold ${this.#memory} bytes of linear memory, over its --max-guest-memory-bytes budget of ${this.#o.maxMemoryBytes}`,
      );
    }
    const end = admitShared(this.#a, cid);
    return () => {
      end();
      this.#refresh();
    };
  }

  /** Calls ended elsewhere (in the guest workers): the memory is measured again when due. */
  changed(): void {
    this.#refresh();
  }

  /** Measures now unless a measurement is under way or was taken less than `refreshMs` ago (then once it is due). */
  #refresh(): void {
    if (this.#measuring) {
      this.#again = true;
      return;
    }
    if (this.#timer) return;
    const wait = this.#lastMeasure + this.#o.refreshMs - Date.now();
    if (wait > 0) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#refresh();
      }, wait).unref();
      return;
    }
    this.#measuring = true;
    this.#o.measure().then(
      (bytes) => {
        this.#memory = bytes;
        Atomics.store(this.#a, 1, bytes >= this.#o.maxMemoryBytes ? 1 : 0);
        this.#done();
      },
      () => this.#done(),
    );
  }

  #done(): void {
    this.#measuring = false;
    this.#lastMeasure = Date.now();
    if (this.#again) {
      this.#again = false;
      this.#refresh();
    }
  }
}

/**
 * Admits one call against the budget's shared view (`GuestBudget.sab`, in any thread; `holder`: the thread, as in
 * admission.ts): refused when the memory measured last is over the budget or the host runs its cap of calls; the
 * returned function ends it (idempotent).
 * @throws {ComponentError} COMP_BUSY
 */
export function admitShared(a: Int32Array, cid: string, holder = 0): () => void {
  if (Atomics.load(a, 1))
    throw busy(`${cid}: guests on this host hold more linear memory than its --max-guest-memory-bytes budget`);
  const cap = Atomics.load(a, 2);
  const n = Atomics.add(a, 0, 1);
  if (n >= cap) {
    Atomics.sub(a, 0, 1);
    throw busy(`${cid}: the host runs ${n} guest calls, its --max-guest-instances budget`);
  }
  const mine = HELD + (holder > 0 && holder < HOLDERS ? holder : 0);
  Atomics.add(a, mine, 1);
  for (let peak = Atomics.load(a, 3); n + 1 > peak;) {
    const seen = Atomics.compareExchange(a, 3, peak, n + 1);
    if (seen === peak) break;
    peak = seen;
  }
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    Atomics.sub(a, mine, 1);
    Atomics.sub(a, 0, 1);
  };
}

/**
 * Gives back the calls thread `holder` had admitted when it ended (a guest worker replaced mid-call, whose calls never
 * reach their end): before, each replacement left its calls counted for good, and enough of them made every call
 * COMP_BUSY. Only for a thread that has stopped.
 */
export function releaseBudgetHolder(sab: SharedArrayBuffer, holder: number): void {
  if (holder <= 0 || holder >= HOLDERS) return;
  const a = new Int32Array(sab);
  const n = Atomics.exchange(a, HELD + holder, 0);
  if (n > 0) Atomics.sub(a, 0, n);
}

function busy(message: string): ComponentError {
  return new ComponentError(ComponentErrorCode.Busy, `${message}; retry later`);
}
