/**
 * JS engines side by side (issue 20): the same example actors built for QuickJS (componentize-qjs) and StarlingMonkey
 * (componentize-js), measured through public surfaces in one run: component size, build time (no cache), start +
 * first call (modules cached), warm call, HTTP hello and KV counter req/s through the host's http-server (vs raw Node
 * http in the same run, each after a warm-up load), two soaks of 100k greeter calls (flat: ≤ 1.1× the figure after the
 * first 10k) - the default stateless component, whose instances are reset after each call (process RSS and the
 * instances' linear memory: the path users run), and one kept (stateful) instance (its linear memory never shrinks,
 * so growth there is the guest's own leak) - and an unchanged actor's `weft build` through the CLI
 * (scenarios-build-cli.ts).
 * `node --expose-gc test/bench/run.ts --only=engines`.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../lattice/index.ts';
import { ComponentRuntime } from '../../host/runtime/index.ts';
import { buildActor, ENGINES } from '../../host/cli/toolchain/index.ts';
import type { Engine } from '../../host/cli/toolchain/index.ts';
import { assertScaleComponent, assertStartProvider, check, startTestHost, testCtl, linkOf } from '../helpers/index.ts';
import { ACTORS_DIR, actorBytes, actorRef } from '../helpers/actors.ts';
import { rawNodeHttp } from './baselines.ts';
import { buildCliScenarios } from './scenarios-build-cli.ts';
import { httpRps, latency } from './measure.ts';
import { row } from './table.ts';
import type { BenchRow } from './table.ts';

const GREET = 'weft:actors/greeter@0.1.0.greet';

/** A soak's process RSS and the component's linear memory, after the first tenth of the calls and at the end. */
interface Soak {
  rssStartMb: number;
  rssEndMb: number;
  memStartMb: number;
  memEndMb: number;
}

interface EngineFigures {
  sizeMb: number;
  buildS: number;
  startUs: number;
  callUs: number;
  helloRps: number;
  kvRps: number;
  /** CPU time of the bench process per HTTP hello request, during the req/s run. */
  helloCpuUs: number;
  /** One kept (stateful) instance: its linear memory never shrinks, so growth there is the guest's own leak. */
  kept: Soak;
  /** The default (stateless) component: instances reset after each call, the path users run. */
  reset: Soak;
}

const rssMb = (): number => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss / 2 ** 20;
};

async function callsIn(
  rt: ComponentRuntime,
  engine: Engine,
  quick: boolean,
): Promise<Omit<EngineFigures, 'helloRps' | 'kvRps' | 'helloCpuUs' | 'sizeMb' | 'buildS'>> {
  const greeter = await rt.load(await actorBytes('greeter', engine));
  const startUs: number[] = [];
  for (let i = 0; i < (quick ? 5 : 20); i++) {
    const id = `cold-${engine}-${i}`;
    const t0 = performance.now();
    await rt.start(id, greeter, { maxInstances: 1 });
    await rt.invoke(id, GREET, ['x']);
    startUs.push((performance.now() - t0) * 1000);
    await rt.stop(id);
  }
  startUs.sort((a, b) => a - b);
  await rt.start(`warm-${engine}`, greeter, { maxInstances: 1, stateful: true });
  const call = await latency(() => rt.invoke(`warm-${engine}`, GREET, ['x']), quick ? 500 : 3000);
  await rt.stop(`warm-${engine}`);
  // the leak test: 100k calls on one kept (stateful) instance, 8 at a time - an engine that leaks per call grows here
  await rt.start(`soak-${engine}`, greeter, { maxInstances: 1, stateful: true });
  const kept = await soak(rt, `soak-${engine}`, quick ? 20_000 : 100_000, false);
  await rt.stop(`soak-${engine}`);
  // what a user's component gets by default: stateless, so each call's instance is reset to its memory image after
  // the call (or replaced after 1000 resets), 8 calls at a time over up to 8 instances
  await rt.start(`reset-${engine}`, greeter, { maxInstances: 8 });
  const reset = await soak(rt, `reset-${engine}`, quick ? 20_000 : 100_000, true);
  await rt.stop(`reset-${engine}`);
  return { startUs: startUs[Math.floor(startUs.length / 2)] ?? 0, callUs: call.p50, kept, reset };
}

/**
 * `total` greeter calls on `id`, 8 at a time: the process RSS (after a GC) and the component's linear memory (per live
 * instance, or in all), after the first tenth and at the end.
 */
