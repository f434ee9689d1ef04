/** Component benchmarks: cold start, warm call, lattice call vs raw NATS request/reply, transpile cache. */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectNats, CtlClient, encodeRpc, invokeComponent } from '../../lattice/index.ts';
import { ComponentRuntime } from '../../host/runtime/index.ts';
import { assertScaleComponent, fixture, fixtureRef, startTestHost } from '../helpers/index.ts';
import { rawNatsEcho, rawNatsEchoProcess } from './baselines.ts';
import { latency, throughput } from './measure.ts';
import { row } from './table.ts';
import type { BenchRow } from './table.ts';

export async function componentScenarios(natsUrl: string, quick: boolean): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const N = quick ? 300 : 2000;
  const lattice = `bench_${process.pid}`;
  const hostA = await startTestHost(natsUrl, {
    lattice,
    logLevel: 'error',
    runtime: { workers: 2, maxExecutionTimeMs: 30_000 },
  });
  const hostB = await startTestHost(natsUrl, {
    lattice,
    logLevel: 'error',
    runtime: { workers: 2, maxExecutionTimeMs: 30_000 },
  });
  const nc = await connectNats({ url: natsUrl });
  const ctl = new CtlClient(nc, { lattice, timeoutMs: 30_000 });
  const ref = fixtureRef('adder.component.wasm');

  // transpile cache: miss (fresh dir) vs hit (memory)
  const bytes = await readFile(fixture('adder.component.wasm'));
  const rt = new ComponentRuntime({ cacheDir: await mkdtemp(join(tmpdir(), 'weft-bench-')), workers: 1 });
  let t = performance.now();
  await rt.load(bytes);
  const miss = (performance.now() - t) * 1000;
  const hit = await latency(() => rt.load(bytes), quick ? 50 : 200, 5);
  rows.push(
    row('transpile cache', 'load adder', 'µs', hit.p50, 'cache miss (jco transpile)', miss, {
      ratio: 0.05,
      higherIsBetter: false,
      text: 'hit ≤ 0.05× miss',
    }),
  );
  await rt.close();

  // raw NATS request/reply baseline (same payload shape)
  const echo = rawNatsEcho(nc, `bench.echo.${lattice}`);
  const payload = encodeRpc([2, 3]);
  const natsLat = await latency(() => nc.request(`bench.echo.${lattice}`, payload), N);

  // cold start: scale to first successful call, warm cache (already transpiled above and by the host's cache)
  await assertScaleComponent(ctl, { host_id: hostA.id, component_ref: ref, component_id: 'warmup', count: 1 });
  const colds: number[] = [];
  for (let i = 0; i < (quick ? 10 : 40); i++) {
    const id = `cold${i}`;
    let scaled!: () => void;
    const done = new Promise<void>((r) => (scaled = r));
    const sub = nc.subscribe(`wasmbus.evt.${lattice}.component_scaled`, {
      callback: (_e, m) => {
        if (m.json<{ data: { component_id: string } }>().data.component_id === id) scaled();
      },
    });
    await nc.flush();
    t = performance.now();
    await ctl.scaleComponent({ host_id: hostA.id, component_ref: ref, component_id: id, count: 1 });
    await done;
    await invokeComponent(nc, lattice, id, 'docs:adder/add.add', [2, 3]);
    colds.push((performance.now() - t) * 1000);
    sub.unsubscribe();
  }
  colds.sort((a, b) => a - b);
  const coldP50 = colds[Math.floor(colds.length / 2)] ?? 0;
  // three NATS round trips are inherent: the scale request, the scaled event, the first call
  const beyond = coldP50 - 3 * natsLat.p50;
  rows.push(
    row('cold start', 'scale → first call (adder), p50', 'µs', coldP50, '3 NATS round trips', 3 * natsLat.p50, {
      ratio: (3 * natsLat.p50 + 1000) / (3 * natsLat.p50),
      higherIsBetter: false,
      text: `< 1000 µs beyond RTT (${beyond.toFixed(0)})`,
    }),
  );

  // in-process warm call (runtime only)
  await assertScaleComponent(ctl, { host_id: hostA.id, component_ref: ref, component_id: 'adder', count: 64 });
  const warm = await latency(() => hostA.components!.invoke('adder', 'docs:adder/add.add', [2, 3]), N);
  rows.push(row('warm call', 'in-host invoke p50 (adder)', 'µs', warm.p50, 'NATS round trip', natsLat.p50));
  echo.stop();
  await nc.close();
  await Promise.all([hostA.stop(), hostB.stop()]);
  rows.push(...(await latticeScenarios(natsUrl, quick)));
  return rows;
}

/**
 * Lattice calls (`--only=lattice`): this process's NATS client calls adder on a host (the path a caller on another
 * host takes once its own guest has made the call), against raw NATS request/reply with the responder in its own
 * process; p50/p99 of sequential calls and calls/s of 50 callers, in the same run.
 */
export async function latticeScenarios(natsUrl: string, quick: boolean): Promise<BenchRow[]> {
  const N = quick ? 500 : 3000;
  const lattice = `benchlat_${process.pid}`;
  const host = await startTestHost(natsUrl, {
    lattice,
    logLevel: 'error',
    runtime: { workers: 2, maxExecutionTimeMs: 30_000 },
  });
  const nc = await connectNats({ url: natsUrl });
  const ctl = new CtlClient(nc, { lattice, timeoutMs: 30_000 });
  const subject = `bench.echo.${lattice}`;
  const echo = await rawNatsEchoProcess(natsUrl, subject);
  try {
    const cid = 'adder';
    await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: fixtureRef('adder.component.wasm'),
      component_id: cid,
      count: 64,
    });
    const payload = encodeRpc([2, 3]);
    const call = (): Promise<unknown> => invokeComponent(nc, lattice, cid, 'docs:adder/add.add', [2, 3]);
    const raw = (): Promise<unknown> => nc.request(subject, payload);
    const natsLat = await latency(raw, N);
    const lat = await latency(call, N);
    const ms = quick ? 1500 : 5000;
    const latTput = await throughput(call, 50, ms);
    const natsTput = await throughput(raw, 50, ms);
    const base = 'raw NATS req/reply, own process';
    return [
      row('lattice call', 'p50 latency (adder)', 'µs', lat.p50, base, natsLat.p50, {
        ratio: 1.3,
        higherIsBetter: false,
        text: '≤ 1.3×',
      }),
      row('lattice call', 'p99 latency (adder)', 'µs', lat.p99, base, natsLat.p99),
      row('lattice call', 'calls/s, 50 callers', 'req/s', latTput, base, natsTput, {
        ratio: 0.7,
        higherIsBetter: true,
        text: '≥ 0.7×',
      }),
    ];
  } finally {
    echo.stop();
    await nc.close();
    await host.stop();
  }
}
