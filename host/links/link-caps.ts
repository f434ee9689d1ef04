import { unversioned, witPackageOf } from '../../lattice/index.ts';
import type { Link } from '../../lattice/index.ts';
import { HostError, HostErrorCode } from '../errors.ts';

/** `ns:pkg[@ver][/iface[@ver]]` → package and interface without versions (a name without `ns:` is its own package). */
function witName(name: string): { pkg: string; iface?: string } {
  const slash = name.indexOf('/');
  return slash < 0
    ? { pkg: witPackageOf(name) }
    : { pkg: witPackageOf(name), iface: unversioned(name.slice(slash + 1)) };
}

/**
 * Whether caps allow an interface: a cap names a whole package (`wasi:keyvalue`, matching `wasi:keyvalue/store` but
 * never `wasi:keyvaluex/…`) or one interface (`wasi:keyvalue/store`); versions on either side are ignored.
 * `undefined` caps (no caps claim) allow everything, `[]` nothing.
 */
export function capsAllow(caps: readonly string[] | undefined, iface: string): boolean {
  if (caps === undefined) return true;
  const want = witName(iface);
  return caps.some((c) => {
    const cap = witName(c);
    return cap.pkg === want.pkg && (cap.iface === undefined || cap.iface === want.iface);
  });
}

/**
 * The refusal of a guest's call on an imported interface its caps do not allow (host-internal `wasi:config` and
 * `wasi:logging` included): HOST_CAPABILITY_DENIED naming the interface and the caps; undefined when allowed.
 */
export function importDenied(
  componentId: string,
  iface: string,
  caps: readonly string[] | undefined,
): HostError | undefined {
  if (capsAllow(caps, iface)) return undefined;
  return new HostError(
    HostErrorCode.CapabilityDenied,
    `component "${componentId}" may not call ${iface}: its signed claims allow only [${caps?.join(', ')}]; re-sign it with --cap ${witName(iface).pkg}`,
  );
}

/** Throws {@link importDenied}'s error when there is one. @throws {HostError} HOST_CAPABILITY_DENIED. */
export function checkImportCaps(componentId: string, iface: string, caps: readonly string[] | undefined): void {
  const denied = importDenied(componentId, iface, caps);
  if (denied) throw denied;
}

/**
 * Refuses a link whose source has signed claims (`caps`) that do not allow each of the link's interfaces (or, for a
 * link without interfaces, nothing of its package); a source without claims here (not running on this host) is not
 * checked.
 * @throws {HostError} HOST_REFUSED naming the missing capability.
 */
export function checkLinkCaps(link: Link, caps: string[] | undefined): void {
  if (caps === undefined) return;
  const cap = `${link.wit_namespace}:${link.wit_package}`;
  const ok = link.interfaces.length
    ? link.interfaces.every((i) => capsAllow(caps, `${cap}/${i}`))
    : caps.some((c) => witName(c).pkg === cap);
  if (!ok) {
    throw new HostError(
      HostErrorCode.Refused,
      `component "${link.source_id}" may not use ${cap}: its signed claims allow only [${caps.join(', ')}]; re-sign it with --cap ${cap}`,
    );
  }
}