async function soak(rt: ComponentRuntime, id: string, total: number, perInstance: boolean): Promise<Soak> {
  let sent = 0;
  let rssStartMb = 0;
  let memStart: Promise<number> = Promise.resolve(0);
  // reset: per live instance (their count moves with spares and replacements, each one's memory must not); kept: the
  // component's total, whose growth is the kept instance's (its unused spares stay at their image)
  const memMb = async (): Promise<number> => {
    const st = (await rt.stats())[id];
    if (!st?.instances) return 0;
    return (perInstance ? st.memoryBytes / st.instances : st.memoryBytes) / 2 ** 20;
  };
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (sent < total) {
        sent++;
        if (sent === total / 10) {
          rssStartMb = rssMb();
          memStart = memMb();
        }
        await rt.invoke(id, GREET, ['soak']);
      }
    }),
  );
  const rssEndMb = rssMb();
  return { rssStartMb, rssEndMb, memStartMb: await memStart, memEndMb: await memMb() };
}

async function httpIn(
  natsUrl: string,
  quick: boolean,
): Promise<{ raw: number; byEngine: Record<Engine, [number, number, number]> }> {
  const secs = quick ? 3 : 8;
  const lattice = `benchengines_${process.pid}`;
  const host = await startTestHost(natsUrl, {
    lattice,
    logLevel: 'error',
    runtime: { workers: 2, maxExecutionTimeMs: 30_000 },
  });
  const ctl = await testCtl(natsUrl, lattice);
  await assertStartProvider(ctl, host.id, 'weft+builtin://http-server', 'http');
  await assertStartProvider(ctl, host.id, 'weft+builtin://keyvalue-nats', 'kv');
  await ctl.putConfig('kvc', { bucket: `benchengines_${process.pid}` });
  const byEngine = {} as Record<Engine, [number, number, number]>;
  const raw = await rawNodeHttp('hello from weft\n');
  const base = (await httpRps(raw.url, 32, secs)).rps;
  await raw.close();
  for (const engine of ENGINES) {
    const urls: string[] = [];
    for (const [actor, path] of [
      ['http-hello', '/'],
      ['kv-counter', '/counter/bench'],
    ] as const) {
      const id = `${actor}-${engine}`;
      await assertScaleComponent(ctl, {
        host_id: host.id,
        component_ref: await actorRef(actor, engine),
        component_id: id,
        count: 64,
      });
      const port = await freePort();
      await ctl.putConfig(`h-${id}`, { address: `127.0.0.1:${port}` });
      await ctl.putLink(
        linkOf('http', id, 'wasi:http', ['incoming-handler'], { source_config: [`h-${id}`], name: id }),
      );
      if (actor === 'kv-counter')
        await ctl.putLink(linkOf(id, 'kv', 'wasi:keyvalue', ['store', 'atomics'], { target_config: ['kvc'] }));
      urls.push(`http://127.0.0.1:${port}${path}`);
      await check(
        () =>
          fetch(urls.at(-1)!)
            .then((r) => r.ok)
            .catch(() => false),
        15_000,
      );
    }
    // steady state for both engines: a first load makes the instances (up to 64) and lets V8 tier up the engine's
    // Wasm (Liftoff, then TurboFan for hot functions); it is not counted
    for (const url of urls) await httpRps(url, 32, quick ? 1 : 2);
    const cpu0 = process.cpuUsage();
    const hello = await httpRps(urls[0]!, 32, secs);
    const cpu = process.cpuUsage(cpu0);
    const kv = await httpRps(urls[1]!, 32, secs);
    if (hello.errors + hello.non2xx + kv.errors + kv.non2xx)
      console.warn(`engines (${engine}): errors or non-2xx during the HTTP runs`);
    // the whole process (guest workers, V8's helpers, autocannon, main thread): unlike req/s, it hardly moves when
    // other processes load the machine (then req/s measures scheduling delays more than either engine)
    byEngine[engine] = [hello.rps, kv.rps, (cpu.user + cpu.system) / (hello.rps * secs)];
  }
  await host.stop();
  await ctl[Symbol.asyncDispose]();
  return { raw: base, byEngine };
}

