/**
 * HTTP benchmarks: a small WAT hello component, the JS hello actor and the KV counter (both built with `weft build`'s
 * default engine, as a user's are) through the in-host http-server, vs raw Node http and jco serve.
 */
import { freePort } from '../../lattice/index.ts';
import { DEFAULT_ENGINE } from '../../host/cli/toolchain/index.ts';
import {
  actorRef,
  assertScaleComponent,
  assertStartProvider,
  check,
  startRedis,
  startTestHost,
  testCtl,
  linkOf,
} from '../helpers/index.ts';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { httpHelloWatComponent } from '../fixtures/wat/build-http-hello.ts';
import { jcoServe, rawNodeHttp } from './baselines.ts';
import { httpRps } from './measure.ts';
import { loopingGuestScenario } from './scenarios-http-loop.ts';
import { row } from './table.ts';
import type { BenchRow } from './table.ts';

export async function httpScenarios(natsUrl: string, quick: boolean): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const secs = quick ? 3 : 8;
  const conns = 32;
  const lattice = `benchhttp_${process.pid}`;
  const host = await startTestHost(natsUrl, {
    lattice,
    logLevel: 'error',
    runtime: { workers: 2, maxExecutionTimeMs: 30_000 },
  });
  const ctl = await testCtl(natsUrl, lattice);
  await assertStartProvider(ctl, host.id, 'weft+builtin://http-server', 'http');
  await assertStartProvider(ctl, host.id, 'weft+builtin://keyvalue-nats', 'kv');
  const helloRef = await actorRef('http-hello', DEFAULT_ENGINE);
  const js = `JS actor, ${DEFAULT_ENGINE}`;
  const watDir = await mkdtemp(join(tmpdir(), 'weft-bench-wat-'));
  const watFile = join(watDir, 'hello.wasm');
  await writeFile(watFile, await httpHelloWatComponent());
  await assertScaleComponent(ctl, {
    host_id: host.id,
    component_ref: `file://${watFile}`,
    component_id: 'small',
    count: 64,
  });
  await assertScaleComponent(ctl, { host_id: host.id, component_ref: helloRef, component_id: 'hello', count: 64 });
  await assertScaleComponent(ctl, {
    host_id: host.id,
    component_ref: await actorRef('kv-counter', DEFAULT_ENGINE),
    component_id: 'counter',
    count: 64,
  });
  const [p1, p2, p3] = [await freePort(), await freePort(), await freePort()];
  await ctl.putConfig('h3', { address: `127.0.0.1:${p3}` });
  await ctl.putLink(
    linkOf('http', 'small', 'wasi:http', ['incoming-handler'], { source_config: ['h3'], name: 'small' }),
  );
  await ctl.putConfig('h1', { address: `127.0.0.1:${p1}` });
  await ctl.putConfig('h2', { address: `127.0.0.1:${p2}` });
  await ctl.putConfig('kvc', { bucket: `bench_${process.pid}` });
  await ctl.putLink(
    linkOf('http', 'hello', 'wasi:http', ['incoming-handler'], { source_config: ['h1'], name: 'hello' }),
  );
  await ctl.putLink(
    linkOf('http', 'counter', 'wasi:http', ['incoming-handler'], { source_config: ['h2'], name: 'counter' }),
  );
  await ctl.putLink(linkOf('counter', 'kv', 'wasi:keyvalue', ['store', 'atomics'], { target_config: ['kvc'] }));
  await check(
    () =>
      fetch(`http://127.0.0.1:${p1}/`)
        .then((r) => r.ok)
        .catch(() => false),
    10_000,
  );
  await check(
    () =>
      fetch(`http://127.0.0.1:${p2}/counter/x`)
        .then((r) => r.ok)
        .catch(() => false),
    10_000,
  );

  await check(
    () =>
      fetch(`http://127.0.0.1:${p3}/`)
        .then((r) => r.ok)
        .catch(() => false),
    10_000,
  );
  const raw = await rawNodeHttp('hello from weft\n');
  const base = await httpRps(raw.url, conns, secs);
  await raw.close();
  const small = await httpRps(`http://127.0.0.1:${p3}/`, conns, secs);
  rows.push(
    row('HTTP hello (7 KB WAT component)', `req/s, ${conns} conns`, 'req/s', small.rps, 'raw Node http', base.rps, {
      ratio: 0.5,
      higherIsBetter: true,
      text: '≥ 0.5×',
    }),
  );
  const jcoSmall = await jcoServe(watFile, await freePort());
  const jcoSmallRps = await httpRps(jcoSmall.url, conns, secs);
  await jcoSmall.close();
  rows.push(
    row(
      'HTTP hello (7 KB WAT component)',
      `req/s, ${conns} conns`,
      'req/s',
      small.rps,
      'jco serve, same component',
      jcoSmallRps.rps,
      { ratio: 5, higherIsBetter: true, text: '≥ 5×' },
    ),
  );
  const hello = await httpRps(`http://127.0.0.1:${p1}/`, conns, secs);
  rows.push(
    row(`HTTP hello (${js})`, `req/s, ${conns} conns`, 'req/s', hello.rps, 'raw Node http', base.rps, {
      ratio: 0.15,
      higherIsBetter: true,
      text: '≥ 0.15×',
    }),
  );
  const jco = await jcoServe(fileURLToPath(helloRef), await freePort());
  const jcoRps = await httpRps(jco.url, conns, secs);
  await jco.close();
  rows.push(
    row(`HTTP hello (${js})`, `req/s, ${conns} conns`, 'req/s', hello.rps, 'jco serve, same component', jcoRps.rps, {
      ratio: 5,
      higherIsBetter: true,
      text: '≥ 5×',
    }),
  );
  const kv = await httpRps(`http://127.0.0.1:${p2}/counter/bench`, conns, secs);
  rows.push(
    row(`KV counter (${js}), NATS KV`, `req/s, ${conns} conns`, 'req/s', kv.rps, 'raw Node http', base.rps, {
      ratio: 0.1,
      higherIsBetter: true,
      text: '≥ 0.1×',
    }),
  );

  await using redis = await startRedis();
  await assertStartProvider(ctl, host.id, 'weft+builtin://keyvalue-redis', 'redis');
  await ctl.putConfig('rc', { URL: redis.url });
  await ctl.deleteLink({ source_id: 'counter', wit_namespace: 'wasi', wit_package: 'keyvalue', name: 'default' });
  await ctl.putLink(linkOf('counter', 'redis', 'wasi:keyvalue', ['store', 'atomics'], { target_config: ['rc'] }));
  await check(() => host.links.lookup('counter', 'default', 'wasi:keyvalue/store')?.target === 'redis');
  const kvr = await httpRps(`http://127.0.0.1:${p2}/counter/bench`, conns, secs);
  rows.push(row(`KV counter (${js}), Redis`, `req/s, ${conns} conns`, 'req/s', kvr.rps, 'raw Node http', base.rps));
  const errs =
    small.errors + small.non2xx + hello.errors + hello.non2xx + kv.errors + kv.non2xx + kvr.errors + kvr.non2xx;
  if (errs) console.warn(`HTTP scenarios saw ${errs} errors or non-2xx responses`);
  await host.stop();
  await ctl[Symbol.asyncDispose]();
  rows.push(...(await loopingGuestScenario(natsUrl, quick)));
  return rows;
}
