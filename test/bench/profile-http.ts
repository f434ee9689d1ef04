/**
 * Profiling aid (not part of `npm run bench`): a host serving the small WAT hello component (or, with
 * `--actor=http-hello --engine=quickjs|starlingmonkey`, an example actor) under 5 s of autocannon load from a separate
 * process. Run with `node --cpu-prof --cpu-prof-dir=prof test/bench/profile-http.ts` (one profile per thread).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, writeFile } from 'node:fs/promises';
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
const bin = fileURLToPath(new URL('../../node_modules/autocannon/autocannon.js', import.meta.url));
// a separate process (execFile, not spawnSync: the host in this process must keep serving)
const r = await promisify(execFile)(process.execPath, [bin, '-c', '32', '-d', '5', '-j', `http://127.0.0.1:${port}/`], {
  encoding: 'utf8',
});
console.log('req/s', (JSON.parse(r.stdout) as { requests: { average: number } }).requests.average);
await host.stop();
await ctl[Symbol.asyncDispose]();
await ns.stop();
process.exit(0);
