/** Options of {@link DecisionCache}. */
export interface DecisionCacheOptions {
  /** How long a decision is reused (ms). @default 60000 */
  ttlMs?: number;
  /** Most decisions kept; the least recently used goes first. @default 10000 */
  maxEntries?: number;
  /** The clock (tests pass their own). */
  now?: () => number;
}

/** A bounded map whose entries expire: least-recently-used eviction past `maxEntries`, `ttlMs` per entry. */
export class DecisionCache<V> {
  readonly #ttl: number;
  readonly #max: number;
  readonly #now: () => number;
  readonly #map = new Map<string, { v: V; expires: number }>();

  constructor(o: DecisionCacheOptions = {}) {
    this.#ttl = o.ttlMs ?? 60_000;
    this.#max = Math.max(1, o.maxEntries ?? 10_000);
    this.#now = o.now ?? Date.now;
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: string): V | undefined {
    const e = this.#map.get(key);
    if (!e) return undefined;
    this.#map.delete(key);
    if (e.expires <= this.#now()) return undefined;
    this.#map.set(key, e); // most recently used last
    return e.v;
  }

  /** Stores `v`; returns the key evicted to make room, if any. */
  set(key: string, v: V): string | undefined {
    this.#map.delete(key);
    this.#map.set(key, { v, expires: this.#now() + this.#ttl });
    if (this.#map.size <= this.#max) return undefined;
    const oldest = this.#map.keys().next().value as string;
    this.#map.delete(oldest);
    return oldest;
  }

  /** Replaces the value of a live entry without renewing its time to live; false when there is none. */
  replace(key: string, v: V): boolean {
    const e = this.#map.get(key);
    if (!e || e.expires <= this.#now()) return false;
    e.v = v;
    return true;
  }

  delete(key: string): void {
    this.#map.delete(key);
  }
}
