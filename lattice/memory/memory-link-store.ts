import type { LinkStore, SpecChange } from '../stores/link-store.ts';
import type { ComponentSpecification } from '../types/link.ts';

/** In-memory twin of {@link LinkStore}. */
export class MemoryLinkStore implements LinkStore {
  readonly #specs = new Map<string, { spec: ComponentSpecification; revision: number }>();
  readonly #watchers = new Set<(c: SpecChange) => void>();
  #seq = 0;
  getSpec(sourceId: string): Promise<ComponentSpecification | undefined> {
    return Promise.resolve(structuredClone(this.#specs.get(sourceId)?.spec));
  }
  getSpecWithRevision(sourceId: string): Promise<{ spec: ComponentSpecification | undefined; revision: number }> {
    const e = this.#specs.get(sourceId);
    return Promise.resolve({ spec: structuredClone(e?.spec), revision: e?.revision ?? 0 });
  }
  putSpec(sourceId: string, spec: ComponentSpecification, revision: number): Promise<boolean> {
    if ((this.#specs.get(sourceId)?.revision ?? 0) !== revision) return Promise.resolve(false);
    this.#specs.set(sourceId, { spec: structuredClone(spec), revision: ++this.#seq });
    for (const w of this.#watchers) w({ sourceId, spec: structuredClone(spec) });
    return Promise.resolve(true);
  }
  listSpecs(): Promise<Map<string, ComponentSpecification>> {
    return Promise.resolve(new Map([...this.#specs].map(([k, v]) => [k, structuredClone(v.spec)])));
  }
  watch(onChange: (c: SpecChange) => void): Promise<() => void> {
    for (const [sourceId, v] of this.#specs) onChange({ sourceId, spec: structuredClone(v.spec) });
    this.#watchers.add(onChange);
    return Promise.resolve(() => this.#watchers.delete(onChange));
  }
}
