import type { NatsConnection } from '@nats-io/transport-node';
import { isProviderControlOp, ProviderWireCode, serveRpc, splitOperation } from '../../lattice/index.ts';
import type { Link, Provider, ResolvedLink, RpcServing } from '../../lattice/index.ts';
import { HostError, HostErrorCode } from '../errors.ts';
import type { LinkTable } from '../links/link-table.ts';
import type { Logger } from '../logger.ts';

/**
 * Serves the calls of components on other hosts to an in-host provider (`wasmbus.rpc.{lattice}.{id}.{iface}.{func}`
 * in queue group `{lattice}.{id}`, through lattice's `serveRpc`): each with the link of the link table that allows
 * it, whose target must be this provider. The protocol's own operations (`health`, `linkdefs.*`) are not calls.
 */
export function serveProviderCalls(
  nc: NatsConnection,
  o: {
    lattice: string;
    id: string;
    provider: Provider;
    links: LinkTable;
    resolve: (l: Link) => Promise<ResolvedLink>;
    logger: Logger;
  },
): RpcServing {
  return serveRpc(nc, {
    lattice: o.lattice,
    id: o.id,
    skip: isProviderControlOp,
    errorCode: ProviderWireCode.Failed,
    log: o.logger,
    handle: async (c) => {
      const { iface, func } = splitOperation(c.operation);
      const link = o.links.lookup(c.sourceId, c.linkName, iface);
      if (!link || link.target !== o.id)
        throw new HostError(
          HostErrorCode.LinkNotFound,
          `no link from ${c.sourceId} to ${o.id} for ${iface} (${c.linkName})`,
        );
      return o.provider.handleImport?.(c.sourceId, await o.resolve(link), iface, func, c.args);
    },
  });
}
