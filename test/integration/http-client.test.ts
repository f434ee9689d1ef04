import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningNatsServer } from '../../lattice/index.ts';
import { NatsServer, check, latticeFor, startTestHost, testCtl } from '../helpers/index.ts';
import { deployFetcher, duplex, upstreams } from './http-upstream.ts';

let ns: RunningNatsServer;
let up: Awaited<ReturnType<typeof upstreams>>;
beforeAll(async () => {
  ns = await NatsServer.start();
  up = await upstreams();
});
afterAll(async () => {
  up?.close();
  await ns?.stop();
});

describe('http-client provider (wasi:http/outgoing-handler) and streaming bodies', () => {
  it('a JS actor fetches allowed hosts only, through its link; responses and request bodies stream; without the link its call fails naming it', async () => {
    const lattice = latticeFor('httpclient');
    // 40 MiB through a JS guest can pass the test host's 10 s execution limit on a loaded 2-core machine: this test is
    // about streaming, not limits (those are in components.test.ts)
    const host = await startTestHost(ns.url, { lattice, runtime: { workers: 2, maxExecutionTimeMs: 60_000 } });
    await using ctl = await testCtl(ns.url, lattice);
    const { allowed, other } = up;
    const { port, inbound, outbound, via } = await deployFetcher(ctl, host.id, { count: 2, allowedPort: allowed.port });

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
    const s = await fetch(
      `http://127.0.0.1:${port}/stream?url=${encodeURIComponent(`http://127.0.0.1:${allowed.port}/held`)}`,
    );
    const reader = s.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('before\n');
    allowed.release();
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    expect(rest).toBe('after\n');

    // the request body streams too: the guest answers each part before the client sends the next
    await expect(duplex(port)).resolves.toEqual(['got one', 'got two', 'end']);
    // and has no size limit in-host (over the lattice it is collected, up to 16 MiB): 40 MiB reach the guest
    const big = new Uint8Array(40 * 1024 * 1024).fill(97);
    const counted = await fetch(`http://127.0.0.1:${port}/count`, { method: 'POST', body: big });
    expect(await counted.text()).toBe(`${big.byteLength}\n`);

    // the link's timeout_ms: a handler still waiting on its upstream past it gives the client 504, others go on
    await ctl.putConfig('fetcher-in-slow', { address: `127.0.0.1:${port}`, path: '/slow', timeout_ms: '500' });
    await ctl.putLink({ ...inbound, name: 'slow', source_config: ['fetcher-in-slow'] });
    const slow = await check(async () => {
      const r = await fetch(
        `http://127.0.0.1:${port}/slow?url=${encodeURIComponent(`http://127.0.0.1:${allowed.port}/never`)}`,
      );
      return r.status === 504 ? r : undefined;
    }, 10_000);
    expect(await slow.text()).toBe('component timed out: [HTTP_TIMEOUT]\n'); // the link's limit, not the host's execution limit

    // many at once, spread over both instances
    const many = await Promise.all(
      Array.from({ length: 20 }, (_, i) => via(`http://127.0.0.1:${allowed.port}/n/${i}`).then((r) => r.text())),
    );
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
  }, 120_000); // 40 MiB through a JS guest on a loaded 2-core machine
});
