import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { decodeLeaseEntry, decodeOrDrop } from '../../lattice/index.ts';
import type { LeaseEntry } from '../../lattice/index.ts';

/**
 * One active controller per lattice: a lease in KV (`weft_controller`, key `lease_{lattice}`) renewed by its holder
 * and taken over with compare-and-set once it expires.
 */
export class Lease {
  readonly #kv: KV;
  readonly #key: string;
  readonly #holder: string;
  readonly #ttlMs: number;
  #held = false;
  private constructor(kv: KV, key: string, holder: string, ttlMs: number) {
    this.#kv = kv;
    this.#key = key;
    this.#holder = holder;
    this.#ttlMs = ttlMs;
  }
  static async open(nc: NatsConnection, lattice: string, holder: string, ttlMs: number): Promise<Lease> {
    const kv = await new Kvm(jetstream(nc)).create('weft_controller', { history: 1 });
    return new Lease(kv, `lease_${lattice}`, holder, ttlMs);
  }
  get held(): boolean {
    return this.#held;
  }
  /** Acquires or renews; returns whether this holder has the lease now. */
  async tryHold(): Promise<boolean> {
    try {
      const e = await this.#kv.get(this.#key);
      const cur = e && e.operation === 'PUT' && e.length ? this.#decode(e.value) : undefined;
      const value = JSON.stringify({ holder: this.#holder, expires: Date.now() + this.#ttlMs });
      if (!e || e.operation !== 'PUT' || !e.length)
        await this.#kv.create(this.#key, value).catch(() => this.#kv.update(this.#key, value, e?.revision ?? 0));
      else if (!cur || cur.holder === this.#holder || cur.expires < Date.now())
        await this.#kv.update(this.#key, value, e.revision);
      else return (this.#held = false);
      return (this.#held = true);
    } catch {
      return (this.#held = false); // lost a race: someone else holds it
    }
  }
  /** The current lease; junk (or a lease claiming to last for ever) reads as expired, so it is taken over. */
  #decode(data: Uint8Array): LeaseEntry | undefined {
    return decodeOrDrop('weft_controller lease', () => decodeLeaseEntry(data, Math.max(10 * this.#ttlMs, 60_000)), {
      key: this.#key,
    });
  }

  async release(): Promise<void> {
    if (!this.#held) return;
    this.#held = false;
    const e = await this.#kv.get(this.#key).catch(() => null);
    if (e && e.operation === 'PUT' && e.length && this.#decode(e.value)?.holder === this.#holder) {
      await this.#kv.delete(this.#key).catch(() => undefined);
    }
  }
}
