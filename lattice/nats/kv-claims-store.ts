import type { KV } from '@nats-io/kv';
import { kvKeys } from './kv-keys.ts';
import type { ClaimsStore } from '../stores/claims-store.ts';

const PREFIX = 'CLAIMS_';

/** Claims stored as `CLAIMS_{subject}` → JSON map in `LATTICEDATA_{lattice}`, as wasmCloud does. */
export class NatsClaimsStore implements ClaimsStore {
  readonly #kv: KV;
  constructor(kv: KV) {
    this.#kv = kv;
  }
  async put(subject: string, claims: Record<string, string>): Promise<void> {
    await this.#kv.put(`${PREFIX}${subject}`, JSON.stringify(claims));
  }
  async list(): Promise<Record<string, string>[]> {
    const out: Record<string, string>[] = [];
    for (const k of await kvKeys(this.#kv, PREFIX)) {
      const e = await this.#kv.get(k);
      if (!e || e.operation !== 'PUT' || e.length === 0) continue;
      try {
        out.push(JSON.parse(e.string()) as Record<string, string>);
      } catch {
        // a corrupt entry is skipped, never fatal
      }
    }
    return out;
  }
}
