import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../lattice/index.ts';
import {
  NatsServer,
  assertScaleComponent,
  check,
  fixtureRef,
  latticeFor,
  spawnCli,
  testCtl,
  waitForOutput,
} from '../helpers/index.ts';

describe('leaf node', () => {
  it("weft up --nats-remote-url - a host on a leaf nats-server joins the hub's lattice and serves calls from it", async () => {
    const leafPort = await freePort();
    await using hub = await NatsServer.start({
      jsDomain: 'hub',
      extraConfig: `leafnodes { listen: "127.0.0.1:${leafPort}" }`,
    });
    const home = await mkdtemp(join(tmpdir(), 'weft-leaf-'));
    const lattice = latticeFor('leaf');
    const localPort = await freePort();
    const child = spawnCli(
      [
        'up',
        '--nats-port',
        String(localPort),
        '--nats-remote-url',
        `nats-leaf://127.0.0.1:${leafPort}`,
        '--js-domain',
        'edge',
        '--lattice',
        lattice,
        '-l',
        'site=edge',
        '--allow-file-load',
        '--allow-unsigned',
        '--no-controller',
        '-o',
        'json',
      ],
      { WEFT_HOME: home },
    );
    let log = '';
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    try {
      const out = await waitForOutput(child, (o) => o.includes('"host_id"'), 60_000).catch((err: unknown) => {
        throw new Error(`${String(err)}\n${log}`);
      });
      const hostId = (JSON.parse(out.slice(out.indexOf('{'))) as { host_id: string }).host_id;
      // seen from the hub: the leaf host answers ping, takes a scale and serves a call
      await using ctl = await testCtl(hub.url, lattice);
      const hosts = await check(async () => (await ctl.getHosts()).filter((h) => h.id === hostId), 20_000);
      expect(hosts[0]?.labels).toMatchObject({ site: 'edge' });
      await assertScaleComponent(ctl, {
        host_id: hostId,
        component_ref: fixtureRef('adder.component.wasm'),
        component_id: 'adder',
        count: 1,
      });
      expect(await ctl.invoke('adder', 'docs:adder/add.add', [2, 3])).toBe(5);
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
      await rm(home, { recursive: true, force: true });
    }
  }, 120_000);
});
