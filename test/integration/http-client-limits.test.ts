/** http-client limits: a call waiting on an import past the execution limit; a component on another host (body over NATS). */
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
  sleep,
  startTestHost,
  testCtl,
} from '../helpers/index.ts';
import { deployFetcher, upstreams } from './http-upstream.ts';

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

describe('http-client limits and calls to another host', () => {
  it('limits - a call waiting on an import past the execution limit fails alone: another call waiting in the same worker completes', async () => {
    const lattice = latticeFor('abandon');
    const host = await startTestHost(ns.url, { lattice, runtime: { workers: 1, maxExecutionTimeMs: 1500 } });
    await using ctl = await testCtl(ns.url, lattice);
    const { allowed } = up;
    const fetcher = await deployFetcher(ctl, host.id, { count: 4, allowedPort: allowed.port });
    const via = (path: string): Promise<Response> => fetcher.via(`http://127.0.0.1:${allowed.port}${path}`);
    await check(
      () =>
        via('/ready').then(
          (r) => r.status === 200,
          () => false,
        ),
      15_000,
    );
    // A waits on its upstream past the 1.5 s limit; B starts in the same worker before that and ends after it
    const a = via('/delay/6000');
    await sleep(900);
    const b = via('/delay/1000');
    const ra = await a;
    expect(ra.status).toBe(504);
    expect(await ra.text()).toBe('component timed out: [COMP_TIMEOUT]\n');
    const rb = await b;
    expect(await rb.text()).toBe('after 1000 ms\n');
    expect(rb.status).toBe(200);
    // and the host goes on serving
    expect((await via('/after')).status).toBe(200);
    await host.stop();
  });

  it('a component on another host gets the request body collected into the call, up to what one NATS message holds', async () => {
    const lattice = latticeFor('httpremote');
    const a = await startTestHost(ns.url, { lattice });
    const b = await startTestHost(ns.url, { lattice });
    await using ctl = await testCtl(ns.url, lattice);
    await assertStartProvider(ctl, a.id, 'weft+builtin://http-server', 'http');
    await assertScaleComponent(ctl, {
      host_id: b.id,
      component_ref: await actorRef('http-fetch'),
      component_id: 'far',
      count: 1,
    });
    const port = await freePort();
    await ctl.putConfig('far-in', { address: `127.0.0.1:${port}` });
    await ctl.putLink({
      source_id: 'http',
      target: 'far',
      name: 'default',
      wit_namespace: 'wasi',
      wit_package: 'http',
      interfaces: ['incoming-handler'],
      source_config: ['far-in'],
      target_config: [],
    });
    const small = await check(async () => {
      const r = await fetch(`http://127.0.0.1:${port}/count`, {
        method: 'POST',
        body: new Uint8Array(100 * 1024),
      }).catch(() => undefined);
      return r?.status === 200 ? r : undefined;
    }, 15_000);
    expect(await small.text()).toBe(`${100 * 1024}\n`);
    const big = await fetch(`http://127.0.0.1:${port}/count`, {
      method: 'POST',
      body: new Uint8Array(2 * 1024 * 1024),
    });
    expect(big.status).toBe(413);
    expect(await big.text()).toMatch(/max_payload 1048576.*run the component on the host that serves HTTP/);
    await a.stop();
    await b.stop();
  });
});
