import type { Link } from '../../lattice/index.ts';
import { HostError, HostErrorCode } from '../errors.ts';

/**
 * Refuses a link whose source has signed claims (`caps`) that do not list the link's interface package; a source
 * without claims here (not running on this host) is not checked.
 * @throws {HostError} HOST_REFUSED naming the missing capability.
 */
export function checkLinkCaps(link: Link, caps: string[] | undefined): void {
  if (!caps) return;
  const cap = `${link.wit_namespace}:${link.wit_package}`;
  if (!caps.some((c) => c === cap || c.startsWith(`${cap}/`))) {
    throw new HostError(
      HostErrorCode.Refused,
      `component "${link.source_id}" may not use ${cap}: its signed claims allow only [${caps.join(', ')}]; re-sign it with --cap ${cap}`,
    );
  }
}
