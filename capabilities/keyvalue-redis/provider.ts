import type { Redis } from 'ioredis';
import type { Provider, ProviderContext, ResolvedLink } from '../sdk/index.ts';
import { dispatchKv, escapeGlob, KvRefusal, linkKeyPrefix } from '../sdk/index.ts';
import type { KvBackend } from '../sdk/index.ts';
import { RateLimitedLog } from '../../lattice/index.ts';

const DEFAULT_URL = 'redis://127.0.0.1:6379';

type Secrets = Record<string, { tag: 'string'; val: string } | { tag: 'bytes'; val: Uint8Array }>;
const text = (v: Secrets[string] | undefined): string | undefined =>
  v === undefined ? undefined : v.tag === 'string' ? v.val : new TextDecoder().decode(v.val);

/**
 * The Redis URL with the link's target secrets: a secret `URL` replaces it whole (wasmCloud's keyvalue-redis reads
 * it from secrets too), else `password` (and `username`) go into it. The result is never logged.
 */
export function withSecrets(url: string, secrets: Secrets | undefined): string {
  if (!secrets) return url;
  const whole = text(secrets['URL'] ?? secrets['url']);
  if (whole) return whole;
  const password = text(secrets['password'] ?? secrets['PASSWORD']);
  const username = text(secrets['username'] ?? secrets['USERNAME']);
  if (password === undefined && username === undefined) return url;
  const u = new URL(url);
  if (username !== undefined) u.username = encodeURIComponent(username);
  if (password !== undefined) u.password = encodeURIComponent(password);
  return u.toString();
}

/**
 * The server a link uses: its target config `URL` with its target secrets; else the provider's `URL` (its start
 * config) with the link's secrets or, when the link names none, the provider's own (`SECRET_…` configs of its start).
 */
export function redisUrlOf(
  link: ResolvedLink,
  config: Readonly<Record<string, string>>,
  linkSecrets: Secrets | undefined,
  ownSecrets: Readonly<Secrets> | undefined,
): string {
  const linkUrl = link.target_config_values['URL'] ?? link.target_config_values['url'];
  if (linkUrl !== undefined) return withSecrets(linkUrl, linkSecrets);
  return withSecrets(config['URL'] ?? config['url'] ?? DEFAULT_URL, linkSecrets ?? (ownSecrets as Secrets | undefined));
}

/**
 * `weft+builtin://keyvalue-redis`: `wasi:keyvalue` over a real Redis. The server is the link's target config `URL`
 * (wasmCloud's key; default `redis://127.0.0.1:6379`), one connection per URL. Every key lives under its link's
 * prefix `{namespace}:{identifier}:` (see `linkKeyPrefix`): the namespace is the link's target config `namespace`,
 * else `weftkv:{lattice}:{source_id}:{link name}`, so components sharing one Redis never see each other's keys.
 * The password comes from a secret (`SECRET_…` in the link's target config naming `password` or `URL`).
 */
export class RedisKvProvider implements Provider {
  #ctx!: ProviderContext;
  #refused!: RateLimitedLog;
  readonly #clients = new Map<string, Redis>();
  #Redis!: typeof Redis;

  /** Loads ioredis only when this provider starts (it adds ~20 MB to every host that imported it). */
  async init(ctx: ProviderContext): Promise<void> {
    this.#ctx = ctx;
    this.#refused = new RateLimitedLog(ctx.log);
    this.#Redis = (await import('ioredis')).Redis;
  }

  async handleImport(
    _source: string,
    link: ResolvedLink,
    iface: string,
    func: string,
    args: unknown[],
  ): Promise<unknown> {
    const url = redisUrlOf(
      link,
      this.#ctx.config,
      (await this.#ctx.linkSecrets?.(link))?.target_secrets,
      this.#ctx.secrets,
    );
    return dispatchKv(
      this.#backend(this.#client(url)),
      (id, l) => linkKeyPrefix(this.#ctx.lattice, l, id),
      link,
      iface,
      func,
      args,
    ).catch((err: unknown) => {
      if (err instanceof KvRefusal)
        this.#refused.warn(
          link.source_id,
          { component_id: link.source_id, link_name: link.name, reason: err.reason },
          'key-value store refused',
        );
      throw err;
    });
  }

  #client(url: string): Redis {
    let c = this.#clients.get(url);
    if (!c) {
      c = new this.#Redis(url, {
        lazyConnect: false,
        maxRetriesPerRequest: 2,
        enableOfflineQueue: true,
        connectTimeout: 2000,
      });
      c.on('error', (err: Error) =>
        this.#ctx.log.warn({ url: url.replace(/\/\/[^@]*@/, '//***@'), err: err.message }, 'redis connection error'),
      );
      this.#clients.set(url, c);
    }
    return c;
  }

  /** The backend for one connection; its "bucket" is a link's key prefix, `{namespace}:{identifier}:`. */
  #backend(r: Redis): KvBackend {
    const k = (prefix: string, key: string): string => `${prefix}${key}`;
    return {
      get: async (b, key) => {
        const v = await r.getBuffer(k(b, key));
        return v === null ? undefined : new Uint8Array(v);
      },
      set: async (b, key, value) => void (await r.set(k(b, key), Buffer.from(value))),
      delete: async (b, key) => void (await r.del(k(b, key))),
      exists: async (b, key) => (await r.exists(k(b, key))) === 1,
      listKeys: async (b, cursor) => {
        const [next, keys] = await r.scan(String(cursor ?? 0), 'MATCH', `${escapeGlob(b)}*`, 'COUNT', 1000);
        return {
          keys: keys.filter((x) => x.startsWith(b)).map((x) => x.slice(b.length)),
          cursor: next === '0' ? undefined : Number(next),
        };
      },
      increment: async (b, key, delta) => r.incrby(k(b, key), delta),
    };
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.#clients.values()].map((c) => c.quit().catch(() => c.disconnect())));
    this.#clients.clear();
  }
}
