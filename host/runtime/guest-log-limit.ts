/**
 * Bounds on what a guest can put in the host log (stdout, stderr, `wasi:logging`): lines are cut at
 * {@link GuestLogLimits.maxLineChars}, control characters (terminal escapes, NUL, C1) are stripped, and each component
 * gets a token bucket of lines; lines over it are dropped and counted, and the next line that goes out is preceded by
 * one warning with the count.
 */

/** The defaults of guest log limiting. */
export const GuestLogLimits = {
  /** Longest line kept; the rest of a longer line is cut (stdout/stderr buffers flush at this size). */
  maxLineChars: 4096,
  /** Lines per second a component may log on average. */
  linesPerSecond: 100,
  /** Lines a component may log at once before the rate applies. */
  burst: 200,
  /** Components remembered (the oldest is forgotten past this). */
  maxComponents: 10_000,
} as const;

// C0 controls but tab, DEL and C1 controls: ESC sequences would reach a terminal (`weft up` logs pretty to a TTY)
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/** One log line as the host writes it: control characters removed, cut at `max` characters with a marker. */
export function sanitizeLogLine(line: string, max: number = GuestLogLimits.maxLineChars): string {
  const cut = line.length > max ? `${line.slice(0, max)}…[${line.length - max} more characters cut]` : line;
  return cut.replace(CONTROL, '');
}

/** Options of {@link GuestLogLimiter}. */
export interface GuestLogLimiterOptions {
  linesPerSecond?: number;
  burst?: number;
  maxComponents?: number;
  /** The clock (tests pass their own). */
  now?: () => number;
}

/** A token bucket of log lines per component. */
export class GuestLogLimiter {
  readonly #rate: number;
  readonly #burst: number;
  readonly #max: number;
  readonly #now: () => number;
  readonly #buckets = new Map<string, { tokens: number; at: number; suppressed: number }>();

  constructor(o: GuestLogLimiterOptions = {}) {
    this.#rate = o.linesPerSecond ?? GuestLogLimits.linesPerSecond;
    this.#burst = o.burst ?? GuestLogLimits.burst;
    this.#max = o.maxComponents ?? GuestLogLimits.maxComponents;
    this.#now = o.now ?? Date.now;
  }

  /** The rate, for the warning text. */
  get linesPerSecond(): number {
    return this.#rate;
  }

  /**
   * Takes one line of `key`'s budget.
   * @returns false when the line is to be dropped; otherwise how many lines were dropped before it (to report).
   */
  take(key: string): number | false {
    const now = this.#now();
    let b = this.#buckets.get(key);
    if (!b) {
      b = { tokens: this.#burst, at: now, suppressed: 0 };
      this.#buckets.set(key, b);
      if (this.#buckets.size > this.#max) this.#buckets.delete(this.#buckets.keys().next().value as string);
    }
    b.tokens = Math.min(this.#burst, b.tokens + ((now - b.at) / 1000) * this.#rate);
    b.at = now;
    if (b.tokens < 1) {
      b.suppressed++;
      return false;
    }
    b.tokens--;
    const suppressed = b.suppressed;
    b.suppressed = 0;
    return suppressed;
  }
}
