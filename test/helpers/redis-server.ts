/** A real redis-server on a free port with a temp dir (no containers). */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../lattice/index.ts';

export interface RunningRedis {
  url: string;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** `password`: started with `--requirepass` (test/integration/secrets-redis). */
export async function startRedis(opts: { password?: string } = {}): Promise<RunningRedis> {
  const bin = [process.env['REDIS_SERVER_BIN'], '/usr/bin/redis-server', '/usr/local/bin/redis-server'].find(
    (b) => b && existsSync(b),
  );
  if (!bin) throw new Error('redis-server not found: apt-get install -y redis-server (or set REDIS_SERVER_BIN)');
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'weft-redis-'));
  const child = spawn(
    bin,
    [
      ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
      ...(opts.password ? ['--requirepass', opts.password] : []),
    ],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((r) => {
      const s = createConnection({ port, host: '127.0.0.1' }, () => {
        s.destroy();
        r(true);
      });
      s.once('error', () => r(false));
    });
    if (ok) break;
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    await sleep(25);
  }
  const stop = async (): Promise<void> => {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
    await rm(dir, { recursive: true, force: true });
  };
  return { url: `redis://127.0.0.1:${port}`, stop, [Symbol.asyncDispose]: stop };
}
