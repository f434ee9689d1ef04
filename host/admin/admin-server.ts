import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import type { HostMetrics } from './metrics.ts';

// not `import … from 'node:http'`: that ESM namespace reads node:http's lazy WebSocket/CloseEvent/MessageEvent
// exports, which load undici (~12 MB resident in Node 26) into a host that never uses them
const { createServer } = process.getBuiltinModule('node:http');

/** What the admin server asks of the host. */
export interface AdminTarget {
  metrics: HostMetrics;
  /** True once the host serves the lattice and NATS is connected. */
  isReady(): boolean;
}

/**
 * `--http-admin ADDR`: `/livez` (process alive), `/readyz` (host ready: NATS connected, serving ctl) and Prometheus
 * `/metrics`, like wasmCloud's admin endpoint plus metrics.
 */
export async function startAdminServer(addr: string, target: AdminTarget): Promise<Server & { url: string }> {
  const { host, port } = parseAddr(addr);
  const server = createServer((req, res) => {
    if (refuseForeignHost(req, res, host)) return;
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/livez') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    if (path === '/readyz') {
      const ready = target.isReady();
      return void res
        .writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' })
        .end(ready ? 'ready\n' : 'not ready\n');
    }
    if (path === '/metrics') {
      target.metrics
        .settle()
        .then(() => target.metrics.registry.metrics())
        .then((text) => res.writeHead(200, { 'content-type': target.metrics.registry.contentType }).end(text))
        .catch((err: unknown) => res.writeHead(500).end(String(err)));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /livez, /readyz or /metrics\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const a = server.address();
  const url = `http://${host}:${typeof a === 'object' && a ? a.port : port}`;
  return Object.assign(server, { url });
}

function parseAddr(addr: string): { host: string; port: number } {
  const i = addr.lastIndexOf(':');
  const host = i > 0 ? addr.slice(0, i) : '127.0.0.1';
  const port = Number(i >= 0 ? addr.slice(i + 1) : addr);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`bad --http-admin address "${addr}": use HOST:PORT`);
  return { host, port };
}

const WILDCARD = new Set(['0.0.0.0', '::', '[::]', '']);

/**
 * Whether a request's `Host` header names this server: the listen address, `localhost` or `127.0.0.1` (or `[::1]`),
 * with the port it listens on; when it listens on every interface, any IP address too. A name that resolves here
 * only through DNS rebinding (`attacker.example:3030`) is refused, so a web page cannot read the endpoint.
 */
export function isOwnHost(hostHeader: string | undefined, listenHost: string, port: number): boolean {
  if (!hostHeader) return false;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostHeader.trim().toLowerCase());
  if (!m || Number(m[2] ?? 80) !== port) return false;
  const name = m[1]!;
  const listen = listenHost.toLowerCase();
  if (name === listen || name === `[${listen}]` || name === 'localhost' || name === '127.0.0.1' || name === '[::1]')
    return true;
  return WILDCARD.has(listen) && isIP(name.replace(/^\[|\]$/g, '')) !== 0;
}

/** Answers 421 and returns true when the request's `Host` is not this server's (see {@link isOwnHost}). */
export function refuseForeignHost(req: IncomingMessage, res: ServerResponse, listenHost: string): boolean {
  const a = req.socket.localPort ?? 0;
  if (isOwnHost(req.headers.host, listenHost, a)) return false;
  res
    .writeHead(421, { 'content-type': 'text/plain' })
    .end(
      `refused: Host "${String(req.headers.host ?? '').slice(0, 100)}" is not this server's address; use http://${listenHost.includes(':') ? `[${listenHost}]` : listenHost}:${a}/ or http://localhost:${a}/ (requests for other names are refused against DNS rebinding)\n`,
    );
  return true;
}
