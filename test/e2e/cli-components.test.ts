import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningNatsServer } from '../../lattice/index.ts';
import { NatsServer, fixture, fixtureRef, latticeFor, runCli, spawnCli, waitForOutput } from '../helpers/index.ts';

let ns: RunningNatsServer;
beforeAll(async () => {
  ns = await NatsServer.start();
});
afterAll(async () => {
  await ns?.stop();
});

describe('cli components', () => {
  it('weft push / start / call / scale / stop component - adder through the CLI', async () => {
    const lattice = latticeFor('cli_comp');
    const home = await mkdtemp(join(tmpdir(), 'weft-home-'));
    const env = { WEFT_HOME: home };
    const host = spawnCli(
      ['up', '--nats-url', ns.url, '--lattice', lattice, '--allow-file-load', '--allow-unsigned', '-o', 'json'],
      env,
    );
    const exited = new Promise<number | null>((r) => host.once('exit', (c) => r(c)));
    const hostId = (JSON.parse(await waitForOutput(host, (o) => o.includes('"host_id"'))) as { host_id: string })
      .host_id;
    const c = ['--nats-url', ns.url, '--lattice', lattice];
    try {
      const push = await runCli(
        ['push', fixture('adder.component.wasm'), 'nats://artifacts/adder:0.1.0', ...c, '-o', 'json'],
        env,
      );
      expect(push.code, push.stderr).toBe(0);
      const pulled = join(home, 'pulled.wasm');
      expect((await runCli(['pull', 'nats://artifacts/adder:0.1.0', pulled, ...c], env)).code).toBe(0);
      expect(Buffer.compare(await readFile(pulled), await readFile(fixture('adder.component.wasm')))).toBe(0);
      const notWasm = await runCli(['push', join(home, '..', 'nope.txt'), 'nats://artifacts/x:1', ...c], env);
      expect(notWasm.code).not.toBe(0);
      expect(notWasm.stderr).toMatch(/^error \[/);

      const start = await runCli(
        ['start', 'component', 'nats://artifacts/adder:0.1.0', 'adder', ...c, '-o', 'json'],
        env,
      );
      expect(start.code, start.stderr).toBe(0);
      expect(JSON.parse(start.stdout)).toMatchObject({
        success: true,
        component_id: 'adder',
        host_id: hostId,
        max_instances: 1,
      });
      const call = await runCli(['call', 'adder', 'docs:adder/add.add', '2', '3', ...c], env);
      expect(call.code, call.stderr).toBe(0);
      expect(call.stdout.trim()).toBe('5');

      const scaled = await runCli(
        ['scale', 'component', hostId, 'nats://artifacts/adder:0.1.0', 'adder', '--max', '5', ...c],
        env,
      );
      expect(scaled.code, scaled.stderr).toBe(0);
      expect(scaled.stdout).toMatch(/scaled to 5/);
      const bad = await runCli(
        ['scale', 'component', hostId, fixtureRef('echo_messaging_v0.9.0.wasm'), 'echo', ...c],
        env,
      );
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/core Wasm module/);
      const noExport = await runCli(['call', 'adder', 'docs:adder/add.sub', '1', '2', ...c], env);
      expect(noExport.code).not.toBe(0);
      expect(noExport.stderr).toMatch(/\[COMP_NO_SUCH_EXPORT\]/);

      const stop = await runCli(['stop', 'component', 'adder', ...c], env);
      expect(stop.code, stop.stderr).toBe(0);
      const inv = JSON.parse((await runCli(['get', 'inventory', hostId, ...c, '-o', 'json'], env)).stdout) as {
        components: unknown[];
      };
      expect(inv.components).toEqual([]);
    } finally {
      host.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
