import { parseWitName } from '../wit-names.ts';
import type { Link } from '../types/link.ts';

/** The fields that name a link (wasmCloud `crates/control-interface` and the host's `link.put` rule). */
export type LinkIdentity = Pick<Link, 'source_id' | 'wit_namespace' | 'wit_package' | 'name'>;

/**
 * The identity of a link, wasmCloud's: (source, WIT namespace, WIT package, link name). A put with the same key
 * replaces the link (same target) or is refused (another target); a delete names it by this key; a provider keeps
 * its links by it. JSON-encoded so no field's content can make two keys equal.
 */
export function linkKey(l: LinkIdentity): string {
  return JSON.stringify([l.source_id, l.wit_namespace, l.wit_package, l.name]);
}

/** True when `a` and `b` name the same link ({@link linkKey}). */
export function sameLink(a: LinkIdentity, b: LinkIdentity): boolean {
  return linkKey(a) === linkKey(b);
}

/**
 * The key of the link a call uses: the caller, its link name, and the `ns:pkg` of the interface called
 * (`wasi:keyvalue/store@0.2.0-draft` → `wasi`, `keyvalue`). Undefined when `iface` is not `ns:pkg/name`.
 */
export function linkKeyOfCall(sourceId: string, linkName: string, iface: string): string | undefined {
  const n = parseWitName(iface);
  if (!n?.interface) return undefined;
  return linkKey({ source_id: sourceId, wit_namespace: n.namespace, wit_package: n.package, name: linkName });
}

/** The interface name of `ns:pkg/name@version` (`store`), for a link's `interfaces` list ('' without one). */
export function interfaceName(iface: string): string {
  return parseWitName(iface)?.interface ?? '';
}

/**
 * True when `a` and `b` are the same link in every field (target, interfaces, configs too): a link re-put with
 * another target or config under the same {@link linkKey} is a change to deliver.
 */
export function sameLinkValue(a: Link, b: Link): boolean {
  const list = (x: string[], y: string[]): boolean => x.length === y.length && x.every((v, i) => v === y[i]);
  return (
    sameLink(a, b) &&
    a.target === b.target &&
    list(a.interfaces, b.interfaces) &&
    list(a.source_config, b.source_config) &&
    list(a.target_config, b.target_config)
  );
}
