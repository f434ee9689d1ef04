/** Baselines measured in the same run as weft's figures: raw Node http and raw NATS request/reply. */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { cpus } from 'node:os';
import cluster from 'node:cluster';
import type { NatsConnection } from '@nats-io/transport-node';

/** A raw Node http server answering `body` to every request, on a free loopback port. */
export async function rawNodeHttp(body: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  const port = typeof a === 'object' && a ? a.port : 0;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r())) };
}

/** A raw NATS responder echoing the request payload on `subject`. */
export function rawNatsEcho(nc: NatsConnection, subject: string): { stop: () => void } {
  const sub = nc.subscribe(subject, {
    callback: (_e, m) => {
      m.respond(m.data);
    },
  });
  return { stop: () => sub.unsubscribe() };
}

export const CORES = cpus().length;
export { cluster };
