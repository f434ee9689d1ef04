import type { KV, KvEntry } from '@nats-io/kv';
import { dropBadInput } from '../bad-input.ts';
import { kvKeys } from './kv-keys.ts';
import type { LinkStore, SpecChange } from '../stores/link-store.ts';
import type { ComponentSpecification } from '../types/link.ts';
import { decodeComponentSpec } from '../types/decode-link-spec.ts';

const PREFIX = 'COMPONENT_';

/** A spec entry, validated: a corrupt entry reads as no spec, a bad link is dropped; both with a rate-limited warning. */
function parseSpec(e: KvEntry, sourceId: string): ComponentSpecification | undefined {
  try {
    const { spec, dropped } = decodeComponentSpec(e.value, sourceId);
    if (dropped.length)
      dropBadInput(`${e.bucket}/${PREFIX}*`, dropped.join('; '), {
        key: e.key.slice(0, 200),
        dropped_links: dropped.length,
      });
    return spec;
  } catch (err) {
    dropBadInput(`${e.bucket}/${PREFIX}*`, err, { key: e.key.slice(0, 200) });
    return undefined;
  }
}

/** Component specs in `LATTICEDATA_{lattice}` under `COMPONENT_{id}`, as wasmCloud stores them; every host watches. */
export class NatsLinkStore implements LinkStore {
  readonly #kv: KV;
  constructor(kv: KV) {
    this.#kv = kv;
  }
  async getSpec(sourceId: string): Promise<ComponentSpecification | undefined> {
    return (await this.getSpecWithRevision(sourceId)).spec;
  }
  async getSpecWithRevision(sourceId: string): Promise<{ spec: ComponentSpecification | undefined; revision: number }> {
    const e = await this.#kv.get(`${PREFIX}${sourceId}`);
    if (!e) return { spec: undefined, revision: 0 };
    if (e.operation !== 'PUT' || e.length === 0) return { spec: undefined, revision: e.revision };
    return { spec: parseSpec(e, sourceId), revision: e.revision };
  }
  async putSpec(sourceId: string, spec: ComponentSpecification, revision: number): Promise<boolean> {
    const key = `${PREFIX}${sourceId}`;
    try {
      if (revision === 0) await this.#kv.create(key, JSON.stringify(spec));
      else await this.#kv.update(key, JSON.stringify(spec), revision);
      return true;
    } catch (err) {
      if (/wrong last sequence|key exists|10071/i.test(String((err as Error).message))) return false;
      throw err;
    }
  }
  async listSpecs(): Promise<Map<string, ComponentSpecification>> {
    const out = new Map<string, ComponentSpecification>();
    for (const k of await kvKeys(this.#kv, PREFIX)) {
      const spec = await this.getSpec(k.slice(PREFIX.length));
      if (spec) out.set(k.slice(PREFIX.length), spec);
    }
    return out;
  }
  /** Follows every spec; a bad entry or a throwing listener is reported and the watch goes on. */
  async watch(onChange: (c: SpecChange) => void): Promise<() => void> {
    const iter = await this.#kv.watch();
    const loop = async (): Promise<void> => {
      for await (const e of iter) {
        if (!e.key.startsWith(PREFIX)) continue;
        const sourceId = e.key.slice(PREFIX.length);
        const spec = e.operation === 'PUT' && e.length > 0 ? parseSpec(e, sourceId) : undefined;
        try {
          onChange({ sourceId, spec });
        } catch (err) {
          dropBadInput(`${e.bucket}/${PREFIX}* listener`, err, { key: e.key.slice(0, 200) });
        }
      }
    };
    loop().catch((err: unknown) => dropBadInput('link store watch', err));
    return () => iter.stop();
  }
}
