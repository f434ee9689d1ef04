import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../lattice/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import { httpHelloWatComponent } from '../fixtures/wat/http-hello-wat.ts';
import { NatsServer, assertScaleComponent, assertStartProvider, check, latticeFor, startTestHost, testCtl } from '../helpers/index.ts';

let ns: RunningNatsServer;
beforeAll(async () => {
  ns = await NatsServer.start();
});
afterAll(async () => {
  await ns?.stop();
});

describe('small http component', () => {
  it('http-server - a 7 KB wasi:http component built from WAT (no language runtime) serves HTTP, concurrently', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'weft-wat-http-'));
    await writeFile(join(dir, 'hello.wasm'), await httpHelloWatComponent());
    const lattice = latticeFor('wathttp');
    const host = await startTestHost(ns.url, { lattice });
    await using ctl = await testCtl(ns.url, lattice);
    await assertStartProvider(ctl, host.id, 'weft+builtin://http-server', 'http');
    await assertScaleComponent(ctl, { host_id: host.id, component_ref: `file://${join(dir, 'hello.wasm')}`, component_id: 'wat-hello', count: 8 });
    const port = await freePort();
    await ctl.putConfig('wat-http', { address: `127.0.0.1:${port}` });
    await ctl.putLink({ source_id: 'http', target: 'wat-hello', name: 'default', wit_namespace: 'wasi', wit_package: 'http', interfaces: ['incoming-handler'], source_config: ['wat-http'], target_config: [] });
    const res = await check(() => fetch(`http://127.0.0.1:${port}/`).catch(() => undefined), 10_000);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello from weft\n');
    const many = await Promise.all(Array.from({ length: 50 }, () => fetch(`http://127.0.0.1:${port}/x`).then(async (r) => `${r.status} ${await r.text()}`)));
    expect(new Set(many)).toEqual(new Set(['200 hello from weft\n']));
    await host.stop();
  });
});
