import { createServer, request } from 'node:http';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../lattice/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import {
  NatsServer,
  actorRef,
  assertScaleComponent,
  assertStartProvider,
  check,
  latticeFor,
  startTestHost,
  testCtl,
} from '../helpers/index.ts';

/**
 * A hostile guest's outgoing HTTP (audit M3) and clients of the in-host HTTP server (L7), through a real host, the
 * real http-server and http-client providers and the real `http-fetch` actor (`GET /?url=URL` fetches URL through
 * wasi:http/outgoing-handler and answers the upstream's status, or 502 `fetch failed: …` when it is refused).
 */

/** A private service on loopback the guest should not reach: counts what it gets. */
let upstream: { server: Server; port: number; hits: string[] };
let ns: RunningNatsServer;
let host: Awaited<ReturnType<typeof startTestHost>>;
let ctl: Awaited<ReturnType<typeof testCtl>>;
let port = 0;
let revision = 0;

const OUT = {
  source_id: 'fetcher',
  target: 'http-client',
  name: 'default',
  wit_namespace: 'wasi',
  wit_package: 'http',
  interfaces: ['outgoing-handler'],
  source_config: [],
  target_config: [],
};
const IN = {
  source_id: 'http',
  target: 'fetcher',
  name: 'default',
  wit_namespace: 'wasi',
  wit_package: 'http',
  interfaces: ['incoming-handler'],
  target_config: [],
};

/** Links the fetcher out with `allowed_hosts` (a fresh named config each time, so the link changes). */
async function allow(allowedHosts: string): Promise<void> {
  const name = `out-${++revision}`;
  await ctl.putConfig(name, { allowed_hosts: allowedHosts });
  await ctl.putLink({ ...OUT, target_config: [name] });
}
/** What the guest got for `url`, once the link with `allowed_hosts` is in force (`ready` says when it is). */
async function fetchVia(
  url: string,
  ready: (r: { status: number; text: string }) => boolean,
): Promise<{ status: number; text: string }> {
  return check(async () => {
    const r = await fetch(`http://127.0.0.1:${port}/?url=${encodeURIComponent(url)}`);
    const out = { status: r.status, text: await r.text() };
    return ready(out) ? out : undefined;
  }, 15_000);
}
const refused = (r: { status: number; text: string }): boolean => r.status === 502;
const served = (r: { status: number }): boolean => r.status === 200;

beforeAll(async () => {
  ns = await NatsServer.start();
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end('secret\n');
  });
  const up = await freePort();
  await new Promise<void>((r) => server.listen(up, '127.0.0.1', r));
  upstream = { server, port: up, hits };
  const lattice = latticeFor('sec-http');
  host = await startTestHost(ns.url, { lattice });
  ctl = await testCtl(ns.url, lattice);
  await assertStartProvider(ctl, host.id, 'weft+builtin://http-server', 'http');
  await assertStartProvider(ctl, host.id, 'weft+builtin://http-client', 'http-client');
  await assertScaleComponent(ctl, {
    host_id: host.id,
    component_ref: await actorRef('http-fetch'),
    component_id: 'fetcher',
    count: 1,
  });
  port = await freePort();
  await ctl.putConfig('in', { address: `127.0.0.1:${port}`, max_body_bytes: String(64 * 1024) });
  await ctl.putLink({ ...IN, source_config: ['in'] });
}, 60_000);
afterAll(async () => {
  upstream?.server.closeAllConnections();
  upstream?.server.close();
  await host?.stop();
  await ctl?.[Symbol.asyncDispose]();
  await ns?.stop();
});

describe('security: outgoing HTTP reaches only public addresses unless the IP is named', () => {
  it('allowed_hosts=* refuses loopback, metadata and private addresses, by IP literal or by a name resolving to loopback; nothing reaches the service', async () => {
    await allow('*');
    // a public-looking name that does not resolve proves the link is in force (DNS error, not "no link")
    await fetchVia('http://weft-no-such-host.invalid/', (r) => r.status === 502 && !/LINK_NOT_FOUND/.test(r.text));
    for (const url of [
      `http://127.0.0.1:${upstream.port}/a`,
      `http://localhost:${upstream.port}/b`,
      `http://[::ffff:127.0.0.1]:${upstream.port}/c`,
      `http://2130706433:${upstream.port}/d`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/',
    ]) {
      const r = await fetchVia(url, () => true);
      expect(r.status, url).toBe(502);
      expect(r.text, url).toMatch(/fetch failed/);
    }
    expect(upstream.hits).toEqual([]);
  });

  it('an IP-literal entry 127.0.0.1:PORT allows that address and port', async () => {
    await allow(`127.0.0.1:${upstream.port}`);
    const r = await fetchVia(`http://127.0.0.1:${upstream.port}/allowed`, served);
    expect(r.text).toBe('secret\n');
    expect(upstream.hits).toEqual(['/allowed']);
  });

  it('a name resolving to 127.0.0.1 is refused when only the name is listed, allowed when its IP is listed too', async () => {
    await allow(`localhost:${upstream.port}`);
    // wait until this link is in force: the IP literal, allowed a moment ago, is refused again
    await fetchVia(`http://127.0.0.1:${upstream.port}/probe`, refused);
    expect(await fetchVia(`http://localhost:${upstream.port}/by-name`, () => true)).toMatchObject({ status: 502 });
    await allow(`localhost:${upstream.port} 127.0.0.1:${upstream.port} [::1]:${upstream.port}`);
    const r = await fetchVia(`http://localhost:${upstream.port}/by-name-and-ip`, served);
    expect(r.text).toBe('secret\n');
    expect(upstream.hits).toEqual(['/allowed', '/by-name-and-ip']);
  });
});

/** A chunked POST of `parts` × `size` bytes; resolves with the status (0 when the connection was cut instead). */
function chunkedPost(path: string, parts: number, size: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path, headers: { 'transfer-encoding': 'chunked' } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', () => resolve(0));
    for (let i = 0; i < parts; i++) req.write(new Uint8Array(size));
    req.end();
  });
}

describe('security: the in-host HTTP server bounds request bodies (max_body_bytes)', () => {
  it('a body over the link max_body_bytes gets 413, declared or chunked; one under it streams to the guest', async () => {
    const under = await fetch(`http://127.0.0.1:${port}/count`, { method: 'POST', body: new Uint8Array(60 * 1024) });
    expect(await under.text()).toBe(`${60 * 1024}\n`);
    const declared = await fetch(`http://127.0.0.1:${port}/count`, { method: 'POST', body: new Uint8Array(65 * 1024) });
    expect(declared.status).toBe(413);
    expect(await declared.text()).toMatch(/max_body_bytes \(65536\)/);
    expect(await chunkedPost('/count', 8, 16 * 1024)).toBe(413);
    // and the host goes on serving
    expect(await chunkedPost('/count', 2, 16 * 1024)).toBe(200);
  });
});
