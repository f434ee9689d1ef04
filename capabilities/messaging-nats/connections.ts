import { createHash } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import type { NatsConnectOptions } from '../../lattice/index.ts';

/** Where one messaging connection goes and how it authenticates. */
export interface NatsTarget {
  servers: string[];
  jwt?: string;
  seed?: string;
  /** A `.creds` file path: only ever the host's own (`--nats-creds`), never from config. */
  credsFile?: string;
}

/** A config value by key, whatever its case (`CLUSTER_URIS` or `cluster_uris`); empty values count as absent. */
export function configValue(config: Record<string, string>, key: string): string | undefined {
  const k = Object.keys(config).find((c) => c.toLowerCase() === key);
  const v = k === undefined ? undefined : config[k]?.trim();
  return v ? v : undefined;
}

/** The JWT and seed in the text of a `.creds` file (nats.js' own pattern). @throws {Error} when either is missing. */
export function parseCreds(text: string): { jwt: string; seed: string } {
  const re = /\s*(?:(?:-{3,}[^\n]*-{3,}\r?\n)(.+)(?:\r?\n\s*-{3,}[^\n]*-{3,}\r?\n?))/g;
  const jwt = re.exec(text)?.[1]?.trim();
  const seed = re.exec(text)?.[1]?.trim();
  if (!jwt || !seed)
    throw new Error('client_creds is not the text of a .creds file (a user JWT block then a seed block)');
  return { jwt, seed };
}

/**
 * The NATS a link's guest traffic goes to. Keys (any case) from the link's config over the provider's config:
 * `cluster_uris` (comma-separated), `client_jwt` + `client_seed`, or `client_creds` (the text of a `.creds` file).
 * Without `cluster_uris` it is the lattice's NATS with the credentials the host was given (`host`), unless the
 * config names credentials of its own. The host's credentials never go to servers that config names.
 * @throws {Error} when there is no server to connect to, or `client_creds` cannot be parsed.
 */
export function natsTargetOf(
  link: Record<string, string>,
  provider: Record<string, string>,
  host: NatsConnectOptions | undefined,
): NatsTarget {
  const get = (k: string) => configValue(link, k) ?? configValue(provider, k);
  const uris = get('cluster_uris');
  const creds = get('client_creds');
  const own = creds ? parseCreds(creds) : { jwt: get('client_jwt'), seed: get('client_seed') };
  const hostUrl = host?.url;
  const servers = (uris ?? (Array.isArray(hostUrl) ? hostUrl.join(',') : (hostUrl ?? '')))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (servers.length === 0) throw new Error('no NATS to connect to: set cluster_uris in the link or provider config');
  const auth: Omit<NatsTarget, 'servers'> =
    uris || own.jwt || own.seed ? own : { jwt: host?.jwt, seed: host?.seed, credsFile: host?.credsFile };
  return {
    servers,
    ...(auth.jwt ? { jwt: auth.jwt } : {}),
    ...(auth.seed ? { seed: auth.seed } : {}),
    ...(auth.credsFile ? { credsFile: auth.credsFile } : {}),
  };
}

/** A stable key for a target (hashed: the key holds no secret). */
export function targetKey(t: NatsTarget): string {
  return createHash('sha256')
    .update(JSON.stringify([[...t.servers].sort(), t.jwt ?? '', t.seed ?? '', t.credsFile ?? '']))
    .digest('hex');
}

interface Entry {
  conn: Promise<NatsConnection>;
  users: Set<string>;
}

/**
 * One connection per distinct target, shared by the links (users) that resolve to it, closed when its last user
 * lets go and by {@link ConnectionPool.closeAll}. A failed connect is forgotten, so the next use tries again.
 */
export class ConnectionPool {
  readonly #connect: (t: NatsTarget) => Promise<NatsConnection>;
  readonly #entries = new Map<string, Entry>();
  readonly #userKey = new Map<string, string>();

  constructor(connect: (t: NatsTarget) => Promise<NatsConnection>) {
    this.#connect = connect;
  }

  /** The connection for `target`, held for `user` (a user moving to another target lets go of its old one). */
  acquire(user: string, target: NatsTarget): Promise<NatsConnection> {
    const key = targetKey(target);
    const old = this.#userKey.get(user);
    if (old !== undefined && old !== key) this.release(user);
    let e = this.#entries.get(key);
    if (!e) {
      const entry: Entry = { conn: this.#connect(target), users: new Set() };
      entry.conn.catch(() => {
        if (this.#entries.get(key) === entry) this.#drop(key, entry);
      });
      this.#entries.set(key, entry);
      e = entry;
    }
    e.users.add(user);
    this.#userKey.set(user, key);
    return e.conn;
  }

  /** `user` lets go; the connection closes when it was the last. */
  release(user: string): void {
    const key = this.#userKey.get(user);
    if (key === undefined) return;
    this.#userKey.delete(user);
    const e = this.#entries.get(key);
    if (!e) return;
    e.users.delete(user);
    if (e.users.size === 0) {
      this.#entries.delete(key);
      void e.conn.then((nc) => nc.close()).catch(() => undefined);
    }
  }

  /** How many connections are open or opening (for tests). */
  get size(): number {
    return this.#entries.size;
  }

  async closeAll(): Promise<void> {
    const all = [...this.#entries.values()];
    this.#entries.clear();
    this.#userKey.clear();
    await Promise.all(all.map((e) => e.conn.then((nc) => nc.close()).catch(() => undefined)));
  }

  #drop(key: string, e: Entry): void {
    this.#entries.delete(key);
    for (const u of e.users) if (this.#userKey.get(u) === key) this.#userKey.delete(u);
  }
}
