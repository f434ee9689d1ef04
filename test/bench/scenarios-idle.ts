/**
 * Idle host memory: `weft up --nats-url … --workers N` as a user starts it (the `weft` bin, its own process, the
 * built-in secrets backend on), left idle with no component for a few seconds, then the resident memory (VmRSS) of
 * it and every process under it, against a bare Node process idling as long, measured in the same run.
 *
 * The compile cache bin.js turns on (in `os.tmpdir()`, as a user has it: NODE_COMPILE_CACHE unset) is a fresh folder
 * of this run: the first start (2 workers) is a user's first after `npm ci` (every module type-stripped), the starts
 * after it are a user's second and later (loaded from the cache).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NatsServer, latticeFor } from '../helpers/index.ts';
import { row } from './table.ts';
import type { BenchRow } from './table.ts';

const BIN = fileURLToPath(new URL('../../host/cli/bin.js', import.meta.url));
const IDLE_MS = 4000;

/** VmRSS in MB of `pid` and its descendants (Linux /proc). */
async function treeRssMb(pid: number): Promise<number> {
  const parents = new Map<number, number>();
  for (const d of await readdir('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const stat = await readFile(`/proc/${d}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid) parents.set(Number(d), ppid);
  }
  const tree = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [p, pp] of parents) if (tree.has(pp) && !tree.has(p)) grew = !!tree.add(p);
  }
  let kb = 0;
  for (const p of tree) {
    const status = await readFile(`/proc/${p}/status`, 'utf8').catch(() => '');
    kb += Number(/VmRSS:\s*(\d+)/.exec(status)?.[1] ?? 0);
  }
  return kb / 1024;
}

/** Resolves once `child` printed a line matching `ready` (or rejects when it exits first). */
function readyLine(child: ChildProcess, ready: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`not ready after ${timeoutMs} ms: ${out.slice(-500)}`)), timeoutMs);
    const on = (d: Buffer): void => {
      out += d.toString();
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', on);
    child.stderr?.on('data', on);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before it was ready: ${out.slice(-500)}`));
    });
  });
}

async function idleRss(args: string[], env: NodeJS.ProcessEnv, ready: RegExp | undefined): Promise<number> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    if (ready) await readyLine(child, ready, 60_000);
    await new Promise((r) => setTimeout(r, IDLE_MS));
    return await treeRssMb(child.pid ?? 0);
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGINT');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    child.kill('SIGKILL');
  }
}

export async function idleScenarios(): Promise<BenchRow[]> {
  const ns = await NatsServer.start();
  const home = await mkdtemp(join(tmpdir(), 'weft-bench-idle-'));
  await mkdir(join(home, 'tmp'));
  const env: NodeJS.ProcessEnv = { ...process.env, WEFT_HOME: home, NO_COLOR: '1', TMPDIR: join(home, 'tmp') };
  delete env['NODE_COMPILE_CACHE'];
  delete env['NODE_DISABLE_COMPILE_CACHE'];
  try {
    const node = await idleRss(['-e', 'setTimeout(() => {}, 1e9)'], env, undefined);
    const rows: BenchRow[] = [];
    for (const [workers, start] of [
      [2, 'first start'],
      [1, 'second start'],
      [2, 'second start'],
    ] as const) {
      const args = [
        BIN,
        'up',
        '--nats-url',
        ns.url,
        '--lattice',
        latticeFor('bench-idle'),
        '--workers',
        String(workers),
      ];
      const mb = await idleRss([...args, '-o', 'json'], env, /"success":\s*true/);
      // the target is absolute (≤ 150 MB with 2 workers): as a ratio to this run's baseline that is 150 / baseline
      const target =
        workers === 2 && start === 'second start'
          ? { ratio: 150 / node, higherIsBetter: false, text: '≤ 150 MB' }
          : undefined;
      rows.push(
        row(
          'idle host',
          `weft up RSS, ${workers} worker(s), no component, ${start}`,
          'MB',
          mb,
          'idle node',
          node,
          target,
        ),
      );
    }
    return rows;
  } finally {
    await ns.stop();
    await rm(home, { recursive: true, force: true });
  }
}
