import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { StoredApp } from '../../lattice/apps/index.ts';
import { decodeOrDrop, decodeStoredApp, kvKeys } from '../../lattice/index.ts';

/**
 * Manifests with all their versions, in the JetStream KV bucket `wadm_manifests`, key `{lattice}.{app}`. Neither a
 * lattice name nor an app name may contain `.`, so keys of two lattices never collide (the old `{lattice}_{app}` did:
 * lattice `a` app `b_c` and lattice `a_b` app `c`). An entry under the old key is still read when its stored name is
 * the app's (which makes the old key unambiguous), and moves to the new key on the next write or delete.
 */
export class AppStore {
  readonly #kv: KV;
  readonly #lattice: string;
  private constructor(kv: KV, lattice: string) {
    this.#kv = kv;
    this.#lattice = lattice;
  }
  static async open(nc: NatsConnection, lattice: string, replicas = 1): Promise<AppStore> {
    return new AppStore(await new Kvm(jetstream(nc)).create('wadm_manifests', { history: 1, replicas }), lattice);
  }
  #key(name: string): string {
    return `${this.#lattice}.${name}`;
  }
  /** The key before the `.` separator (read, then removed on write). */
  #oldKey(name: string): string {
    return `${this.#lattice}_${name}`;
  }
  async #read(key: string, name: string): Promise<StoredApp | undefined> {
    const e = await this.#kv.get(key);
    if (!e || e.operation !== 'PUT' || !e.length) return undefined;
    // junk, or an entry naming another app, reads as no application
    return decodeOrDrop(`${e.bucket} entries`, () => decodeStoredApp(e.value, name), { key: key.slice(0, 200) });
  }
  async get(name: string): Promise<StoredApp | undefined> {
    return (await this.#read(this.#key(name), name)) ?? (await this.#read(this.#oldKey(name), name));
  }
  async put(app: StoredApp): Promise<void> {
    await this.#kv.put(this.#key(app.name), JSON.stringify(app));
    await this.#dropOld(app.name);
  }
  async delete(name: string): Promise<void> {
    await this.#kv.delete(this.#key(name));
    await this.#dropOld(name);
  }
  async list(): Promise<StoredApp[]> {
    const out = new Map<string, StoredApp>();
    for (const k of await kvKeys(this.#kv, `${this.#lattice}_`)) {
      const name = k.slice(this.#lattice.length + 1);
      const a = await this.#read(k, name);
      if (a) out.set(name, a);
    }
    for (const k of await kvKeys(this.#kv, `${this.#lattice}.`)) {
      const name = k.slice(this.#lattice.length + 1);
      const a = await this.#read(k, name);
      if (a) out.set(name, a); // the new key wins over an old one
    }
    return [...out.values()];
  }
  async #dropOld(name: string): Promise<void> {
    if (await this.#read(this.#oldKey(name), name)) await this.#kv.delete(this.#oldKey(name));
  }
}
