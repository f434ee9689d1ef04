import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { KV } from '@nats-io/kv';
import type { Provider, ProviderContext, ResolvedLink } from '../sdk/index.ts';
import { dispatchKv, KvRefusal, kvCoded, resolveNatsBucket } from '../sdk/index.ts';
import { createKvRetrying, kvKeys, RateLimitedLog } from '../../lattice/index.ts';
import { IncrementBatcher } from './increment-batch.ts';
import type { KvBackend, NatsStore } from '../sdk/index.ts';

/** How long a busy JetStream's timeouts are retried when a link's bucket is created (first use under load). */
const CREATE_RETRY_MS = 15_000;
/** How long one JetStream request (get, put, compare-and-set) may wait. */
const JS_TIMEOUT_MS = 10_000;

/** A compare-and-set that lost to another writer (JetStream's wrong-last-sequence / key-exists). */
const conflict = (err: unknown): boolean =>
  /wrong last sequence|key exists|10071|10164/i.test(String((err as Error).message));

/** One entry's key in this provider's per-key state. */
const entryKey = (bucket: string, key: string): string => `${bucket}\u0000${key}`;

/** A JetStream "stream not found" (the bucket does not exist). */
const missing = (err: unknown): boolean => /stream not found|10059/i.test(String((err as Error).message));

/** Per-link buckets one provider instance serves at most, unless the provider config `max_buckets` says otherwise. */
export const DEFAULT_MAX_BUCKETS = 64;

/**
 * `weft+builtin://keyvalue-nats` (the default): `wasi:keyvalue` over JetStream KV on the lattice's NATS. The bucket
 * is the link's target config `bucket` (or one of `buckets`), else one of the link's own `weftkv_…` buckets
 * (see `resolveNatsBucket`); a guest never names a bucket itself, and the lattice's buckets are refused.
 */
export class NatsKvProvider implements Provider, KvBackend {
  #ctx!: ProviderContext;
  #kvm!: Kvm;
  #refused!: RateLimitedLog;
  #maxBuckets = DEFAULT_MAX_BUCKETS;
  readonly #buckets = new Map<string, Promise<KV>>();
  /** What each bucket was resolved as (whether to create it), by name. */
  readonly #stores = new Map<string, NatsStore>();
  /** The per-link (derived) buckets this instance serves: counted against `max_buckets`. */
  readonly #derived = new Set<string>();
  /** Per key: the increments waiting for its next write, and the value and revision the last one wrote. */
  readonly #increments = new IncrementBatcher();
  readonly #known = new Map<string, { value: number; revision: number }>();

  init(ctx: ProviderContext): void {
    this.#ctx = ctx;
    // JetStream requests wait 10 s, as wasmCloud's NATS KV provider does (async-nats' request timeout): nats.js'
    // shorter default failed single increments of a busy JetStream (a full test run) with a bare `timeout`
    const domain = ctx.config['js_domain'];
    this.#kvm = new Kvm(jetstream(ctx.nc, { timeout: JS_TIMEOUT_MS, ...(domain ? { domain } : {}) }));
    this.#refused = new RateLimitedLog(ctx.log);
    const max = ctx.config['max_buckets'];
    if (max !== undefined) {
      if (/^\d{1,6}$/.test(max)) this.#maxBuckets = Number(max);
      else
        ctx.log.warn(
          { max_buckets: max.slice(0, 40) },
          `max_buckets is not a whole number: using ${DEFAULT_MAX_BUCKETS}`,
        );
    }
  }

  handleImport(_source: string, link: ResolvedLink, iface: string, func: string, args: unknown[]): Promise<unknown> {
    return dispatchKv(this, (id, l) => this.#resolve(id, l), link, iface, func, args).catch((err: unknown) => {
      if (err instanceof KvRefusal)
        this.#refused.warn(
          link.source_id,
          { component_id: link.source_id, link_name: link.name, reason: err.reason },
          'key-value store refused',
        );
      throw err;
    });
  }

  #resolve(identifier: unknown, link: ResolvedLink): string {
    const store = resolveNatsBucket(this.#ctx.lattice, link, identifier);
    if (store.derived && !this.#derived.has(store.bucket)) {
      if (this.#derived.size >= this.#maxBuckets) {
        throw kvCoded(
          'KV_BUCKET_LIMIT',
          `this provider already serves ${this.#maxBuckets} per-link buckets (provider config max_buckets); reuse an identifier, or have the operator configure a bucket`,
        );
      }
      this.#derived.add(store.bucket); // counted at once, so concurrent opens cannot pass the limit together
    }
    this.#stores.set(store.bucket, store);
    return store.bucket;
  }

  /** Binds to the bucket: per-link and auto-created ones are created when missing, the others must exist. */
  #kv(bucket: string): Promise<KV> {
    let p = this.#buckets.get(bucket);
    if (!p) {
      const store = this.#stores.get(bucket);
      p =
        store?.autoCreate !== false
          ? createKvRetrying(this.#kvm, bucket, { history: 1 }, CREATE_RETRY_MS)
          : this.#bind(bucket);
      p.catch(() => {
        this.#buckets.delete(bucket);
        this.#derived.delete(bucket); // a bucket that could not be made takes no place under max_buckets
      });
      this.#buckets.set(bucket, p);
    }
    return p;
  }

  async #bind(bucket: string): Promise<KV> {
    const kv = await this.#kvm.open(bucket);
    try {
      await kv.status();
    } catch (err) {
      if (missing(err))
        throw new KvRefusal(
          { tag: 'no-such-store' },
          `bucket "${bucket}" does not exist and the link has enable_bucket_auto_create=false; create it (nats kv add ${bucket})`,
        );
      throw err;
    }
    return kv;
  }

  async open(bucket: string): Promise<void> {
    await this.#kv(bucket);
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
   * Increments of one key from this process are written one batch at a time (concurrent writes would only make each
   * other retry): those that arrive while a write is in flight go together into the next one, which adds their sum
   * (increment-batch.ts). Each write starts from the value and revision the last one wrote: one JetStream request
   * instead of a read and a write, unless another writer got in between (the revision check catches that, and it
   * reads again).
   */
  increment(bucket: string, key: string, delta: number): Promise<number> {
    const k = entryKey(bucket, key);
    return this.#increments.add(k, delta, (total) => this.#increment(bucket, key, total, k));
  }

  async #increment(bucket: string, key: string, delta: number, k: string): Promise<number> {
    const kv = await this.#kv(bucket);
    // the first try starts from what this process wrote last, when it knows it; every other one reads the entry
    let known = this.#known.get(k);
    this.#known.delete(k);
    for (let reads = 0; reads < 100;) {
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
        const written =
          revision === undefined ? await kv.create(key, String(next)) : await kv.update(key, String(next), revision);
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
    this.#derived.clear();
    this.#stores.clear();
    this.#known.clear();
    void this.#ctx;
  }
}
