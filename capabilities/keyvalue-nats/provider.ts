import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { KV } from '@nats-io/kv';
import type { Provider, ProviderContext, ResolvedLink } from '../sdk/index.ts';
import { dispatchKv } from '../sdk/index.ts';
import { kvKeys } from '../../lattice/index.ts';
import type { KvBackend } from '../sdk/index.ts';

/** A compare-and-set that lost to another writer (JetStream's wrong-last-sequence / key-exists). */
const conflict = (err: unknown): boolean => /wrong last sequence|key exists|10071|10164/i.test(String((err as Error).message));

/** One entry's key in this provider's per-key state. */
const entryKey = (bucket: string, key: string): string => `${bucket}\u0000${key}`;

/** JetStream KV bucket names allow letters, digits, `-` and `_`. */
const bucketName = (s: string): string => s.replace(/[^A-Za-z0-9_-]/g, '_') || 'default';

/**
 * `weft+builtin://keyvalue-nats` (the default): `wasi:keyvalue` over JetStream KV on the lattice's NATS. The bucket
 * comes from the link's target config `bucket`, else from the identifier the component opens.
 */
export class NatsKvProvider implements Provider, KvBackend {
  #ctx!: ProviderContext;
  #kvm!: Kvm;
  readonly #buckets = new Map<string, Promise<KV>>();
  /** Per key: the end of this process's queue of increments, and the value and revision the last one wrote. */
  readonly #queues = new Map<string, Promise<void>>();
  readonly #known = new Map<string, { value: number; revision: number }>();

  init(ctx: ProviderContext): void {
    this.#ctx = ctx;
    this.#kvm = new Kvm(jetstream(ctx.nc, ctx.config['js_domain'] ? { domain: ctx.config['js_domain'] } : {}));
  }

  handleImport(_source: string, link: ResolvedLink, iface: string, func: string, args: unknown[]): Promise<unknown> {
    return dispatchKv(this, (id, l) => bucketName(l.target_config_values['bucket'] ?? l.target_config_values['BUCKET'] ?? id), link, iface, func, args);
  }

  #kv(bucket: string): Promise<KV> {
    let p = this.#buckets.get(bucket);
    if (!p) {
      p = this.#kvm.create(bucket, { history: 1 });
      p.catch(() => this.#buckets.delete(bucket));
      this.#buckets.set(bucket, p);
    }
    return p;
  }

  async get(bucket: string, key: string): Promise<Uint8Array | undefined> {
    const e = await (await this.#kv(bucket)).get(key);
    return e && e.operation === 'PUT' ? e.value : undefined;
  }
  async set(bucket: string, key: string, value: Uint8Array): Promise<void> {
    this.#known.delete(entryKey(bucket, key));
    await (await this.#kv(bucket)).put(key, value);
  }
  async delete(bucket: string, key: string): Promise<void> {
    this.#known.delete(entryKey(bucket, key));
    await (await this.#kv(bucket)).delete(key);
  }
  async exists(bucket: string, key: string): Promise<boolean> {
    return (await this.get(bucket, key)) !== undefined;
  }
  async listKeys(bucket: string, cursor: number | undefined): Promise<{ keys: string[]; cursor?: number }> {
    const kv = await this.#kv(bucket);
    const keys: string[] = [];
    for (const k of await kvKeys(kv)) {
      const e = await kv.get(k);
      if (e && e.operation === 'PUT') keys.push(k);
    }
    keys.sort();
    const start = cursor ?? 0;
    const page = keys.slice(start, start + 1000);
    return { keys: page, cursor: start + 1000 < keys.length ? start + 1000 : undefined };
  }

  /**
   * Atomic: compare-and-set on the entry's revision, retried on conflict. Values are decimal text, like wasmCloud's.
   * Increments of one key from this process go one after another (concurrent ones would only make each other retry),
   * and each starts from the value and revision the last one wrote: one JetStream request instead of a read and a
   * write, unless another writer got in between (the revision check catches that, and it reads again).
   */
  increment(bucket: string, key: string, delta: number): Promise<number> {
    const k = entryKey(bucket, key);
    const run = (this.#queues.get(k) ?? Promise.resolve()).then(() => this.#increment(bucket, key, delta, k));
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.#queues.set(k, tail);
    void tail.then(() => this.#queues.get(k) === tail && this.#queues.delete(k));
    return run;
  }

  async #increment(bucket: string, key: string, delta: number, k: string): Promise<number> {
    const kv = await this.#kv(bucket);
    // the first try starts from what this process wrote last, when it knows it; every other one reads the entry
    let known = this.#known.get(k);
    this.#known.delete(k);
    for (let reads = 0; reads < 100; ) {
      let cur = known?.value ?? 0;
      let revision = known?.revision; // undefined: the entry does not exist yet
      if (!known) {
        reads++;
        const e = await kv.get(key);
        cur = e && e.operation === 'PUT' && e.length ? Number(e.string()) : 0;
        if (!Number.isFinite(cur)) throw new Error(`value of "${key}" is not a number`);
        revision = e && e.operation === 'PUT' ? e.revision : undefined;
      }
      known = undefined;
      const next = cur + delta;
      try {
        const written = revision === undefined ? await kv.create(key, String(next)) : await kv.update(key, String(next), revision);
        this.#known.set(k, { value: next, revision: written });
        return next;
      } catch (err) {
        if (!conflict(err)) throw err;
      }
    }
    throw new Error(`increment of "${key}" kept conflicting`);
  }

  shutdown(): void {
    this.#buckets.clear();
    this.#known.clear();
    void this.#ctx;
  }
}
