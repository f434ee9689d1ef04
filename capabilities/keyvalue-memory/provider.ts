import type { Provider, ProviderContext, ResolvedLink } from '../sdk/index.ts';
import { dispatchKv, linkKeyPrefix } from '../sdk/index.ts';
import type { KvBackend } from '../sdk/index.ts';

/**
 * The worked example of an **external** provider: `wasi:keyvalue` kept in the provider process's memory. It runs
 * as its own Node process (see `main.ts`), so killing it loses its data and the host restarts it. Each link has its
 * own buckets: a bucket is the link's key prefix `{namespace}:{identifier}:` (see `linkKeyPrefix`), as in Redis.
 */
export class MemoryKvProvider implements Provider, KvBackend {
  readonly #data = new Map<string, Map<string, Uint8Array>>();
  #ctx: ProviderContext | undefined;

  init(ctx: ProviderContext): void {
    this.#ctx = ctx;
  }

  handleImport(_source: string, link: ResolvedLink, iface: string, func: string, args: unknown[]): Promise<unknown> {
    return dispatchKv(this, (id, l) => linkKeyPrefix(this.#ctx?.lattice ?? '', l, id), link, iface, func, args);
  }

  health(): { healthy: boolean; message: string } {
    return { healthy: true, message: `${this.#data.size} buckets` };
  }

  #bucket(b: string): Map<string, Uint8Array> {
    let m = this.#data.get(b);
    if (!m) this.#data.set(b, (m = new Map()));
    return m;
  }
  get(b: string, k: string): Promise<Uint8Array | undefined> {
    return Promise.resolve(this.#data.get(b)?.get(k));
  }
  set(b: string, k: string, v: Uint8Array): Promise<void> {
    this.#bucket(b).set(k, v);
    return Promise.resolve();
  }
  delete(b: string, k: string): Promise<void> {
    this.#data.get(b)?.delete(k);
    return Promise.resolve();
  }
  exists(b: string, k: string): Promise<boolean> {
    return Promise.resolve(this.#data.get(b)?.has(k) ?? false);
  }
  listKeys(b: string, cursor: number | undefined): Promise<{ keys: string[]; cursor?: number }> {
    return Promise.resolve({ keys: [...(this.#data.get(b)?.keys() ?? [])].slice(cursor ?? 0) });
  }
  increment(b: string, k: string, delta: number): Promise<number> {
    const cur = Number(new TextDecoder().decode(this.#bucket(b).get(k) ?? new Uint8Array())) || 0;
    this.#bucket(b).set(k, new TextEncoder().encode(String(cur + delta)));
    return Promise.resolve(cur + delta);
  }
  shutdown(): void {
    this.#ctx?.log.info({}, 'memory kv shutting down');
  }
}
