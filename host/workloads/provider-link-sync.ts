import { linkKey, mergeConfigs, sameLinkValue } from '../../lattice/index.ts';
import { isSecretConfigName } from '../../lattice/secrets/index.ts';
import type { ConfigStore, Link, Provider, ResolvedLink } from '../../lattice/index.ts';
import type { LinkTable } from '../links/link-table.ts';
import type { Logger } from '../logger.ts';

type Role = 'source' | 'target';
type RefreshSecrets = (link: Link, providerId: string) => Promise<unknown>;
const namesSecrets = (l: Link): boolean =>
  l.source_config.some(isSecretConfigName) || l.target_config.some(isSecretConfigName);

/** A provider whose links are delivered: what it was given so far, keyed by role and `linkKey`. */
export interface LinkedProvider {
  id: string;
  provider: Provider;
  applied: Map<string, [Link, Role]>;
}

/**
 * Delivers the lattice's links to the providers of this host: each link that names a provider as source or target
 * is put once (`onLinkAsSource` / `onLinkAsTarget`, named configs resolved to values), deleted when it leaves the
 * link table, and deleted then put again when it was re-put with another target, interfaces or configs.
 */
export class ProviderLinkSync {
  readonly #links: LinkTable;
  readonly #config: ConfigStore;
  readonly #logger: Logger;
  readonly #refresh: RefreshSecrets | undefined;

  /** `refresh`: fetches a link's secrets afresh for a provider, before a link that names some is delivered. */
  constructor(links: LinkTable, config: ConfigStore, logger: Logger, refresh?: RefreshSecrets) {
    this.#links = links;
    this.#config = config;
    this.#logger = logger;
    this.#refresh = refresh;
  }

  /** The links of the lattice that involve provider `id`, configs resolved (for its `init`). */
  async linksOf(id: string): Promise<ResolvedLink[]> {
    const all = this.#links.all().filter((l) => l.source_id === id || l.target === id);
    return Promise.all(all.map((l) => this.resolve(l)));
  }

  /**
   * Brings provider `p` up to date with the link table. `putFrom`: the links of that source were just written (a
   * link put, even of an unchanged link): those naming secrets are delivered again, their secrets fetched afresh,
   * as wasmCloud's host does on every put, so a rotated secret reaches the provider with the next put.
   */
  async sync(p: LinkedProvider, putFrom?: string): Promise<void> {
    const want = new Map<string, [Link, Role]>();
    for (const l of this.#links.all()) {
      if (l.source_id === p.id) want.set(`source|${linkKey(l)}`, [l, 'source']);
      if (l.target === p.id) want.set(`target|${linkKey(l)}`, [l, 'target']);
    }
    for (const [k, [l, role]] of p.applied) {
      const next = want.get(k);
      const same = next !== undefined && sameLinkValue(next[0], l);
      if (same && !(l.source_id === putFrom && namesSecrets(l))) continue;
      p.applied.delete(k);
      // the same link put again is delivered again below, with no delete in between
      if (!same) await this.#safely(p, () => p.provider.onLinkDeleted?.(l, role));
    }
    for (const [k, [l, role]] of want) {
      if (p.applied.has(k)) continue;
      p.applied.set(k, [l, role]);
      // one link whose config cannot be read (a corrupt CONFIGDATA entry) does not hold up the others
      await this.#safely(p, async () => {
        if (this.#refresh && namesSecrets(l))
          await this.#refresh(l, p.id).catch((err: unknown) =>
            this.#logger.warn({ provider_id: p.id, err: (err as Error).message }, 'link secrets not refreshed'),
          );
        const r = await this.resolve(l);
        return role === 'source' ? p.provider.onLinkAsSource?.(r) : p.provider.onLinkAsTarget?.(r);
      });
    }
  }

  /**
   * A link with its named configs' values, by lattice's one merge rule (later names win, missing ones skipped,
   * `SECRET_…` names left to ProviderContext.linkSecrets); a config that cannot be read is left out, with a warning.
   */
  async resolve(link: Link): Promise<ResolvedLink> {
    const onUnreadable = (name: string, err: unknown): void =>
      this.#logger.warn({ config: name, err: (err as Error).message }, 'link config unreadable: delivered without it');
    const load = (names: string[]) => mergeConfigs(this.#config, names, { onUnreadable });
    return {
      ...link,
      source_config_values: await load(link.source_config),
      target_config_values: await load(link.target_config),
    };
  }

  /**
   * A provider's own config: its named configs by lattice's one merge rule (later names win), every name required.
   * `SECRET_…` names are left out: a provider's secrets, resolved as such (wasmCloud's `fetch_config_and_secrets`).
   * @throws {LatticeError} LAT_NOT_FOUND naming a config that does not exist (the start fails with it).
   */
  providerConfig(names: string[]): Promise<Record<string, string>> {
    return mergeConfigs(
      this.#config,
      names.filter((n) => !isSecretConfigName(n)),
      { required: true },
    );
  }

  async #safely(p: LinkedProvider, fn: () => unknown): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.#logger.warn({ provider_id: p.id, err: (err as Error).message }, 'provider link handling failed');
    }
  }
}
