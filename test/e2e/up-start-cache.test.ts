/**
 * What an idle `weft up` keeps loaded (the `idle host` bench row measures its memory): from its second start on, the
 * compile cache spares the TypeScript stripper (amaro) in the main thread and in every guest worker, and an idle
 * host loads neither undici (an ESM import of `node:http` would) nor pino-pretty (stderr is not a terminal here).
 * The first start is killed (SIGKILL): the cache is written once a host has started, not only at exit. A hook
 * preloaded into the child (and so into its worker threads) reports what each thread has loaded on fd 3.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningNatsServer } from '../../lattice/index.ts';
import { NatsServer, check, latticeFor } from '../helpers/index.ts';

const BIN = fileURLToPath(new URL('../../host/cli/bin.js', import.meta.url));
/** Every 200 ms, one line per thread on fd 3: `{thread, amaro, undici, pinoPretty}` (what it has loaded so far). */
const HOOK = `data:text/javascript,${encodeURIComponent(`
import { registerHooks } from 'node:module';
import { writeSync } from 'node:fs';
import { isMainThread, threadId } from 'node:worker_threads';
let pinoPretty = false;
registerHooks({ load(u, c, n) { if (u.includes('/pino-pretty/')) pinoPretty = true; return n(u, c); } });
setInterval(() => {
  const has = (s) => process.moduleLoadList.some((m) => m.includes(s));
  const line = { thread: isMainThread ? 'main' : 'worker-' + threadId, amaro: has('amaro'), undici: has('undici'), pinoPretty };
  try { writeSync(3, JSON.stringify(line) + '\\n'); } catch {}
}, 200).unref();
`)}`;

interface ThreadState {
  thread: string;
  amaro: boolean;
  undici: boolean;
  pinoPretty: boolean;
}

let ns: RunningNatsServer;
let home: string;
beforeAll(async () => {
  ns = await NatsServer.start();
  home = await mkdtemp(join(tmpdir(), 'weft-start-cache-'));
  await mkdir(join(home, 'tmp'));
});
afterAll(async () => {
  await ns?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

/**
 * Starts `weft up --workers 2` idle, waits until it is ready and every thread reported, stops it with `signal`: the
 * last states.
 */
async function upOnce(signal: NodeJS.Signals): Promise<Map<string, ThreadState>> {
  // the compile cache in os.tmpdir(), as a user has it (NODE_COMPILE_CACHE unset), but a fresh one of this test
  const env: NodeJS.ProcessEnv = { ...process.env, WEFT_HOME: home, TMPDIR: join(home, 'tmp'), NO_COLOR: '1' };
  delete env['NODE_COMPILE_CACHE'];
  delete env['NODE_DISABLE_COMPILE_CACHE'];
  const args = ['up', '--nats-url', ns.url, '--lattice', latticeFor('up start cache'), '--workers', '2', '-o', 'json'];
  const child = spawn(process.execPath, ['--import', HOOK, BIN, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let fd3 = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => (fd3 += d.toString()));
  const states = (): Map<string, ThreadState> => {
    const m = new Map<string, ThreadState>();
    for (const l of fd3.split('\n').filter(Boolean)) {
      const s = JSON.parse(l) as ThreadState;
      m.set(s.thread, s);
    }
    return m;
  };
  try {
    await check(() => /"success":\s*true/.test(out) && states().size === 3, 30_000);
    const ready = fd3.length;
    await check(() => fd3.length > ready + 200, 5_000); // every thread reported once more, idle
    return states();
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  }
}

describe('up start cache', () => {
  it('a second weft up loads no TypeScript stripper in the main thread nor in a guest worker, nor undici or pino-pretty', async () => {
    // the first start type-strips (so the hook does see the stripper when it is loaded); killed, it never exits, so
    // the cache entries the second start reads were written once it had started
    const first = await upOnce('SIGKILL');
    expect(first.get('main')?.amaro).toBe(true);
    const second = await upOnce('SIGINT');
    const threads = [...second.values()];
    expect(threads.map((t) => t.thread).filter((t) => t.startsWith('worker-'))).toHaveLength(2);
    for (const t of threads) expect({ thread: t.thread, amaro: t.amaro }).toEqual({ thread: t.thread, amaro: false });
    for (const t of [...first.values(), ...threads])
      expect({ thread: t.thread, undici: t.undici, pinoPretty: t.pinoPretty }).toEqual({
        thread: t.thread,
        undici: false,
        pinoPretty: false,
      });
  });
});
