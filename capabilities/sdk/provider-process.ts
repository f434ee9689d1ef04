import type { NatsConnection } from '@nats-io/transport-node';
import {
  invokeComponent,
  isProviderControlOp,
  ProviderWireCode,
  serveRpc,
  splitOperation,
} from '../../lattice/index.ts';
import type { HostData, Provider, ProviderContext, RpcServing } from '../../lattice/index.ts';
import type { ProviderLinks } from './provider-links.ts';
import type { ProcessLinkSecrets } from './provider-secrets.ts';

/** The log of a provider process: JSON lines on stderr, which its host copies into its own log. */
export function stderrLog(providerId: string): ProviderContext['log'] {
  const line = (level: string) => (o: Record<string, unknown>, msg: string) =>
    void process.stderr.write(JSON.stringify({ level, provider_id: providerId, ...o, msg }) + '\n');
  return { info: line('info'), warn: line('warn'), error: line('error') };
}

/**
 * The context an external provider's `init` gets: its HostData (`links` without sealed fields, `secrets` its own,
 * decoded and checked by `decodeHostData`), its own NATS connection, calls over the lattice, and its links' secrets as
 * opened by `secrets`.
 */
export function processContext(
  hd: HostData,
  nc: NatsConnection,
  log: ProviderContext['log'],
  secrets: ProcessLinkSecrets,
  links: ProviderContext['links'],
): ProviderContext {
  return {
    providerId: hd.provider_key,
    hostId: hd.host_id,
    lattice: hd.lattice_rpc_prefix,
    nc,
    config: hd.config,
    secrets: hd.secrets ?? {},
    links,
    linkSecrets: (l) => Promise.resolve(secrets.forLink(l)),
    invoke: (target, op, args, o) =>
      invokeComponent(nc, hd.lattice_rpc_prefix, target, op, args, {
        timeoutMs: o?.timeoutMs ?? hd.default_rpc_timeout_ms,
        traceparent: o?.traceparent,
        sourceId: hd.provider_key,
      }),
    log,
  };
}

/**
 * Serves components' calls to this provider (`serveRpc`, queue group `{lattice}.{id}`: one instance answers each),
 * each with the link that allows it; the protocol's own operations are left to the control subscriptions.
 */
export function serveCalls(nc: NatsConnection, hd: HostData, provider: Provider, links: ProviderLinks): RpcServing {
  return serveRpc(nc, {
    lattice: hd.lattice_rpc_prefix,
    id: hd.provider_key,
    skip: isProviderControlOp,
    errorCode: ProviderWireCode.Failed,
    handle: (c) => {
      const { iface, func } = splitOperation(c.operation);
      const link = links.forCall(c.sourceId, c.linkName, iface);
      return provider.handleImport?.(c.sourceId, link, iface, func, c.args);
    },
  });
}
