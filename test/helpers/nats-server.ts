/**
 * Real nats-server launchers for tests: one server with JetStream on a free port and a temp store dir, or a
 * 3-node cluster (routes on free ports). `await using ns = await NatsServer.start()` stops and cleans up.
 */
import { freePort, startNatsServer } from '../../lattice/index.ts';
import type { NatsServerOptions, RunningNatsServer } from '../../lattice/index.ts';

export const NatsServer = {
  /** Starts one nats-server with JetStream. */
  start(opts: NatsServerOptions = {}): Promise<RunningNatsServer> {
    return startNatsServer({ port: -1, ...opts });
  },
};

/** A running 3-node (or n-node) cluster. */
export interface NatsCluster {
  servers: RunningNatsServer[];
  /** Comma-separated client URLs of every node. */
  url: string;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts an n-node nats-server cluster with JetStream (default 3 nodes). Route ports are picked free and then bound
 * by the servers, so another process may take one in between: a node that exits early (port taken) makes the
 * whole cluster start again on fresh ports, up to 3 tries.
 */
export async function startNatsCluster(n = 3): Promise<NatsCluster> {
  for (let attempt = 1; ; attempt++) {
    const routePorts = await Promise.all(Array.from({ length: n }, () => freePort()));
    const name = `weft-test-${process.pid}-${Date.now()}`;
    const routes = routePorts.map((p) => `nats-route://127.0.0.1:${p}`);
    const started = await Promise.allSettled(
      routePorts.map((port, i) =>
        startNatsServer({
          port: -1,
          serverName: `${name}-n${i}`,
          cluster: { name, port, routes: routes.filter((_r, j) => j !== i) },
        }),
      ),
    );
    const servers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await Promise.all(servers.map((s) => s.stop()));
      if (attempt >= 3) throw failed.reason;
      continue;
    }
    const stop = async (): Promise<void> => {
      await Promise.all(servers.map((s) => s.stop()));
    };
    return { servers, url: servers.map((s) => s.url).join(','), stop, [Symbol.asyncDispose]: stop };
  }
}
