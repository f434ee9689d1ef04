import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../lattice/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import { httpHelloWatComponent } from '../fixtures/wat/build-http-hello.ts';
import {
  NatsServer,
  assertScaleComponent,
  assertStartProvider,
  check,
  latticeFor,
  startTestHost,
  testCtl,
} from '../helpers/index.ts';

let ns: RunningNatsServer;
let dir: string;
beforeAll(async () => {
  ns = await NatsServer.start();
  dir = await mkdtemp(join(tmpdir(), 'weft-http-wat-'));
});
afterAll(async () => {
  await ns?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('http-server with a WAT component', () => {
  it('serves a wasi:http component built from WAT at test time (no language runtime), also 50 requests at once', async () => {
    const bytes = await httpHelloWatComponent();
    const file = join(dir, 'http-hello.wasm');
    await writeFile(file, bytes);
    const lattice = latticeFor('httpwat');
    const host = await startTestHost(ns.url, { lattice });
    await using ctl = await testCtl(ns.url, lattice);
    await assertStartProvider(ctl, host.id, 'weft+builtin://http-server', 'http');
    await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: `file://${file}`,
      component_id: 'wat-hello',
      count: 4,
    });
    const port = await freePort();
    await ctl.putConfig('http-wat-cfg', { address: `127.0.0.1:${port}` });
    await ctl.putLink({
      source_id: 'http',
      target: 'wat-hello',
      name: 'default',
      wit_namespace: 'wasi',
      wit_package: 'http',
      interfaces: ['incoming-handler'],
      source_config: ['http-wat-cfg'],
      target_config: [],
    });
    const res = await check(() => fetch(`http://127.0.0.1:${port}/anything`).catch(() => undefined), 10_000);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(await res.text()).toBe('hello from weft\n');
    const many = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        fetch(`http://127.0.0.1:${port}/r/${i}`).then(async (r) => `${r.status} ${await r.text()}`),
      ),
    );
    expect(many).toHaveLength(50);
    expect(new Set(many)).toEqual(new Set(['200 hello from weft\n']));
    await host.stop();
  });
});
