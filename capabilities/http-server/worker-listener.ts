/**
 * The http-server's half that runs in each guest worker (loaded there through `WorkerHttpPort.listen`): a Node
 * server bound with SO_REUSEPORT on the link's address, so the kernel spreads connections over the workers, each
 * request served through `env.handleHttp` into an instance of this worker.
 */
import type { Server } from 'node:http';
import { RateLimitedLog } from '../../lattice/index.ts';
import type { WorkerHttpEnv, WorkerListener } from '../../lattice/index.ts';
import { limitsOf } from './routes.ts';
import type { Route } from './routes.ts';
import { serveRequest } from './serve-request.ts';

// getBuiltinModule, not an ESM import of node:http, which loads undici (~12 MB): see host/admin/admin-server.ts
const { createServer } = process.getBuiltinModule('node:http');

/** What the provider sends the workers for one address. */
export interface ListenerSpec {
  routes: Route[];
}

/** How often Node checks `request_timeout_ms` / `headers_timeout_ms` (its default, 30 s, would let them run late by as much). */
const CHECK_INTERVAL_MS = 1000;
/** Idle keep-alive connections close after this. */
const KEEP_ALIVE_MS = 30_000;

/** Binds `address` in this worker and serves `spec`'s routes; rejects with the bind error. */
export async function listen(address: string, spec: ListenerSpec, env: WorkerHttpEnv): Promise<WorkerListener> {
  let routes = spec.routes;
  const log = new RateLimitedLog({ warn: (o, m) => env.log('warn', o, m) });
  const server = createServer({ connectionsCheckingInterval: CHECK_INTERVAL_MS }, (req, res) => {
    serveRequest(req, res, routes, env.handleHttp, (o, m) => log.warn(`${String(o['component_id'])}`, o, m)).catch(() =>
      res.destroy(),
    );
  });
  server.on('drop', (d?: { remoteAddress?: string }) =>
    log.warn(
      'drop',
      { address, max_connections: server.maxConnections, remote: d?.remoteAddress },
      'http-server: connection dropped, max_connections reached',
    ),
  );
  // malformed requests (bad syntax, headers over Node's 16 KiB) get Node's own 400/431 and the socket closes
  // an idle keep-alive connection closes after 30 s, not Node's 5 s: a worker busy in a guest runs its timers late,
  // and a close that fires just as the client reuses the connection loses that request (the client sees a reset)
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  apply(server, routes);
  await bind(server, address);
  return {
    update(next: unknown): void {
      routes = (next as ListenerSpec).routes;
      apply(server, routes);
    },
    close: () => close(server),
  };
}

/** The strictest limits of the listener's routes (Node reads them on each check). `max_connections` is per worker. */
function apply(server: Server, routes: Route[]): void {
  const limits = limitsOf(routes);
  server.maxConnections = limits.maxConnections;
  server.requestTimeout = limits.requestTimeoutMs;
  server.headersTimeout = limits.headersTimeoutMs;
}

function bind(server: Server, address: string): Promise<void> {
  const i = address.lastIndexOf(':');
  const host = address.slice(0, i).replace(/^\[(.*)\]$/, '$1') || '0.0.0.0';
  const port = Number(address.slice(i + 1));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, reusePort: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Stops accepting, lets requests in flight finish (no connection reset), then closes the rest. */
function close(server: Server, graceMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), graceMs).unref();
  });
}
