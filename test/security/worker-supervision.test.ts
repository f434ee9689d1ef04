/**
 * How the host supervises its guest workers against hostile guests, on a real host and a real nats-server:
 * - a guest whose start function never returns (it loops while being instantiated, outside any call, where the
 *   per-call stop cannot reach it): the scale fails with a coded error, the guest worker it wedged is replaced, and
 *   the other components on the host are served again in full;
 * - a looping guest holding the only guest worker: the pool starts an extra worker, which serves the other
 *   components, and retires it once the guest is stopped, losing no call on the way (its lattice subscriptions drain
 *   before its thread stops, so the calls NATS had already handed it are answered).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningNatsServer } from '../../lattice/index.ts';
import { startLoopGuest } from '../fixtures/wat/build-limit-guests.ts';
import { misbehavingComponent } from '../fixtures/wat/build-wat-components.ts';
import {
  NatsServer,
  assertScaleComponent,
  check,
  fixtureRef,
  latticeFor,
  scaleAndWait,
  sleep,
  startTestHost,
  testCtl,
} from '../helpers/index.ts';

let ns: RunningNatsServer;
let dir: string;
beforeAll(async () => {
  ns = await NatsServer.start();
  dir = await mkdtemp(join(tmpdir(), 'weft-supervision-'));
  await writeFile(join(dir, 'spin.wasm'), await startLoopGuest());
  await writeFile(join(dir, 'bad.wasm'), await misbehavingComponent());
});
afterAll(async () => {
  await ns?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('a start function that never returns', () => {
  it('fails the scale with a coded error, replaces the worker it wedged, and the host serves its other components', async () => {
    const lattice = latticeFor('startloop');
    // an instantiation may hold its worker 2 s here (10 s by default)
    const host = await startTestHost(ns.url, {
      lattice,
      runtime: { workers: 2, maxExecutionTimeMs: 30_000, instantiateTimeoutMs: 2000 },
    });
    await using ctl = await testCtl(ns.url, lattice);
    await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: fixtureRef('adder.component.wasm'),
      component_id: 'adder',
      count: 4,
    });
    const e = await scaleAndWait(
      ctl,
      { host_id: host.id, component_ref: `file://${join(dir, 'spin.wasm')}`, component_id: 'spin', count: 1 },
      20_000,
    );
    expect(e.type).toMatch(/component_scale_failed$/);
    expect(String(e.data['error'])).toMatch(/COMP_WORKER_LOST.*spin: its instantiation did not finish.*start function/);
    expect((await ctl.getHostInventory(host.id)).components.map((c) => c.id)).toEqual(['adder']);
    // once the wedged worker is replaced, every call is answered again (none is routed to a stuck subscription)
    const allAnswered = async (): Promise<boolean> => {
      const r = await Promise.all(
        Array.from({ length: 20 }, () =>
          ctl.invoke('adder', 'docs:adder/add.add', [1, 2], { timeoutMs: 2000 }).catch(() => undefined),
        ),
      );
      return r.every((v) => v === 3);
    };
    expect(await check(allAnswered, 15_000)).toBe(true);
    // and a later start of the same guest fails the same way, without wedging the host for good
    const again = await scaleAndWait(
      ctl,
      { host_id: host.id, component_ref: `file://${join(dir, 'spin.wasm')}`, component_id: 'spin2', count: 1 },
      20_000,
    );
    expect(again.type).toMatch(/component_scale_failed$/);
    expect(await check(allAnswered, 15_000)).toBe(true);
    await host.stop();
  });
});

describe('rescue of a stuck guest worker', () => {
  it('loses no call of another component while a guest loops, is stopped, and the extra worker retires', async () => {
    const lattice = latticeFor('rescue');
    const host = await startTestHost(ns.url, { lattice, runtime: { workers: 1, maxExecutionTimeMs: 1500 } });
    await using ctl = await testCtl(ns.url, lattice);
    await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: fixtureRef('adder.component.wasm'),
      component_id: 'adder',
      count: 8,
    });
    await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: `file://${join(dir, 'bad.wasm')}`,
      component_id: 'bad',
      count: 1,
    });
    let answered = 0;
    const failures: string[] = [];
    let stop = false;
    const callers = Array.from({ length: 8 }, async () => {
      while (!stop) {
        await ctl.invoke('adder', 'docs:adder/add.add', [1, 2], { timeoutMs: 4000 }).then(
          (v) => (v === 3 ? answered++ : failures.push(`answer ${String(v)}`)),
          (e: { code?: string }) => failures.push(String(e.code)),
        );
      }
    });
    for (let round = 0; round < 2; round++) {
      // the worker is held for 1.5 s, the pool starts another; after the stop that one retires again
      await expect(ctl.invoke('bad', 'spin', [], { timeoutMs: 10_000 })).rejects.toMatchObject({
        code: 'COMP_TIMEOUT',
      });
      await sleep(2000);
    }
    stop = true;
    await Promise.all(callers);
    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(100);
    await host.stop();
  }, 60_000);
});
