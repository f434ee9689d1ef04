import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningNatsServer } from '../../lattice/index.ts';
import { ComponentRuntime, cacheStats } from '../../host/runtime/index.ts';
import { STATEFUL_ANNOTATION } from '../../host/index.ts';
import { misbehavingComponent } from '../fixtures/wat/build-wat-components.ts';
import { httpHelloWatComponent } from '../fixtures/wat/build-http-hello.ts';
import {
  EventRecorder,
  NatsServer,
  actorRef,
  assertScaleComponent,
  captureLogger,
  fixture,
  fixtureRef,
  latticeFor,
  sleep,
  startTestHost,
  testCtl,
} from '../helpers/index.ts';

let ns: RunningNatsServer;
let badRef: string;
beforeAll(async () => {
  ns = await NatsServer.start();
  const dir = await mkdtemp(join(tmpdir(), 'weft-wat-'));
  await writeFile(join(dir, 'misbehave.wasm'), await misbehavingComponent());
  badRef = `file://${join(dir, 'misbehave.wasm')}`;
});
afterAll(async () => {
  await ns?.stop();
});

describe('component limits and lifecycle', () => {
  it('limits - a looping guest is stopped at its time limit while another component keeps answering', async () => {
    const lattice = latticeFor('loop');
    const host = await startTestHost(ns.url, { lattice, runtime: { workers: 2, maxExecutionTimeMs: 500 } });
    await using ctl = await testCtl(ns.url, lattice);
    await assertScaleComponent(ctl, { host_id: host.id, component_ref: badRef, component_id: 'bad', count: 2 });
    await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: fixtureRef('adder.component.wasm'),
      component_id: 'adder',
      count: 2,
    });
    const spin = ctl.invoke('bad', 'spin', []).then(
      () => undefined,
      (e: unknown) => e,
    );
    // while the guest spins, adder answers from the other worker
    for (let i = 0; i < 5; i++) expect(await ctl.invoke('adder', 'docs:adder/add.add', [i, 1])).toBe(i + 1);
    // also under concurrent load, once the spinning worker has gone quiet: no call queues behind the guest (one
    // that did would fail with COMP_WORKER_LOST when the worker is replaced)
    await sleep(200);
    const burst = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        ctl.invoke('adder', 'docs:adder/add.add', [i, 2]).catch((e: { code: string }) => e.code),
      ),
    );
    expect(burst).toEqual(Array.from({ length: 40 }, (_, i) => i + 2));
    expect(await spin).toMatchObject({ code: 'COMP_TIMEOUT' });
    expect(await ctl.invoke('bad', 'ok', [1])).toBe(2);
    expect(await ctl.invoke('adder', 'docs:adder/add.add', [2, 3])).toBe(5);
    await host.stop();
  });

  it('limits - a trapping guest returns a coded error and the next call succeeds; unbounded allocation stops at the memory cap', async () => {
    const lattice = latticeFor('trap');
    const { logger, lines } = captureLogger();
    const host = await startTestHost(ns.url, {
      lattice,
      logger,
      runtime: { workers: 1, maxExecutionTimeMs: 5000, maxLinearMemoryBytes: 32 * 1024 * 1024 },
    });
    await using ctl = await testCtl(ns.url, lattice);
    await assertScaleComponent(ctl, { host_id: host.id, component_ref: badRef, component_id: 'bad', count: 1 });
    await expect(ctl.invoke('bad', 'boom', [])).rejects.toMatchObject({ code: 'COMP_TRAP' });
    // the trap is in the host log with the component, the function and the trap message
    expect(lines.find((l) => l['msg'] === 'guest failed')).toMatchObject({
      level: 40,
      component_id: 'bad',
      function: 'boom',
      code: 'COMP_TRAP',
      err: expect.stringContaining('unreachable'),
    });
    expect(await ctl.invoke('bad', 'ok', [41])).toBe(42);
    // the scale annotation weft.dev/stateful keeps guest state between calls; without it every call starts clean
    await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: badRef,
      component_id: 'sticky',
      count: 1,
      annotations: { [STATEFUL_ANNOTATION]: 'true' },
    });
    const bumps = async (cid: string) => [
      await ctl.invoke(cid, 'bump-global', []),
      await ctl.invoke(cid, 'bump-global', []),
    ];
    expect(await bumps('sticky')).toEqual([1, 2]);
    expect(await bumps('bad')).toEqual([1, 1]);
    const before = process.memoryUsage().rss;
    await expect(ctl.invoke('bad', 'hog', [])).rejects.toMatchObject({ code: 'COMP_TRAP' });
    expect(process.memoryUsage().rss - before).toBeLessThan(512 * 1024 * 1024);
    expect(await ctl.invoke('bad', 'ok', [1])).toBe(2);
    await host.stop();
  });

  it('scale - up, down and to 0, with events and inventory', async () => {
    const lattice = latticeFor('scale');
    const host = await startTestHost(ns.url, { lattice });
    await using ctl = await testCtl(ns.url, lattice);
    const ref = fixtureRef('adder.component.wasm');
    await assertScaleComponent(ctl, { host_id: host.id, component_ref: ref, component_id: 'adder', count: 1 });
    const up = await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: ref,
      component_id: 'adder',
      count: 10,
    });
    expect(up.data['max_instances']).toBe(10);
    expect((await ctl.getHostInventory(host.id)).components[0]?.max_instances).toBe(10);
    const calls = await Promise.all(
      Array.from({ length: 50 }, (_v, i) => ctl.invoke('adder', 'docs:adder/add.add', [i, i])),
    );
    expect(calls).toEqual(Array.from({ length: 50 }, (_v, i) => 2 * i));
    await assertScaleComponent(ctl, { host_id: host.id, component_ref: ref, component_id: 'adder', count: 2 });
    expect((await ctl.getHostInventory(host.id)).components[0]?.max_instances).toBe(2);
    const zero = await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: ref,
      component_id: 'adder',
      count: 0,
    });
    expect(zero.data['max_instances']).toBe(0);
    expect((await ctl.getHostInventory(host.id)).components).toEqual([]);
    await expect(ctl.invoke('adder', 'docs:adder/add.add', [1, 1], { timeoutMs: 1000 })).rejects.toMatchObject({
      code: 'LAT_NO_RESPONDERS',
    });
    await host.stop();
  });

  it('update - live update under load drops no call and bumps the revision', async () => {
    const lattice = latticeFor('update');
    const host = await startTestHost(ns.url, { lattice });
    await using ctl = await testCtl(ns.url, lattice);
    const dir = await mkdtemp(join(tmpdir(), 'weft-upd-'));
    // a second, different artifact of the same component: adder with a custom section appended
    const v2 = Buffer.concat([
      await readFile(fixture('adder.component.wasm')),
      Buffer.from([0, 4, 3, 0x76, 0x32, 0x21]),
    ]);
    await writeFile(join(dir, 'adder-v2.wasm'), v2);
    await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: fixtureRef('adder.component.wasm'),
      component_id: 'adder',
      count: 4,
    });
    const rec = await EventRecorder.start(ctl);
    let stop = false;
    let ok = 0;
    const failures: unknown[] = [];
    const load = Promise.all(
      Array.from({ length: 4 }, async () => {
        while (!stop) {
          try {
            if ((await ctl.invoke('adder', 'docs:adder/add.add', [1, 2])) === 3) ok++;
          } catch (err) {
            failures.push(err);
          }
        }
      }),
    );
    await ctl.updateComponent({
      component_id: 'adder',
      new_component_ref: `file://${join(dir, 'adder-v2.wasm')}`,
      host_id: host.id,
    });
    const evt = await rec.waitFor(
      'component_scaled',
      (e) => String(e.data['image_ref']).endsWith('adder-v2.wasm'),
      30_000,
    );
    const after = ok;
    while (ok < after + 20) await new Promise((r) => setTimeout(r, 10));
    stop = true;
    await load;
    expect(failures).toEqual([]);
    expect(evt.data['max_instances']).toBe(4);
    const inv = await ctl.getHostInventory(host.id);
    expect(inv.components[0]).toMatchObject({ image_ref: `file://${join(dir, 'adder-v2.wasm')}`, revision: 1 });
    rec.stop();
    await host.stop();
  });

  it('isolation - state never leaks between calls (reset instances), unless the component runs stateful', async () => {
    const rt = new ComponentRuntime({ cacheDir: await mkdtemp(join(tmpdir(), 'weft-iso-')), workers: 1 });
    const p = await rt.load(await misbehavingComponent());
    await rt.start('fresh', p, { maxInstances: 2 });
    await rt.start('kept', p, { maxInstances: 1, stateful: true });
    const fresh = [];
    const kept = [];
    for (let i = 0; i < 4; i++) {
      fresh.push(await rt.invoke('fresh', 'bump', []), await rt.invoke('fresh', 'bump-global', []));
      kept.push(await rt.invoke('kept', 'bump', []), await rt.invoke('kept', 'bump-global', []));
    }
    // a reset restores linear memory and mutable globals alike
    expect(fresh).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(kept).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    await expect(rt.invoke('fresh', 'boom', [])).rejects.toMatchObject({ code: 'COMP_TRAP' });
    expect(await rt.invoke('fresh', 'bump', [])).toBe(1);
    expect(await rt.invoke('fresh', 'bump', [])).toBe(1);
    await rt.close();
  });

  it('transpile - JSPI only for components whose imports may wait: the WAT HTTP hello runs plain, a StarlingMonkey actor suspends', async () => {
    const rt = new ComponentRuntime({ cacheDir: await mkdtemp(join(tmpdir(), 'weft-cache-')), workers: 1 });
    const wat = await rt.load(await httpHelloWatComponent());
    expect(wat.meta).toMatchObject({ jspi: false, asyncWasi: [] });
    const js = await rt.load(await readFile((await actorRef('http-hello')).slice('file://'.length)));
    expect(js.meta.jspi).toBe(true);
    expect(js.meta.asyncWasi).toContain('wasi:io/poll#poll');
    await rt.close();
  });

  it('transpile cache - a second load of the same digest does not transpile again, in memory or from disk', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'weft-cache-'));
    const bytes = await readFile(fixture('adder.component.wasm'));
    const a = new ComponentRuntime({ cacheDir, workers: 1 });
    const t0 = cacheStats.transpiles;
    const prepared = await a.load(bytes);
    expect(cacheStats.transpiles).toBe(t0 + 1);
    // the cached glue has jco's per-step debug logger turned into a no-op (it read process.env on every call)
    expect(await readFile(join(prepared.dir, 'component.js'), 'utf8')).toContain('const _debugLog = () => {};');
    const m0 = cacheStats.memoryHits;
    await a.load(bytes);
    expect(cacheStats.memoryHits).toBe(m0 + 1);
    await a.close();
    const b = new ComponentRuntime({ cacheDir, workers: 1 }); // a second "host start" on the same cache dir
    const d0 = cacheStats.diskHits;
    await b.load(bytes);
    expect(cacheStats.diskHits).toBe(d0 + 1);
    expect(cacheStats.transpiles).toBe(t0 + 1);
    await b.close();
  });
});
