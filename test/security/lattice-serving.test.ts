/**
 * Lattice calls served in the guest workers (host/runtime/worker-lattice.ts): hostile input on the workers' own
 * subscriptions gets coded error replies and every worker keeps serving; a guest that spins is stopped per call
 * while other components, and the same component on its other instances, keep answering; admission sheds a burst
 * beyond max_instances and its wait queue with COMP_BUSY at once.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRpc, errorFromHeaders, rpcSubject } from '../../lattice/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import { misbehavingComponent } from '../fixtures/wat/build-wat-components.ts';
import {
  NatsServer,
  assertScaleComponent,
  fixtureRef,
  latticeFor,
  startTestHost,
  testCtl,
  rawNatsOf,
} from '../helpers/index.ts';

let ns: RunningNatsServer;
let badRef: string;
beforeAll(async () => {
  ns = await NatsServer.start();
  const dir = await mkdtemp(join(tmpdir(), 'weft-latserve-'));
  await writeFile(join(dir, 'misbehave.wasm'), await misbehavingComponent());
  badRef = `file://${join(dir, 'misbehave.wasm')}`;
});
afterAll(async () => {
  await ns?.stop();
});

const codeOf = (p: Promise<unknown>): Promise<unknown> => p.catch((e: { code?: string }) => e.code ?? e);

describe('lattice calls served in the guest workers', () => {
  it('hostile input - bad msgpack, a map for the argument list, a 900 KiB payload, unknown and oversized operations get coded error replies; the workers keep serving', async () => {
    const lattice = latticeFor('hostile');
    const host = await startTestHost(ns.url, { lattice, runtime: { workers: 2, maxExecutionTimeMs: 5000 } });
    await using ctl = await testCtl(ns.url, lattice);
    const ref = fixtureRef('adder.component.wasm');
    await assertScaleComponent(ctl, { host_id: host.id, component_ref: ref, component_id: 'adder', count: 4 });
    const raw = async (op: string, data: Uint8Array): Promise<string | undefined> => {
      const m = await rawNatsOf(ctl).request(rpcSubject.invoke(lattice, 'adder', op), data, { timeout: 5000 });
      return errorFromHeaders(m.headers)?.code;
    };
    const add = 'docs:adder/add.add';
    // each case several times, so both workers (queue group) see it
    for (let i = 0; i < 6; i++) {
      expect(await raw(add, new Uint8Array([0xc1, 0xff, 0x00, 0x13]))).toBe('LAT_BAD_PAYLOAD');
      expect(await raw(add, encodeRpc({ a: 1 }))).toBe('LAT_BAD_PAYLOAD');
      expect(await raw(add, new Uint8Array(900 * 1024).fill(0xc1))).toBe('LAT_BAD_PAYLOAD');
      expect(await raw(add, encodeRpc(Array.from({ length: 10_000 }, () => 'x'.repeat(64))))).toBe(
        'COMP_BAD_ARGUMENTS',
      );
      expect(await raw(add, encodeRpc(['two', 'three']))).toMatch(/^COMP_/);
      expect(await raw('docs:adder/add.nope', encodeRpc([1, 2]))).toBe('COMP_NO_SUCH_EXPORT');
      expect(await raw(`docs:adder/add.${'z'.repeat(4000)}`, encodeRpc([1, 2]))).toBe('COMP_NO_SUCH_EXPORT');
    }
    const sums = await Promise.all(Array.from({ length: 20 }, (_, i) => ctl.invoke('adder', add, [i, 1])));
    expect(sums).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    await host.stop();
  });

  it('a spinning call is stopped at its deadline (COMP_TIMEOUT) while other components and the same component on its other instances keep answering', async () => {
    const lattice = latticeFor('spin');
    const host = await startTestHost(ns.url, { lattice, runtime: { workers: 2, maxExecutionTimeMs: 1500 } });
    await using ctl = await testCtl(ns.url, lattice);
    const adder = fixtureRef('adder.component.wasm');
    // enough instance slots for the burst: calls NATS handed to the spinning worker hold theirs until it is stopped
    await assertScaleComponent(ctl, { host_id: host.id, component_ref: badRef, component_id: 'bad', count: 24 });
    await assertScaleComponent(ctl, { host_id: host.id, component_ref: adder, component_id: 'adder', count: 24 });
    const spin = codeOf(ctl.invoke('bad', 'spin', [], { timeoutMs: 10_000 }));
    // the worker that took the spin holds what NATS gave it until the guest is stopped; the other answers
    const during = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        Promise.all([
          ctl.invoke('adder', 'docs:adder/add.add', [i, 1], { timeoutMs: 8000 }),
          ctl.invoke('bad', 'ok', [i], { timeoutMs: 8000 }),
        ]),
      ),
    );
    expect(during).toEqual(Array.from({ length: 10 }, (_, i) => [i + 1, i + 1]));
    expect(await spin).toBe('COMP_TIMEOUT');
    // the worker survived: both components answer from every worker again
    for (let i = 0; i < 10; i++) expect(await ctl.invoke('bad', 'ok', [i])).toBe(i + 1);
    await host.stop();
  });

  it('admission - past max_instances and its wait queue a burst is shed with COMP_BUSY at once, the rest is served', async () => {
    const lattice = latticeFor('admit');
    const host = await startTestHost(ns.url, { lattice, runtime: { workers: 2, maxExecutionTimeMs: 2000 } });
    await using ctl = await testCtl(ns.url, lattice);
    await assertScaleComponent(ctl, { host_id: host.id, component_ref: badRef, component_id: 'bad', count: 1 });
    expect(await ctl.invoke('bad', 'ok', [1])).toBe(2);
    // the spin holds the only instance slot until its deadline; 64 calls may wait for it, the rest are shed
    const spin = codeOf(ctl.invoke('bad', 'spin', [], { timeoutMs: 10_000 }));
    await new Promise((r) => setTimeout(r, 200));
    const burst = await Promise.all(
      Array.from({ length: 300 }, (_, i) => codeOf(ctl.invoke('bad', 'ok', [i], { timeoutMs: 10_000 }))),
    );
    const busy = burst.filter((c) => c === 'COMP_BUSY').length;
    expect(busy).toBeGreaterThan(0); // the worker that does not run the spin takes about half: 64 wait, the rest are shed
    expect(burst.every((c, i) => c === 'COMP_BUSY' || c === i + 1 || c === 'COMP_TIMEOUT')).toBe(true);
    expect(await spin).toBe('COMP_TIMEOUT');
    expect(await ctl.invoke('bad', 'ok', [5])).toBe(6);
    await host.stop();
  });
});
