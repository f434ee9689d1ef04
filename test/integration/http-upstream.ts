/** Test upstreams for the http-client and streaming tests (not a test file). */
import { createServer, request } from 'node:http';
import type { Server } from 'node:http';
import { freePort } from '../../lattice/index.ts';

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
