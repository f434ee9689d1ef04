import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../lattice/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import { NatsServer, check, latticeFor, runCli, spawnCli, waitForOutput } from '../helpers/index.ts';

let ns: RunningNatsServer;
beforeAll(async () => {
  ns = await NatsServer.start();
});
afterAll(async () => {
  await ns?.stop();
});

describe('new actor to running service, with weft commands only', () => {
  it('weft new / build / push / start / link - a scaffolded KV counter answers over HTTP on a secure host', async () => {
    const work = await mkdtemp(join(tmpdir(), 'weft-newbie-'));
    const env = { WEFT_HOME: join(work, 'home'), WEFT_KEYS_DIR: join(work, 'keys') };
    const lattice = latticeFor('newbie');
    const c = ['--nats-url', ns.url, '--lattice', lattice];
    const run = async (args: string[], cwd = work) => {
      const r = await runCli(args, { ...env, PWD: cwd }, 120_000, cwd);
      expect(r.code, `${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
      return r.stdout;
    };
    await run(['new', 'actor', 'counter', '--template', 'kv']); // TypeScript by default
    expect(existsSync(join(work, 'counter', 'src', 'index.ts'))).toBe(true);
    const built = await run(['build', '--cap', 'wasi:keyvalue', '--cap', 'wasi:http'], join(work, 'counter'));
    expect(built).toMatch(/built counter/);
    expect(built).toMatch(/engine: QuickJS \(componentize-qjs\) \(default\)/);
    expect(built).toMatch(/caps: wasi:keyvalue, wasi:http/);
    // unchanged: the up-to-date check answers before any bundling (and the output says so)
    const again = JSON.parse(
      await run(['build', '--cap', 'wasi:keyvalue', '--cap', 'wasi:http', '-o', 'json'], join(work, 'counter')),
    ) as { cached: boolean; upToDate: boolean; engine: string; bytes: number };
    expect(again).toMatchObject({ cached: true, upToDate: true, engine: 'quickjs' });
    expect(again.bytes).toBeLessThan(2_500_000);
    const host = spawnCli(['up', ...c, '-o', 'json'], env); // secure by default: no --allow-unsigned
    const exited = new Promise((r) => host.once('exit', r));
    try {
      await waitForOutput(host, (o) => o.includes('"host_id"'));
      await run(['push', join(work, 'counter', 'build', 'counter.wasm'), 'nats://artifacts/counter:0.1.0', ...c]);
      expect(
        await run(['start', 'component', 'nats://artifacts/counter:0.1.0', 'counter', '--max', '4', ...c]),
      ).toMatch(/scaled to 4/);
      await run(['start', 'provider', 'weft+builtin://http-server', 'http', ...c]);
      await run(['start', 'provider', 'weft+builtin://keyvalue-nats', 'kv', ...c]);
      const port = await freePort();
      await run(['config', 'put', 'http-cfg', `address=127.0.0.1:${port}`, ...c]);
      await run(['config', 'put', 'kv-cfg', `bucket=newbie_${lattice}`, ...c]);
      expect(
        await run([
          'link',
          'put',
          'http',
          'counter',
          'wasi',
          'http',
          '--interface',
          'incoming-handler',
          '--source-config',
          'http-cfg',
          ...c,
        ]),
      ).toMatch(/linked http → counter/);
      await run([
        'link',
        'put',
        'counter',
        'kv',
        'wasi',
        'keyvalue',
        '--interface',
        'store',
        '--interface',
        'atomics',
        '--target-config',
        'kv-cfg',
        ...c,
      ]);
      const get = async () =>
        (
          await (
            await check(() => fetch(`http://127.0.0.1:${port}/counter/hits`).catch(() => undefined), 10_000)
          ).text()
        ).trim();
      expect([await get(), await get(), await get()]).toEqual(['1', '2', '3']);
      const links = JSON.parse(await run(['get', 'links', ...c, '-o', 'json'])) as { links: unknown[] };
      expect(links.links).toHaveLength(2);
    } finally {
      host.kill('SIGTERM');
      await exited;
    }
  }, 180_000);
});
