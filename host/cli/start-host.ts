import {
  connectNats,
  NatsClaimsStore,
  NatsConfigStore,
  NatsEventPublisher,
  NatsLinkStore,
  openLatticeBuckets,
} from '../../lattice/index.ts';
import type { NatsConnectOptions } from '../../lattice/index.ts';
import { createLogger, Host, startAdminServer } from '../index.ts';
import type { HostOptions } from '../index.ts';

/** Everything needed to start a host against NATS. */
export interface StartHostOptions extends HostOptions {
  nats: NatsConnectOptions;
  /** Separate connection for invocations (`--rpc-*`); the ctl connection is used when absent. */
  rpcNats?: NatsConnectOptions;
  logLevel?: string;
  /** Serve /livez, /readyz and /metrics on this HOST:PORT. */
  httpAdmin?: string;
}

/**
 * The composition root: connects to NATS, opens the lattice buckets, wires the NATS stores into a {@link Host}.
 * @throws {LatticeError} LAT_CONNECT / LAT_STORE when NATS is unreachable or lacks JetStream.
 */
export async function startHost(opts: StartHostOptions): Promise<Host> {
  const lattice = opts.lattice ?? 'default';
  const logger = createLogger(opts.logLevel ?? 'info');
  const nc = await connectNats({ ...opts.nats, persistent: true, name: opts.nats.name ?? 'weft-host' });
  let rpcNc;
  try {
    rpcNc = opts.rpcNats ? await connectNats({ ...opts.rpcNats, persistent: true, name: 'weft-host-rpc' }) : undefined;
    const buckets = await openLatticeBuckets(nc, lattice, { jsDomain: opts.jsDomain });
    const host = await Host.start(opts, {
      nc,
      rpcNc,
      logger,
      events: new NatsEventPublisher(nc, lattice),
      config: new NatsConfigStore(buckets.configData),
      claims: new NatsClaimsStore(buckets.latticeData),
      links: new NatsLinkStore(buckets.latticeData),
    });
    watchConnection(host);
    if (opts.httpAdmin) {
      const admin = await startAdminServer(opts.httpAdmin, host);
      host.logger.info({ url: admin.url }, 'admin endpoint (/livez /readyz /metrics) listening');
      void host.stopped.then(() => admin.close());
    }
    return host;
  } catch (err) {
    await nc.close();
    await rpcNc?.close();
    throw err;
  }
}

function watchConnection(host: Host): void {
  void (async () => {
    for await (const s of host.deps.nc.status()) {
      if (s.type === 'disconnect') host.metrics.natsDisconnects.inc();
      if (s.type === 'reconnect') host.metrics.natsReconnects.inc();
      if (s.type === 'disconnect' || s.type === 'reconnect') host.logger.warn({ status: s.type }, `NATS ${s.type}`);
    }
  })();
}
