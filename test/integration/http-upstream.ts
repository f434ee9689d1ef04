/** Test upstreams for the http-client and streaming tests (not a test file). */
import { createServer, request } from 'node:http';
import type { Server } from 'node:http';
import { freePort } from '../../lattice/index.ts';
import type { CtlClient, Link } from '../../lattice/index.ts';
import { actorRef, assertScaleComponent, assertStartProvider, linkOf } from '../helpers/index.ts';

/**
 * An upstream that answers `METHOD PATH x-proxied-by BODY`, and counts what it got; `/held` waits for `release()`,
 * `/never` for ever, `/delay/N` N ms.
 */
export async function upstream(): Promise<{ server: Server; port: number; hits: string[]; release: () => void }> {
  const hits: string[] = [];
  let release = (): void => undefined;
  const held = new Promise<void>((r) => (release = r));
  const server = createServer((req, res) => {
    if (req.url === '/held') return void held.then(() => res.end('after\n'));
    if (req.url === '/never') return; // never answers
    const delay = /^\/delay\/(\d+)$/.exec(req.url ?? '');
    if (delay) return void setTimeout(() => res.end(`after ${delay[1]} ms\n`), Number(delay[1]));
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const line = `${req.method} ${req.url} ${String(req.headers['x-proxied-by'])} ${Buffer.concat(chunks).toString()}`;
      hits.push(line);
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'text/plain' }).end(line);
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { server, port, hits, release: () => release() };
}

/** Sends a body in two parts, each only after the guest's answer to the one before it has arrived. */
export function duplex(port: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/echo-stream',
      headers: { 'transfer-encoding': 'chunked' },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const lines: string[] = [];
      let pending = '';
      res.on('data', (c: Buffer) => {
        pending += c.toString();
        const parts = pending.split('\n');
        pending = parts.pop() ?? '';
        for (const l of parts) {
          lines.push(l);
          if (l === 'got one') req.end('two');
        }
      });
      res.on('end', () => resolve(lines));
    });
    req.flushHeaders();
    req.write('one');
  });
}

/** The upstreams of a test file: `allowed` (on the fetcher's allowed_hosts) and `other` (not); `close` ends both. */
export async function upstreams() {
  const allowed = await upstream();
  const other = await upstream();
  const close = (): void => {
    for (const u of [allowed, other]) {
      u.server.closeAllConnections();
      u.server.close();
    }
  };
  return { allowed, other, close };
}

/**
 * The http-fetch actor as `fetcher` on `hostId`, between http-server (inbound on a free port, config `fetcher-in`)
 * and http-client (outbound to `allowedPort` only, config `fetcher-out`), both providers started first.
 * @returns the port, the two links (to put again or vary) and `via(url)`, a fetch of `url` through the fetcher.
 */
export async function deployFetcher(ctl: CtlClient, hostId: string, o: { count: number; allowedPort: number }) {
  await assertStartProvider(ctl, hostId, 'weft+builtin://http-server', 'http');
  await assertStartProvider(ctl, hostId, 'weft+builtin://http-client', 'http-client');
  await assertScaleComponent(ctl, {
    host_id: hostId,
    component_ref: await actorRef('http-fetch'),
    component_id: 'fetcher',
    count: o.count,
  });
  const port = await freePort();
  await ctl.putConfig('fetcher-in', { address: `127.0.0.1:${port}` });
  await ctl.putConfig('fetcher-out', { allowed_hosts: `127.0.0.1:${o.allowedPort}` });
  const inbound: Link = linkOf('http', 'fetcher', 'wasi:http', ['incoming-handler'], { source_config: ['fetcher-in'] });
  const outbound: Link = linkOf('fetcher', 'http-client', 'wasi:http', ['outgoing-handler'], {
    target_config: ['fetcher-out'],
  });
  await ctl.putLink(inbound);
  await ctl.putLink(outbound);
  const via = (url: string, init?: RequestInit): Promise<Response> =>
    fetch(`http://127.0.0.1:${port}/?url=${encodeURIComponent(url)}`, init);
  return { port, inbound, outbound, via };
}
