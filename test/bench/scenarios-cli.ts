/**
 * CLI start: `weft --version` and `weft get hosts` (the `weft` bin, against a host this bench starts on a
 * nats-server that, like the one `weft up` starts, only admits the nkey in WEFT_HOME/nats/user.seed) as child
 * processes, wall time and peak RSS, against a bare `node -e 0` measured in the same run. Each figure is the median
 * of several runs after one warm-up (which fills Node's compile cache, as any second use of the CLI finds it).
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createUser } from '@nats-io/nkeys';
import { NatsServer, latticeFor, startTestHost } from '../helpers/index.ts';
import { row } from './table.ts';
import type { BenchRow } from './table.ts';

const BIN = fileURLToPath(new URL('../../host/cli/bin.js', import.meta.url));
/** `weft get hosts` waits this long after the last reply for more hosts (CtlClient's collectMs): not start cost. */
const COLLECT_MS = 500;
/**
 * Preloaded into every measured process (bare Node too): reports the process's own peak RSS in KiB on fd 3. Linux's
 * VmHWM belongs to the process image; getrusage's maxRSS would carry over this (larger) parent's from before exec.
 */
const RSS_PROBE = `data:text/javascript,${encodeURIComponent(
  "import{readFileSync,writeSync}from'node:fs';process.on('exit',()=>{let k;try{k=/VmHWM:\\s*(\\d+)/.exec(readFileSync('/proc/self/status','utf8'))[1]}catch{k=process.resourceUsage().maxRSS}try{writeSync(3,String(k))}catch{}})",
)}`;

interface Run {
  wallMs: number;
  rssMb: number;
}

/** One child run: wall time from spawn to exit as seen here, peak RSS as the child saw it. */
function runOnce(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', RSS_PROBE, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let rss = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => (rss += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const wallMs = performance.now() - t0;
      if (code !== 0) return reject(new Error(`node ${args.join(' ')} exited ${code}:\n${out}`));
      resolve({ wallMs, rssMb: Number(rss) / 1024 });
    });
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

/** Median wall and RSS of `runs` runs after a warm-up; the runs of every command interleave so drift hits all alike. */
async function measure(
  cmds: Record<string, string[]>,
  env: NodeJS.ProcessEnv,
  runs: number,
): Promise<Record<string, Run>> {
  const got: Record<string, Run[]> = {};
  for (const [name, args] of Object.entries(cmds)) {
    await runOnce(args, env);
    got[name] = [];
  }
  for (let i = 0; i < runs; i++)
    for (const [name, args] of Object.entries(cmds)) got[name]?.push(await runOnce(args, env));
  return Object.fromEntries(
    Object.entries(got).map(([name, rs]) => [
      name,
      { wallMs: median(rs.map((r) => r.wallMs)), rssMb: median(rs.map((r) => r.rssMb)) },
    ]),
  );
}

export async function cliScenarios(quick: boolean): Promise<BenchRow[]> {
  const lattice = latticeFor('bench-cli');
  const home = await mkdtemp(join(tmpdir(), 'weft-bench-cli-'));
  const user = createUser();
  const seed = new TextDecoder().decode(user.getSeed());
  await mkdir(join(home, 'nats'), { recursive: true, mode: 0o700 });
  await writeFile(join(home, 'nats', 'user.seed'), `${seed}\n`, { mode: 0o600 });
  const ns = await NatsServer.start({ authorizedNkeys: [user.getPublicKey()] });
  const host = await startTestHost(ns.url, { lattice, nats: { seed } });
  // a home with the local lattice's seed and no contexts, NO_COLOR; the lattice by env, as a script would
  const env = { ...process.env, WEFT_HOME: home, NO_COLOR: '1', WEFT_NATS_URL: ns.url, WEFT_LATTICE: lattice };
  try {
    const m = await measure(
      { node: ['-e', '0'], version: [BIN, '--version'], hosts: [BIN, 'get', 'hosts', '-o', 'json'] },
      env,
      quick ? 5 : 15,
    );
    const node = m['node'] as Run;
    const version = m['version'] as Run;
    const hosts = m['hosts'] as Run;
    const wall = { ratio: 4, higherIsBetter: false, text: '≤ 4× bare Node' };
    // the RSS target is absolute (≤ 80 MB): as a ratio to this run's baseline that is 80 / baseline
    const rss = { ratio: 80 / node.rssMb, higherIsBetter: false, text: '≤ 80 MB' };
    return [
      row('cli', 'weft --version: wall', 'ms', version.wallMs, 'node -e 0', node.wallMs, wall),
      row('cli', 'weft --version: peak RSS', 'MB', version.rssMb, 'node -e 0', node.rssMb, rss),
      row(
        'cli',
        `weft get hosts: wall less its ${COLLECT_MS} ms reply window`,
        'ms',
        hosts.wallMs - COLLECT_MS,
        'node -e 0',
        node.wallMs,
        wall,
      ),
      row('cli', 'weft get hosts: wall as a user waits', 'ms', hosts.wallMs, 'node -e 0', node.wallMs),
      row('cli', 'weft get hosts: peak RSS', 'MB', hosts.rssMb, 'node -e 0', node.rssMb, rss),
    ];
  } finally {
    await host.stop();
    await ns.stop();
    await rm(home, { recursive: true, force: true });
  }
}
