import type { Logger } from '../logger.ts';

/** Longest single timer Node allows (about 24.8 days); later expiries are re-armed in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Stops running components when their claims expire (`exp`): claims are checked at start, and this timer makes the
 * expiry hold afterwards too. One timer per component id; `watch` again (an update, a new start) replaces it. The
 * stop runs in the component's command queue and only if the expiry still stands then (an update queued before it
 * with fresh claims wins). wasmCloud has no event for this; weft's is the stop's `component_scaled` with
 * `max_instances: 0` and a `reason`.
 */
export class ClaimsExpiry {
  readonly #exp = new Map<string, { expSec: number; timer: NodeJS.Timeout | undefined }>();
  readonly #serial: (id: string, task: () => Promise<void>) => Promise<void>;
  readonly #stop: (id: string, reason: string) => Promise<void>;
  readonly #logger: (() => Logger) | undefined;
  readonly #now: () => number;

  /**
   * @param serial runs a task in the component's command queue
   * @param stop stops the component, publishing `reason`
   * @param logger read when a timer fires
   * @param now ms since epoch (for tests)
   */
  constructor(
    serial: (id: string, task: () => Promise<void>) => Promise<void>,
    stop: (id: string, reason: string) => Promise<void>,
    logger?: () => Logger,
    now: () => number = Date.now,
  ) {
    this.#serial = serial;
    this.#stop = stop;
    this.#logger = logger;
    this.#now = now;
  }

  /** Arms the timer of `id` for `expSec` (seconds since epoch); no expiry clears it. */
  watch(id: string, expSec: number | undefined): void {
    this.clear(id);
    if (expSec === undefined) return;
    const entry: { expSec: number; timer: NodeJS.Timeout | undefined } = { expSec, timer: undefined };
    this.#exp.set(id, entry);
    const arm = (): void => {
      if (this.#exp.get(id) !== entry) return;
      const left = expSec * 1000 - this.#now();
      if (left > 0) {
        entry.timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
        entry.timer.unref();
        return;
      }
      void this.#serial(id, async () => {
        if (this.#exp.get(id) !== entry) return; // re-armed or cleared meanwhile
        this.#exp.delete(id);
        const reason = `the claims of component "${id}" expired at ${new Date(expSec * 1000).toISOString()}; re-sign it and scale it again`;
        this.#logger?.().warn({ component_id: id, expired_at: expSec }, reason);
        await this.#stop(id, reason);
      });
    };
    arm();
  }

  clear(id: string): void {
    clearTimeout(this.#exp.get(id)?.timer);
    this.#exp.delete(id);
  }

  /** Ids with an armed expiry (for tests). */
  get watched(): string[] {
    return [...this.#exp.keys()];
  }
}
