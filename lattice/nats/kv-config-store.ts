import type { KV } from '@nats-io/kv';
import { LatticeError, LatticeErrorCode } from '../errors.ts';
import type { ConfigStore } from '../stores/config-store.ts';

/** Named config in the JetStream KV bucket `CONFIGDATA_{lattice}`; value = JSON string map. */
export class NatsConfigStore implements ConfigStore {
  readonly #kv: KV;
  constructor(kv: KV) {
    this.#kv = kv;
  }
  async put(name: string, values: Record<string, string>): Promise<void> {
    await this.#kv.put(name, JSON.stringify(values));
  }
  async get(name: string): Promise<Record<string, string> | undefined> {
    const entry = await this.#kv.get(name);
    if (!entry || entry.operation !== 'PUT' || entry.length === 0) return undefined;
    try {
      return JSON.parse(entry.string()) as Record<string, string>;
    } catch (err) {
      throw new LatticeError(LatticeErrorCode.Store, `config "${name}" in KV is not a JSON map`, { cause: err });
    }
  }
  async del(name: string): Promise<boolean> {
    const existed = (await this.get(name)) !== undefined;
    await this.#kv.delete(name);
    return existed;
  }
}
