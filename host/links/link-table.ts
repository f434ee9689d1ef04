import { parseWitName } from '../../lattice/index.ts';
import type { ComponentSpecification, Link, LinkStore } from '../../lattice/index.ts';

/**
 * In-memory view of every link on the lattice, fed by watching the link store (every host watches, as wasmCloud's
 * hosts `watch_all` the bucket). Lookup: (source, link name, `ns:pkg/iface`) → link.
 */
export class LinkTable {
  readonly #specs = new Map<string, ComponentSpecification>();
  #stop: (() => void) | undefined;
  readonly #listeners = new Set<(sourceId: string) => void>();

  /** Starts following the store; resolves once the existing specs are loaded. */
  async follow(store: LinkStore): Promise<void> {
    for (const [id, spec] of await store.listSpecs()) this.#specs.set(id, spec);
    this.#stop = await store.watch(({ sourceId, spec }) => {
      if (spec) this.#specs.set(sourceId, spec);
      else this.#specs.delete(sourceId);
      for (const l of this.#listeners) l(sourceId);
    });
  }

  stop(): void {
    this.#stop?.();
  }

  /** Called with the source id whenever its links change. */
  onChange(fn: (sourceId: string) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** The link serving an import of `source` under `linkName`, or undefined. */
  lookup(sourceId: string, linkName: string, instance: string): Link | undefined {
    const w = parseWitName(instance);
    if (!w || !w.interface) return undefined;
    return this.#specs
      .get(sourceId)
      ?.links.find(
        (l) =>
          l.name === linkName &&
          l.wit_namespace === w.namespace &&
          l.wit_package === w.package &&
          l.interfaces.includes(w.interface),
      );
  }

  /** Links whose source is `sourceId`. */
  linksFrom(sourceId: string): Link[] {
    return [...(this.#specs.get(sourceId)?.links ?? [])];
  }

  /** Links whose target is `targetId`. */
  linksTo(targetId: string): Link[] {
    return this.all().filter((l) => l.target === targetId);
  }

  all(): Link[] {
    return [...this.#specs.values()].flatMap((s) => s.links);
  }
}
