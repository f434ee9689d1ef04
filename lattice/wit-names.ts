/**
 * WIT names, parsed once: `ns:pkg/iface@1.2.3` (an interface instance, as jco keys imports and exports) and
 * `ns:pkg/iface@1.2.3.func` (an operation, wasmCloud's `{interface}.{function}` on `wasmbus.rpc`).
 * Versions never decide a match in weft: a guest built against `@0.2.0` calls an `@0.2.1` export.
 */

/** A WIT interface name split into its parts (`version` only when the name has one). */
export interface WitName {
  namespace: string;
  package: string;
  /** Empty for a bare package name (`wasi:keyvalue`). */
  interface: string;
  version?: string;
}

/** Strips the version of the last segment: `wasi:keyvalue/store@0.2.0-draft` → `wasi:keyvalue/store`. */
export function unversioned(name: string): string {
  const at = name.indexOf('@', name.lastIndexOf('/') + 1);
  return at < 0 ? name : name.slice(0, at);
}

/**
 * `ns:pkg/iface@ver` (or `ns:pkg@ver`) → its parts, versions dropped from the package and kept from the interface.
 * @returns undefined when there is no `ns:` prefix.
 */
export function parseWitName(name: string): WitName | undefined {
  const colon = name.indexOf(':');
  if (colon <= 0) return undefined;
  const slash = name.indexOf('/', colon);
  const pkgPart = slash < 0 ? name.slice(colon + 1) : name.slice(colon + 1, slash);
  const ifacePart = slash < 0 ? '' : name.slice(slash + 1);
  const at = ifacePart.indexOf('@');
  const out: WitName = {
    namespace: name.slice(0, colon),
    package: unversioned(pkgPart),
    interface: at < 0 ? ifacePart : ifacePart.slice(0, at),
  };
  const version = at >= 0 ? ifacePart.slice(at + 1) : slash < 0 ? pkgPart.split('@')[1] : undefined;
  if (version) out.version = version;
  return out;
}

/**
 * An operation `ns:pkg/iface@ver.func` → `{ iface: 'ns:pkg/iface@ver', func }`, split at the last dot (a version
 * has dots, a function name has none); an operation without a dot is a root export (`iface: ''`).
 */
export function splitOperation(operation: string): { iface: string; func: string } {
  const dot = operation.lastIndexOf('.');
  return dot < 0 ? { iface: '', func: operation } : { iface: operation.slice(0, dot), func: operation.slice(dot + 1) };
}

/** `ns:pkg` of a WIT name without versions (`wasi:keyvalue/store@0.2.0` → `wasi:keyvalue`). */
export function witPackageOf(name: string): string {
  const slash = name.indexOf('/');
  return unversioned(slash < 0 ? name : name.slice(0, slash));
}
