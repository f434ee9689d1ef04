import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningNatsServer } from '../../lattice/index.ts';
import { NatsServer, check, fixtureRef, latticeFor, runCli, spawnCli, waitForOutput } from '../helpers/index.ts';

let ns: RunningNatsServer;
beforeAll(async () => {
  ns = await NatsServer.start();
});
afterAll(async () => {
  await ns?.stop();
});

describe('cli apps', () => {
  it('weft app validate / deploy / status / list / history / undeploy - against the controller in weft up', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'weft-app-'));
    const env = { WEFT_HOME: join(dir, 'home') };
    const lattice = latticeFor('cliapp');
    const c = ['--nats-url', ns.url, '--lattice', lattice];
    const file = join(dir, 'app.yaml');
    await writeFile(
      file,
      `apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata:\n  name: calc\n  annotations: { version: v1 }\nspec:\n  components:\n    - name: adder\n      type: component\n      properties: { image: '${fixtureRef('adder.component.wasm')}', id: adder }\n      traits:\n        - type: spreadscaler\n          properties: { instances: 2 }\n`,
    );
    await writeFile(
      join(dir, 'bad.yaml'),
      'apiVersion: core.oam.dev/v1beta1\nkind: App\nmetadata: { name: b }\nspec: { components: [] }\n',
    );
    const bad = await runCli(['app', 'validate', join(dir, 'bad.yaml'), ...c], env);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/kind \(line 2\): must be Application/);
    expect(bad.stdout).toMatch(/spec\.components.*at least one component/);
    const host = spawnCli(
      ['up', ...c, '--allow-file-load', '--allow-unsigned', '--heartbeat-interval', '1', '-o', 'json'],
      env,
    );
    const exited = new Promise((r) => host.once('exit', r));
    try {
      await waitForOutput(host, (o) => o.includes('"host_id"'));
      const dep = await runCli(['app', 'deploy', file, ...c], env);
      expect(dep.code, dep.stderr).toBe(0);
      await check(async () => (await runCli(['app', 'status', 'calc', ...c], env)).stdout.includes('deployed'), 20_000);
      const list = JSON.parse((await runCli(['app', 'list', ...c, '-o', 'json'], env)).stdout) as {
        models: { name: string; status: string }[];
      };
      expect(list.models).toEqual([expect.objectContaining({ name: 'calc', status: 'deployed' })]);
      expect((await runCli(['call', 'adder', 'docs:adder/add.add', '20', '22', ...c], env)).stdout.trim()).toBe('42');
      expect((await runCli(['app', 'history', 'calc', ...c], env)).stdout).toMatch(/v1\s+yes/);
      expect((await runCli(['app', 'undeploy', 'calc', ...c], env)).code).toBe(0);
      await check(
        async () =>
          JSON.parse((await runCli(['get', 'inventory', ...c, '-o', 'json'], env)).stdout).inventories[0].components
            .length === 0,
        20_000,
      );
    } finally {
      host.kill('SIGTERM');
      await exited;
    }
  }, 90_000);
});
