/**
 * Profiling aid (not part of `npm run bench`): a host serving the small WAT hello component (or, with
 * `--actor=http-hello --engine=quickjs|starlingmonkey`, an example actor) under 5 s of autocannon load from a separate
 * process. Run with `node --cpu-prof --cpu-prof-dir=prof test/bench/profile-http.ts` (one profile per thread).
 * Prints req/s and the CPU time per request of each thread of this process during the load (from
 * /proc/self/task, Linux only): unlike req/s, that hardly moves with the machine's load. `--runs=N`: N loads in a row
 * (the first one includes the warm-up: instances being made, the engine's Wasm still tiering up).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../lattice/index.ts';
import { httpHelloWatComponent } from '../fixtures/wat/build-http-hello.ts';
import { parseEngine } from '../../host/cli/toolchain/index.ts';
import { actorBytes } from '../helpers/actors.ts';
import {
  NatsServer,
  assertScaleComponent,
  assertStartProvider,
  check,
  startTestHost,
  testCtl,
} from '../helpers/index.ts';

const ns = await NatsServer.start();
const lattice = `prof_${process.pid}`;
const host = await startTestHost(ns.url, {
  lattice,
  logLevel: 'error',
  runtime: { workers: 2, maxExecutionTimeMs: 30_000 },
});
const ctl = await testCtl(ns.url, lattice);
const dir = await mkdtemp(join(tmpdir(), 'weft-prof-'));
const arg = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const actor = arg('actor');
const engine = parseEngine(arg('engine') ?? 'quickjs', '--engine');
await writeFile(join(dir, 'hello.wasm'), actor ? await actorBytes(actor, engine) : await httpHelloWatComponent());
await assertStartProvider(ctl, host.id, 'weft+builtin://http-server', 'http');
await assertScaleComponent(ctl, {
  host_id: host.id,
  component_ref: `file://${join(dir, 'hello.wasm')}`,
  component_id: 'small',
  count: 64,
});
const port = await freePort();
await ctl.putConfig('h', { address: `127.0.0.1:${port}` });
await ctl.putLink({
  source_id: 'http',
  target: 'small',
  name: 'default',
  wit_namespace: 'wasi',
  wit_package: 'http',
  interfaces: ['incoming-handler'],
  source_config: ['h'],
  target_config: [],
});
await check(
  () =>
    fetch(`http://127.0.0.1:${port}/`)
      .then((r) => r.ok)
      .catch(() => false),
  10_000,
);
/** CPU µs used so far by each thread of this process, by thread name (Linux; empty elsewhere). */
async function threadCpuUs(): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const tasks = await readdir('/proc/self/task').catch(() => []);
  for (const t of tasks) {
    const st = await readFile(`/proc/self/task/${t}/stat`, 'utf8').catch(() => '');
    const name = st.slice(st.indexOf('(') + 1, st.lastIndexOf(')'));
    const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
    const us = (Number(f[11]) + Number(f[12])) * 10_000; // utime + stime, in 100 Hz ticks
    if (name) out.set(`${name}#${t}`, us);
  }
  return out;
}
const bin = fileURLToPath(new URL('../../node_modules/autocannon/autocannon.js', import.meta.url));
const runs = Number(arg('runs') ?? 1);
for (let run = 1; run <= runs; run++) {
  const cpu0 = await threadCpuUs();
  // a separate process (execFile, not spawnSync: the host in this process must keep serving)
  const r = await promisify(execFile)(
    process.execPath,
    [bin, '-c', '32', '-d', '5', '-j', `http://127.0.0.1:${port}/`],
    { encoding: 'utf8' },
  );
  const cpu1 = await threadCpuUs();
  const load = JSON.parse(r.stdout) as { requests: { average: number; total: number } };
  console.log(`run ${run}: req/s`, load.requests.average);
  let workers = 0;
  for (const [name, us] of cpu1) {
    const used = (us - (cpu0.get(name) ?? 0)) / load.requests.total;
    if (/^(WorkerThread|node-V8Worker)/.test(name)) workers += used;
    if (used >= 5) console.log(`  cpu ${name}: ${used.toFixed(0)} µs per request`);
  }
  console.log(`  cpu of the guest workers and V8's helper threads: ${workers.toFixed(0)} µs per request`);
}
await host.stop();
await ctl[Symbol.asyncDispose]();
await ns.stop();
process.exit(0);
