import type { KV } from '@nats-io/kv';
import { decodeOrDrop } from '../bad-input.ts';
import { asObject, parseJson, strMap } from '../types/limits.ts';
import { kvKeys } from './kv-keys.ts';
import type { ClaimsStore } from '../stores/claims-store.ts';

const PREFIX = 'CLAIMS_';

/** A `CLAIMS_{subject}` value: a bounded JSON map of strings. @throws {LatticeError} LAT_BAD_PAYLOAD otherwise. */
export function decodeClaimsEntry(data: Uint8Array | string): Record<string, string> {
  return strMap({ claims: asObject(parseJson(data, 'claims'), 'claims') }, 'claims', 'claims');
}

/** Claims stored as `CLAIMS_{subject}` → JSON map in `LATTICEDATA_{lattice}`, as wasmCloud does. */
export class NatsClaimsStore implements ClaimsStore {
  readonly #kv: KV;
  constructor(kv: KV) {
    this.#kv = kv;
  }
  async put(subject: string, claims: Record<string, string>): Promise<void> {
    await this.#kv.put(`${PREFIX}${subject}`, JSON.stringify(claims));
  }
  async get(subject: string): Promise<Record<string, string> | undefined> {
    const e = await this.#kv.get(`${PREFIX}${subject}`);
    if (!e || e.operation !== 'PUT' || e.length === 0) return undefined;
    try {
      return decodeClaimsEntry(e.value);
    } catch {
      return undefined; // unreadable: as if absent
    }
  }
  /** Every valid claims entry; a corrupt one is skipped with a rate-limited warning, never fatal. */
  async list(): Promise<Record<string, string>[]> {
    const out: Record<string, string>[] = [];
    for (const k of await kvKeys(this.#kv, PREFIX)) {
      const e = await this.#kv.get(k);
      if (!e || e.operation !== 'PUT' || e.length === 0) continue;
      const claims = decodeOrDrop(`${e.bucket}/${PREFIX}*`, () => decodeClaimsEntry(e.value), { key: k.slice(0, 200) });
      if (claims) out.push(claims);
    }
    return out;
  }
}
