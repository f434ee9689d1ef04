/**
 * Experiment (not part of `npm run bench`): how close to raw NATS request/reply could a lattice call get if the guest
 * worker held its own NATS connection for its components' invocation subjects, instead of the main thread relaying
 * each call to it? Serves `adder`'s `add` from a worker with weft's transpile cache and value mapping, and, as the
 * like-for-like baseline, a raw echo responder from a worker; p50 latency and 50-caller throughput in the same run.
 *
 *   node test/bench/experiment-lattice-in-workers.ts
 *
 * What it leaves out, and what that costs (2026-11-30): it calls one instance and never resets it. With weft's
 * reset after each call (restoreImage of the adder's 1.1 MiB) the same script gives 1.22-1.36x in four of six
 * rounds (0.96-1.60x in all six) instead of 0.97-1.15x, and half the calls/s. The full version in the host
 * (instance pool, reset, shared max_instances, watchdog, metrics; branch experiment/direct-calls) measured 1.66-1.96x with the host in its own process, no
 * better than the main-thread relay (1.49-1.77x) in the same harness, so it was not merged.
 */
import { readFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { connectNats, decodeRpc, encodeRpc } from '../../lattice/index.ts';
import { TranspileCache } from '../../host/runtime/transpile-cache.ts';
import { findExport } from '../../host/runtime/export-lookup.ts';
import { fromJson, toJson } from '../../host/runtime/value-map.ts';
import { anyVersion, wasiImports } from '../../host/runtime/wasi-imports.ts';
import { fixture, NatsServer } from '../helpers/index.ts';
import { latency, throughput } from './measure.ts';

interface Job {
  url: string;
  mode: 'adder' | 'echo';
  dir?: string;
  meta?: unknown;
  modules?: Record<string, WebAssembly.Module>;
}

async function serve(job: Job): Promise<void> {
  const nc = await connectNats({ url: job.url });
  if (job.mode === 'echo') {
    nc.subscribe('exp.echo', { callback: (_e, m) => void m.respond(m.data) });
  } else {
    const mod = (await import(pathToFileURL(join(job.dir ?? '', 'component.js')).href)) as {
      instantiate: (get: (n: string) => WebAssembly.Module, imports: unknown) => Promise<Record<string, unknown>>;
    };
    const base = await wasiImports({}, () => undefined);
    const imports = anyVersion(base);
    const exports = await mod.instantiate((n) => job.modules?.[n] as WebAssembly.Module, imports);
    const l = { meta: job.meta as never, dir: job.dir ?? '', dts: new Map() };
    const { fn, decl, dts } = findExport(l, exports, 'docs:adder/add.add');
    const lookup = (n: string) => dts.types.get(n);
    nc.subscribe('exp.adder', {
      callback: (_e, m) => {
        const args = decodeRpc(m.data) as unknown[];
        const value = toJson(fn(...decl.params.map((p, i) => fromJson(args[i], p.type, lookup, p.name))));
        void m.respond(encodeRpc(value));
      },
    });
  }
  await nc.flush();
  parentPort?.postMessage('ready');
}

async function main(): Promise<void> {
  const ns = await NatsServer.start();
  const cache = new TranspileCache(await mkdtemp(join(tmpdir(), 'weft-exp-')), 256 * 1024 * 1024);
  const prepared = await cache.prepare(new Uint8Array(await readFile(fixture('adder.component.wasm'))));
  const start = async (job: Job): Promise<Worker> => {
    const w = new Worker(new URL(import.meta.url), { workerData: job });
    await new Promise((r) => w.once('message', r));
    return w;
  };
  const workers = [
    await start({ url: ns.url, mode: 'echo' }),
    await start({ url: ns.url, mode: 'adder', dir: prepared.dir, meta: prepared.meta, modules: prepared.modules }),
  ];
  const nc = await connectNats({ url: ns.url });
  const args = encodeRpc([2, 3]);
  for (let round = 0; round < 2; round++) {
    const echo = await latency(() => nc.request('exp.echo', args), 3000);
    const adder = await latency(async () => {
      const r = decodeRpc((await nc.request('exp.adder', args)).data);
      if (r !== 5) throw new Error(`adder answered ${String(r)}`);
    }, 3000);
    const echoRate = await throughput(() => nc.request('exp.echo', args), 50, 3000);
    const adderRate = await throughput(() => nc.request('exp.adder', args), 50, 3000);
    console.log(
      `p50: adder in a worker with its own NATS connection ${Math.round(adder.p50)} µs, raw echo from a worker ${Math.round(echo.p50)} µs, ratio ${(adder.p50 / echo.p50).toFixed(2)}×; calls/s ${Math.round(adderRate)} vs ${Math.round(echoRate)}`,
    );
  }
  await nc.close();
  await Promise.all(workers.map((w) => w.terminate()));
  await ns.stop();
}

if (isMainThread) await main();
else await serve(workerData as Job);
