import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { StoredApp } from '../../lattice/apps/index.ts';
import { kvKeys } from '../../lattice/index.ts';

/** Manifests with all their versions, in the JetStream KV bucket `wadm_manifests` (key `{lattice}_{app}`). */
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
    return `${this.#lattice}_${name}`;
  }
  async get(name: string): Promise<StoredApp | undefined> {
    const e = await this.#kv.get(this.#key(name));
    return e && e.operation === 'PUT' && e.length ? (JSON.parse(e.string()) as StoredApp) : undefined;
  }
  async put(app: StoredApp): Promise<void> {
    await this.#kv.put(this.#key(app.name), JSON.stringify(app));
  }
  async delete(name: string): Promise<void> {
    await this.#kv.delete(this.#key(name));
  }
  async list(): Promise<StoredApp[]> {
    const out: StoredApp[] = [];
    for (const k of await kvKeys(this.#kv, `${this.#lattice}_`)) {
      const a = await this.get(k.slice(this.#lattice.length + 1));
      if (a) out.push(a);
    }
    return out;
  }
}
