/**
 * HTTP p99 while another component on the same host loops: a WAT hello served through the in-host http-server, its
 * p99 measured quiet, then while a driver keeps a `spin` component (a lattice call that never yields) running
 * without pause; each spin is stopped at the host's execution limit (1 s here) and called again at once.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '../../lattice/index.ts';
import { httpHelloWatComponent } from '../fixtures/wat/build-http-hello.ts';
import { misbehavingComponent } from '../fixtures/wat/build-wat-components.ts';
import { assertScaleComponent, assertStartProvider, check, startTestHost, testCtl } from '../helpers/index.ts';
import { row } from './table.ts';
import type { BenchRow } from './table.ts';

async function p99(url: string, connections: number, seconds: number): Promise<{ p99: number; errors: number }> {
  const r = await autocannon({ url, connections, duration: seconds, pipelining: 1 });
  return { p99: r.latency.p99, errors: r.errors + r.timeouts + r.non2xx };
}

export async function loopingGuestScenario(natsUrl: string, quick: boolean): Promise<BenchRow[]> {
  const secs = quick ? 3 : 6;
  const lattice = `benchloop_${process.pid}`;
  const host = await startTestHost(natsUrl, {
    lattice,
    logLevel: 'error',
    runtime: { workers: 2, maxExecutionTimeMs: 1000 },
  });
  const ctl = await testCtl(natsUrl, lattice);
  const dir = await mkdtemp(join(tmpdir(), 'weft-bench-loop-'));
  await writeFile(join(dir, 'hello.wasm'), await httpHelloWatComponent());
  await writeFile(join(dir, 'spin.wasm'), await misbehavingComponent());
  await assertStartProvider(ctl, host.id, 'weft+builtin://http-server', 'http');
  for (const id of ['hello', 'spin'])
    await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: `file://${join(dir, `${id}.wasm`)}`,
      component_id: id,
      count: 64,
    });
  const port = await freePort();
  await ctl.putConfig('hl', { address: `127.0.0.1:${port}` });
  await ctl.putLink({
    source_id: 'http',
    target: 'hello',
    name: 'default',
    wit_namespace: 'wasi',
    wit_package: 'http',
    interfaces: ['incoming-handler'],
    source_config: ['hl'],
    target_config: [],
  });
  const url = `http://127.0.0.1:${port}/`;
  await check(
    () =>
      fetch(url)
        .then((r) => r.ok)
        .catch(() => false),
    10_000,
  );
  await p99(url, 32, 1); // warm-up
  const quiet = await p99(url, 32, secs);
  let looping = true;
  let spins = 0;
  const driver = (async () => {
    while (looping) {
      await ctl.invoke('spin', 'spin', [], { timeoutMs: 5000 }).catch(() => undefined);
      spins++;
    }
  })();
  const busy = await p99(url, 32, secs);
  looping = false;
  await driver;
  if (busy.errors || quiet.errors)
    console.warn(`looping-guest scenario: ${quiet.errors} errors quiet, ${busy.errors} looping (${spins} spins)`);
  await host.stop();
  await ctl[Symbol.asyncDispose]();
  return [
    row('HTTP hello p99, another guest looping', 'p99, 32 conns', 'ms', busy.p99, 'same, quiet', quiet.p99, {
      ratio: 2,
      higherIsBetter: false,
      text: '≤ 2×',
    }),
  ];
}
