import type { KV } from '@nats-io/kv';
import { kvKeys } from './kv-keys.ts';
import type { LinkStore, SpecChange } from '../stores/link-store.ts';
import type { ComponentSpecification } from '../types/link.ts';

const PREFIX = 'COMPONENT_';

function parseSpec(text: string): ComponentSpecification | undefined {
  try {
    const v = JSON.parse(text) as Partial<ComponentSpecification>;
    return { url: typeof v.url === 'string' ? v.url : '', links: Array.isArray(v.links) ? v.links : [] };
  } catch {
    return undefined; // a corrupt entry is ignored, never fatal
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
    return { spec: parseSpec(e.string()), revision: e.revision };
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
  async watch(onChange: (c: SpecChange) => void): Promise<() => void> {
    const iter = await this.#kv.watch();
    void (async () => {
      for await (const e of iter) {
        if (!e.key.startsWith(PREFIX)) continue;
        const sourceId = e.key.slice(PREFIX.length);
        const spec = e.operation === 'PUT' && e.length > 0 ? parseSpec(e.string()) : undefined;
        const change: SpecChange = { sourceId, spec };
        onChange(change);
      }
    })();
    return () => iter.stop();
  }
}
