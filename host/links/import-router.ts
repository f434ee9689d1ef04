import type { NatsConnection } from '@nats-io/transport-node';
import { invokeComponent, parseWitName } from '../../lattice/index.ts';
import type { Link } from '../../lattice/index.ts';
import { HostError, HostErrorCode } from '../errors.ts';
import { checkImportCaps } from './link-caps.ts';
import type { LinkTable } from './link-table.ts';

/** The `weft link put` arguments after SOURCE TARGET that would give a call on `iface` its link. */
function linkPutArgs(iface: string, linkName: string): string {
  const n = parseWitName(iface);
  const named = linkName === 'default' ? '' : ` --link-name ${linkName}`;
  return `${n?.namespace ?? 'NAMESPACE'} ${n?.package ?? 'PACKAGE'} --interface ${n?.interface || 'INTERFACE'}${named}`;
}

/** What the router needs from the host. */
export interface ImportRouterDeps {
  lattice: string;
  links: LinkTable;
  nc: NatsConnection;
  /** Runs the call on a component or provider of this host, or returns undefined when the target is not here. */
  invokeLocal: (
    targetId: string,
    call: { sourceId: string; link: Link; iface: string; func: string; args: unknown[]; traceparent?: string },
  ) => Promise<unknown> | undefined;
  /** Capability interfaces a component's claims allow (undefined = unrestricted, [] = none; see `capsAllow`). */
  capsOf: (componentId: string) => string[] | undefined;
  timeoutMs?: number;
}

/**
 * Routes a guest's call on an imported custom interface to the linked target: in-process when the target runs
 * here (no NATS hop), else over the lattice. A call without a link fails at once, naming the component, the
 * interface and the link name (wasmCloud users otherwise see hangs).
 */
export class ImportRouter {
  readonly #d: ImportRouterDeps;
  constructor(d: ImportRouterDeps) {
    this.#d = d;
  }

  /** `traceparent`: the calling invocation's span (the call continues its trace); `chosenLinkName`: the link name the guest chose (set-link-name), else `default`. */
  async route(
    sourceId: string,
    iface: string,
    func: string,
    args: unknown[],
    traceparent?: string,
    chosenLinkName?: string,
  ): Promise<unknown> {
    checkImportCaps(sourceId, iface, this.#d.capsOf(sourceId));
    // the link name: as set by the guest for this invocation (wasmcloud:bus/lattice.set-link-name), else 'default'
    const linkName = chosenLinkName ?? 'default';
    const link = this.#d.links.lookup(sourceId, linkName, iface);
    if (!link) {
      throw new HostError(
        HostErrorCode.LinkNotFound,
        `component "${sourceId}" called ${iface}.${func} but has no link for ${iface} with link name "${linkName}"; create one with \`weft link put ${sourceId} TARGET ${linkPutArgs(iface, linkName)}\``,
      );
    }
    const local = this.#d.invokeLocal(link.target, { sourceId, link, iface, func, args, traceparent });
    if (local) return local;
    // a WIT error value answered elsewhere arrives as a WitError (lattice's error-reply.ts): the guest's result's err
    return invokeComponent(this.#d.nc, this.#d.lattice, link.target, `${iface}.${func}`, args, {
      sourceId,
      linkName,
      traceparent,
      timeoutMs: this.#d.timeoutMs ?? 10_000,
    });
  }
}
