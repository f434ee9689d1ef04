import type { KV } from '@nats-io/kv';
import { LatticeError, LatticeErrorCode } from '../errors.ts';
import type { ConfigStore } from '../stores/config-store.ts';
import { asObject, parseJson, strMap } from '../types/limits.ts';

/** A named config value: a bounded JSON map of strings. @throws {LatticeError} LAT_BAD_PAYLOAD otherwise. */
export function decodeConfigEntry(data: Uint8Array | string, name: string): Record<string, string> {
  const w = `config "${name.slice(0, 80)}"`;
  return strMap({ values: asObject(parseJson(data, w), w) }, 'values', w);
}

/** Named config in the JetStream KV bucket `CONFIGDATA_{lattice}`; value = JSON string map. */
export class NatsConfigStore implements ConfigStore {
  readonly #kv: KV;
  constructor(kv: KV) {
    this.#kv = kv;
  }
  async put(name: string, values: Record<string, string>): Promise<void> {
    await this.#kv.put(name, JSON.stringify(values));
  }
  /** @throws {LatticeError} LAT_STORE when the stored value is not a map of strings (rewrite it with `weft config put`). */
  async get(name: string): Promise<Record<string, string> | undefined> {
    const entry = await this.#kv.get(name);
    if (!entry || entry.operation !== 'PUT' || entry.length === 0) return undefined;
    try {
      return decodeConfigEntry(entry.value, name);
    } catch (err) {
      throw new LatticeError(
        LatticeErrorCode.Store,
        `config "${name}" in KV is not a map of strings: ${(err as Error).message}`,
        {
          cause: err,
          hint: `rewrite it with \`weft config put ${name} KEY=VALUE\` or delete it with \`weft config del ${name}\``,
        },
      );
    }
  }
  async del(name: string): Promise<boolean> {
    const existed = await this.#kv.get(name).then((e) => !!e && e.operation === 'PUT' && e.length > 0);
    await this.#kv.delete(name);
    return existed;
  }
}
