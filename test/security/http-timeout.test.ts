/**
 * The HTTP handler limit: a link without `timeout_ms` gets the host's (`weft up --http-timeout-ms`, 30 s by default),
 * far below the host's execution limit. A looping handler answers 504 at that limit and its call is stopped, so the
 * component's one instance is free for the next request (had the guest run on to the host's 120 s limit, the second
 * request would find no instance). Real host on a real nats-server.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../lattice/index.ts';
import { httpHelloWatComponent } from '../fixtures/wat/build-http-hello.ts';
import { httpMisbehavingComponent } from '../fixtures/wat/build-http-misbehave.ts';
import {
  NatsServer,
  assertScaleComponent,
  assertStartProvider,
  check,
  latticeFor,
  startTestHost,
  testCtl,
} from '../helpers/index.ts';

describe('http-server handler limit', () => {
  it('a looping handler whose link sets no timeout_ms is stopped at the host default (504) and its instance freed', async () => {
    await using ns = await NatsServer.start();
    const dir = await mkdtemp(join(tmpdir(), 'weft-http-timeout-'));
    const lattice = latticeFor('httptimeout');
    const host = await startTestHost(ns.url, {
      lattice,
      httpTimeoutMs: 500,
      runtime: { workers: 2, maxExecutionTimeMs: 120_000 },
    });
    try {
      await using ctl = await testCtl(ns.url, lattice);
      await assertStartProvider(ctl, host.id, 'weft+builtin://http-server', 'http');
      const port = await freePort();
      for (const [id, bytes] of [
        ['spin', await httpMisbehavingComponent('spin')],
        ['hello', await httpHelloWatComponent()],
      ] as const) {
        await writeFile(join(dir, `${id}.wasm`), bytes);
        const ref = `file://${join(dir, `${id}.wasm`)}`;
        await assertScaleComponent(ctl, { host_id: host.id, component_ref: ref, component_id: id, count: 1 });
        await ctl.putConfig(`cfg-${id}`, { address: `127.0.0.1:${port}`, path: `/${id}` });
        await ctl.putLink({
          source_id: 'http',
          target: id,
          name: id,
          wit_namespace: 'wasi',
          wit_package: 'http',
          interfaces: ['incoming-handler'],
          source_config: [`cfg-${id}`],
          target_config: [],
        });
      }
      const status = (path: string): Promise<number> =>
        fetch(`http://127.0.0.1:${port}${path}`).then(
          (r) => r.status,
          () => 0,
        );
      await check(async () => (await status('/hello')) === 200, 10_000);
      await check(async () => (await status('/spin')) !== 404, 10_000);
      // a request finding the one instance still busy is shed at once (503); one admitted proves the call before it
      // ended, and with a 120 s execution limit only the handler limit can have ended it
      for (let i = 0; i < 3; i++) await check(async () => (await status('/spin')) === 504, 10_000);
      expect(await status('/hello')).toBe(200);
    } finally {
      await host.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
