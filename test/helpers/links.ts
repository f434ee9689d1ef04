/** Links for tests: one builder for wasmCloud's `Link`, and a link store seeded with them. */
import type { Link, LinkStore, ResolvedLink } from '../../lattice/index.ts';

/**
 * A link from `source` to `target` on the WIT package `witPackage` (`ns:pkg`), named `default`, without configs,
 * unless `extra` says otherwise.
 */
export function linkOf(
  source: string,
  target: string,
  witPackage: string,
  interfaces: string[],
  extra: Partial<Link> = {},
): Link {
  const [ns = '', pkg = ''] = witPackage.split(':');
  return {
    source_id: source,
    target,
    name: 'default',
    wit_namespace: ns,
    wit_package: pkg,
    interfaces,
    source_config: [],
    target_config: [],
    ...extra,
  };
}

/** {@link linkOf} as a provider gets it: with its configs' values (none unless `extra` says). */
export function resolvedLinkOf(
  source: string,
  target: string,
  witPackage: string,
  interfaces: string[],
  extra: Partial<ResolvedLink> = {},
): ResolvedLink {
  return {
    ...linkOf(source, target, witPackage, interfaces),
    source_config_values: {},
    target_config_values: {},
    ...extra,
  };
}

/** A link with every field defaulted (`web` → `kv` on `wasi:keyvalue`, interface `store`), to vary one field. */
export const testLink = (over: Partial<Link> = {}): Link => linkOf('web', 'kv', 'wasi:keyvalue', ['store'], over);

/** Puts `links` into `store`, one spec per source, as `link put` leaves them (each source's spec written once). */
export async function putSpecs(store: LinkStore, links: Link[]): Promise<void> {
  const bySource = new Map<string, Link[]>();
  for (const l of links) bySource.set(l.source_id, [...(bySource.get(l.source_id) ?? []), l]);
  for (const [id, ls] of bySource) {
    const { revision } = await store.getSpecWithRevision(id);
    await store.putSpec(id, { url: '', links: ls }, revision);
  }
}
