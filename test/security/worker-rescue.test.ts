/**
 * The pool's rescue of a stuck host: with its only guest worker held by a looping guest, the pool starts an extra
 * worker, which serves the other components; once the guest is stopped the extra worker retires. Real host, real
 * nats-server: no call is lost on the way, the extra worker's retirement included (its lattice subscriptions drain
 * before its thread stops, so the calls NATS had already handed it are answered).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningNatsServer } from '../../lattice/index.ts';
import { misbehavingComponent } from '../fixtures/wat/build-wat-components.ts';
import {
  NatsServer,
  assertScaleComponent,
  fixtureRef,
  latticeFor,
  sleep,
  startTestHost,
  testCtl,
} from '../helpers/index.ts';

let ns: RunningNatsServer;
let dir: string;
beforeAll(async () => {
  ns = await NatsServer.start();
  dir = await mkdtemp(join(tmpdir(), 'weft-rescue-'));
  await writeFile(join(dir, 'bad.wasm'), await misbehavingComponent());
});
afterAll(async () => {
  await ns?.stop();
  await rm(dir, { recursive: true, force: true });
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
