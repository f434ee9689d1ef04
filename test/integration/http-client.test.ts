import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../lattice/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import { NatsServer, actorRef, assertScaleComponent, assertStartProvider, check, latticeFor, startTestHost, testCtl } from '../helpers/index.ts';

/** An upstream that answers `METHOD PATH x-proxied-by BODY`, and counts what it got; `/held` waits for `release()`. */
async function upstream(): Promise<{ server: Server; port: number; hits: string[]; release: () => void }> {
  const hits: string[] = [];
  let release = (): void => undefined;
  const held = new Promise<void>((r) => (release = r));
  const server = createServer((req, res) => {
    if (req.url === '/held') return void held.then(() => res.end('after\n'));
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

let ns: RunningNatsServer;
let allowed: Awaited<ReturnType<typeof upstream>>;
let other: Awaited<ReturnType<typeof upstream>>;
beforeAll(async () => {
  ns = await NatsServer.start();
  allowed = await upstream();
  other = await upstream();
});
afterAll(async () => {
  allowed?.server.close();
  other?.server.close();
  await ns?.stop();
});

describe('http-client provider (wasi:http/outgoing-handler)', () => {
  it('a JS actor fetches allowed hosts only, through its link; without the link its call fails naming it', async () => {
    const lattice = latticeFor('httpclient');
    const host = await startTestHost(ns.url, { lattice });
    await using ctl = await testCtl(ns.url, lattice);
    await assertStartProvider(ctl, host.id, 'weft+builtin://http-server', 'http');
    await assertStartProvider(ctl, host.id, 'weft+builtin://http-client', 'http-client');
    await assertScaleComponent(ctl, { host_id: host.id, component_ref: await actorRef('http-fetch'), component_id: 'fetcher', count: 2 });
    const port = await freePort();
    await ctl.putConfig('fetcher-in', { address: `127.0.0.1:${port}` });
    await ctl.putConfig('fetcher-out', { allowed_hosts: `127.0.0.1:${allowed.port}` });
    const inbound = { source_id: 'http', target: 'fetcher', name: 'default', wit_namespace: 'wasi', wit_package: 'http', interfaces: ['incoming-handler'], source_config: ['fetcher-in'], target_config: [] };
    const outbound = { source_id: 'fetcher', target: 'http-client', name: 'default', wit_namespace: 'wasi', wit_package: 'http', interfaces: ['outgoing-handler'], source_config: [], target_config: ['fetcher-out'] };
    await ctl.putLink(inbound);
    await ctl.putLink(outbound);
    const via = (url: string, init?: RequestInit): Promise<Response> => fetch(`http://127.0.0.1:${port}/?url=${encodeURIComponent(url)}`, init);

    const res = await check(() => via(`http://127.0.0.1:${allowed.port}/hello?x=1`).catch(() => undefined), 15_000);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('GET /hello?x=1 weft-http-fetch ');

    const post = await via(`http://127.0.0.1:${allowed.port}/echo`, { method: 'POST', body: 'payload 🌍' });
    expect(post.status).toBe(200);
    expect(await post.text()).toBe('POST /echo weft-http-fetch payload 🌍');

    const missing = await via(`http://127.0.0.1:${allowed.port}/missing`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-upstream-status')).toBe('404');

    // a host that is not on allowed_hosts: the guest gets HTTP-request-denied and nothing reaches that host
    const denied = await via(`http://127.0.0.1:${other.port}/secret`);
    expect(denied.status).toBe(502);
    expect(await denied.text()).toMatch(/fetch failed/);
    expect(other.hits).toEqual([]);

    // the response streams: the first write reaches the client while the guest still waits for the held upstream,
    // which is released only once the client has it (a buffered response would never get there)
    const s = await fetch(`http://127.0.0.1:${port}/stream?url=${encodeURIComponent(`http://127.0.0.1:${allowed.port}/held`)}`);
    const reader = s.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('before\n');
    allowed.release();
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    expect(rest).toBe('after\n');

    // many at once, spread over both instances
    const many = await Promise.all(Array.from({ length: 20 }, (_, i) => via(`http://127.0.0.1:${allowed.port}/n/${i}`).then((r) => r.text())));
    expect(many).toEqual(Array.from({ length: 20 }, (_, i) => `GET /n/${i} weft-http-fetch `));

    // no link for outgoing-handler: the call fails at once with an error that names the component and interface
    await ctl.deleteLink({ source_id: 'fetcher', name: 'default', wit_namespace: 'wasi', wit_package: 'http' });
    await check(async () => {
      const r = await via(`http://127.0.0.1:${allowed.port}/after-unlink`);
      return r.status >= 500 && r.status !== 502 ? r : undefined;
    }, 10_000);
    expect(allowed.hits.some((h) => h.includes('/after-unlink'))).toBe(false);

    // the link again: back to serving, no restart
    await ctl.putLink(outbound);
    const again = await check(async () => {
      const r = await via(`http://127.0.0.1:${allowed.port}/again`);
      return r.status === 200 ? r : undefined;
    }, 10_000);
    expect(await again.text()).toBe('GET /again weft-http-fetch ');
    await host.stop();
  });
});