export async function engineScenarios(natsUrl: string, quick: boolean): Promise<BenchRow[]> {
  const figures = {} as Record<Engine, EngineFigures>;
  const rt = new ComponentRuntime({ cacheDir: await mkdtemp(join(tmpdir(), 'weft-bench-engines-')), workers: 2 });
  for (const engine of ENGINES) {
    const t0 = performance.now();
    const built = await buildActor(join(ACTORS_DIR, 'http-hello'), {
      engine,
      cacheDir: await mkdtemp(join(tmpdir(), 'weft-bench-build-')),
    });
    const buildS = (performance.now() - t0) / 1000;
    console.log(`engines: built http-hello on ${engine} in ${buildS.toFixed(1)} s`);
    figures[engine] = {
      sizeMb: built.bytes.length / 1e6,
      buildS,
      helloRps: 0,
      kvRps: 0,
      helloCpuUs: 0,
      ...(await callsIn(rt, engine, quick)),
    };
  }
  console.log('engines: calls', JSON.stringify(figures));
  await rt.close();
  const http = await httpIn(natsUrl, quick);
  for (const e of ENGINES) [figures[e].helloRps, figures[e].kvRps, figures[e].helloCpuUs] = http.byEngine[e];
  const rows: BenchRow[] = [];
  const q = figures.quickjs;
  const s = figures.starlingmonkey;
  const vsSm = (metric: string, unit: string, qv: number, sv: number, target?: Parameters<typeof row>[6]) =>
    row('engines: QuickJS vs StarlingMonkey', metric, unit, qv, 'StarlingMonkey, same source', sv, target);
  rows.push(
    row('engines: QuickJS', 'http-hello component size', 'MB', q.sizeMb, 'target 2 MB', 2, {
      ratio: 1,
      higherIsBetter: false,
      text: '≤ 2 MB',
    }),
    row('engines: QuickJS', 'http-hello build, no cache', 's', q.buildS, 'target 3 s', 3, {
      ratio: 1,
      higherIsBetter: false,
      text: '≤ 3 s',
    }),
    vsSm('component size', 'MB', q.sizeMb, s.sizeMb),
    vsSm('build, no cache', 's', q.buildS, s.buildS),
    vsSm('start + first call, modules cached', 'µs', q.startUs, s.startUs),
    vsSm('warm call (greeter, p50)', 'µs', q.callUs, s.callUs),
    vsSm('HTTP hello req/s, 32 conns', 'req/s', q.helloRps, s.helloRps, {
      ratio: 3,
      higherIsBetter: true,
      text: '≥ 3×',
    }),
    vsSm('KV counter req/s, 32 conns', 'req/s', q.kvRps, s.kvRps, { ratio: 2, higherIsBetter: true, text: '≥ 2×' }),
    vsSm('process CPU per HTTP hello request', 'µs', q.helloCpuUs, s.helloCpuUs),
  );
  const n = quick ? '20k' : '100k';
  const flat = { ratio: 1.1, higherIsBetter: false, text: '≤ 1.1× (flat)' } as const;
  for (const e of ENGINES) {
    const { kept, reset, helloRps, kvRps } = figures[e];
    const tenth = 'after the first tenth';
    rows.push(
      row(`engines: ${e}`, 'HTTP hello req/s, 32 conns', 'req/s', helloRps, 'raw Node http', http.raw),
      row(`engines: ${e}`, 'KV counter req/s, 32 conns', 'req/s', kvRps, 'raw Node http', http.raw),
      // the default path: each call's instance reset to its image (what the "RSS flat" is about)
      row(
        `engines: ${e}`,
        `process RSS over ${n} greeter calls, default (reset)`,
        'MiB',
        reset.rssEndMb,
        tenth,
        reset.rssStartMb,
        flat,
      ),
      row(
        `engines: ${e}`,
        `linear memory per instance, same calls`,
        'MiB',
        reset.memEndMb,
        tenth,
        reset.memStartMb,
        flat,
      ),
      // one kept (stateful) instance: documents the engine's own per-call leak (StarlingMonkey upstream)
      row(
        `engines: ${e}`,
        `kept instance's linear memory after ${n} calls`,
        'MiB',
        kept.memEndMb,
        tenth,
        kept.memStartMb,
        flat,
      ),
      // the whole bench process (every worker, and what ran before): context, not the leak test
      row(`engines: ${e}`, 'process RSS, kept-instance soak', 'MiB', kept.rssEndMb, tenth, kept.rssStartMb),
    );
  }
  rows.push(...(await buildCliScenarios(quick)));
  return rows;
}
