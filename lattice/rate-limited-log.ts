/** The log sink a `RateLimitedLog` writes to (a pino logger, a provider's `ctx.log`, …). */
export interface WarnSink {
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface RateLimitedLogOptions {
  /** At most one line per key in this many milliseconds (default 10 000). */
  intervalMs?: number;
  /** How many keys are remembered; the oldest is forgotten past this (default 1000), so hostile keys cannot grow memory. */
  maxKeys?: number;
  /** The clock (tests pass their own). */
  now?: () => number;
}

/**
 * At most one warning per key (e.g. a component id) per interval. The calls in between are counted and the next
 * line that goes out carries `suppressed: N`. For warnings that untrusted input can trigger at will (a guest
 * refused again and again, a flood of malformed messages): the log keeps one line per source and interval.
 *
 * ```ts
 * const refused = new RateLimitedLog(ctx.log, { intervalMs: 10_000 });
 * refused.warn(componentId, { component_id: componentId, subject }, 'publish refused');
 * ```
 */
export class RateLimitedLog {
  readonly #sink: WarnSink;
  readonly #intervalMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;
  readonly #state = new Map<string, { last: number; suppressed: number }>();

  constructor(sink: WarnSink, opts: RateLimitedLogOptions = {}) {
    this.#sink = sink;
    this.#intervalMs = opts.intervalMs ?? 10_000;
    this.#maxKeys = opts.maxKeys ?? 1000;
    this.#now = opts.now ?? Date.now;
  }

  /** Writes `msg` unless a line for `key` went out less than the interval ago; returns whether it was written. */
  warn(key: string, obj: Record<string, unknown>, msg: string): boolean {
    const now = this.#now();
    const s = this.#state.get(key);
    if (s && now - s.last < this.#intervalMs) {
      s.suppressed++;
      return false;
    }
    const suppressed = s?.suppressed ?? 0;
    this.#state.delete(key); // re-insert: the Map's order is the order of last writes, oldest first
    this.#state.set(key, { last: now, suppressed: 0 });
    if (this.#state.size > this.#maxKeys) this.#state.delete(this.#state.keys().next().value as string);
    this.#sink.warn(suppressed ? { ...obj, suppressed } : obj, msg);
    return true;
  }
}
