import { interfaceName, linkKey, linkKeyOfCall, ProviderWireCode, sameLinkValue } from '../../lattice/index.ts';
import type { Link, Provider, ResolvedLink } from '../../lattice/index.ts';

/** A component's call that no link of this provider allows: carries the code hosts give a missing link. */
export class LinkNotFoundError extends Error {
  readonly code = ProviderWireCode.LinkNotFound;
}

/**
 * The links of an external provider process, keyed by `linkKey` (wasmCloud's identity: source, namespace, package,
 * name), each delivered to the provider's hooks; the link of a component's call is looked up here.
 */
export class ProviderLinks {
  readonly #provider: Provider;
  readonly #id: string;
  readonly #links = new Map<string, ResolvedLink>();

  constructor(provider: Provider, id: string) {
    this.#provider = provider;
    this.#id = id;
  }

  /** Adds or replaces a link. @returns false for a link that does not involve this provider (not kept). */
  async put(l: ResolvedLink): Promise<boolean> {
    if (l.source_id !== this.#id && l.target !== this.#id) return false;
    this.#links.set(linkKey(l), l);
    if (l.source_id === this.#id) await this.#provider.onLinkAsSource?.(l);
    else await this.#provider.onLinkAsTarget?.(l);
    return true;
  }

  /** True when it holds `l` exactly (configs and their values too): a copy of it needs no delivery. */
  holds(l: ResolvedLink): boolean {
    const have = this.#links.get(linkKey(l));
    const same = (a: Record<string, string>, b: Record<string, string>): boolean =>
      Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
    return (
      !!have &&
      sameLinkValue(have, l) &&
      same(have.source_config_values, l.source_config_values) &&
      same(have.target_config_values, l.target_config_values)
    );
  }

  /** Removes a link (a no-op for one it does not have). */
  async delete(l: Link): Promise<void> {
    if (!this.#links.delete(linkKey(l))) return;
    await this.#provider.onLinkDeleted?.(l, l.source_id === this.#id ? 'source' : 'target');
  }

  /**
   * The link allowing `sourceId` to call `iface` under `linkName`.
   * @throws {LinkNotFoundError} when none does (no link, one to another target, or one without that interface).
   */
  forCall(sourceId: string, linkName: string, iface: string): ResolvedLink {
    const key = linkKeyOfCall(sourceId, linkName, iface);
    const l = key === undefined ? undefined : this.#links.get(key);
    if (!l || l.target !== this.#id || !l.interfaces.includes(interfaceName(iface)))
      throw new LinkNotFoundError(
        `provider ${this.#id} has no link from ${sourceId || '(unnamed caller)'} for ${iface} (link name "${linkName}")`,
      );
    return l;
  }

  get size(): number {
    return this.#links.size;
  }
}
