/**
 * `weft build` of an unchanged actor through the CLI (issue 20: under a second), as a user runs it: `weft new actor
 * hello --lang ts` in a temp folder, one build, then the rebuilds timed as child processes of the `weft` bin, against
 * `weft --version` (the CLI's floor: Node's start and the command tree) in the same run. Part of `--only=engines`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { row } from './table.ts';
import type { BenchRow } from './table.ts';

const BIN = fileURLToPath(new URL('../../host/cli/bin.js', import.meta.url));

function weft(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ ms: number; out: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`weft ${args.join(' ')} exited ${code}:\n${out}`));
      resolve({ ms: performance.now() - t0, out });
    });
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

export async function buildCliScenarios(quick: boolean): Promise<BenchRow[]> {
  const work = await mkdtemp(join(tmpdir(), 'weft-bench-build-cli-'));
  const env = { ...process.env, WEFT_HOME: join(work, 'home'), WEFT_KEYS_DIR: join(work, 'keys') };
  await weft(['new', 'actor', 'hello', '--lang', 'ts'], work, env);
  const dir = join(work, 'hello');
  await weft(['build'], dir, env); // the real build (and keys); the build cache may answer it
  const build: number[] = [];
  const version: number[] = [];
  for (let i = 0; i < (quick ? 3 : 7); i++) {
    const b = await weft(['build', '-o', 'json'], dir, env);
    if (!(JSON.parse(b.out) as { upToDate?: boolean }).upToDate)
      console.warn('engines: an unchanged actor was built again instead of being up to date');
    build.push(b.ms);
    version.push((await weft(['--version'], dir, env)).ms);
  }
  const ms = median(build);
  const scenario = 'engines: weft build, unchanged TS actor';
  return [
    row(scenario, 'CLI wall time, up to date', 'ms', ms, 'weft --version', median(version)),
    row(scenario, 'CLI wall time, up to date', 'ms', ms, 'target 1 s', 1000, {
      ratio: 1,
      higherIsBetter: false,
      text: '< 1 s',
    }),
  ];
}
