import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../lattice/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import {
  EventRecorder,
  NatsServer,
  check,
  latticeFor,
  runCli,
  spawnCli,
  testCtl,
  waitForOutput,
} from '../helpers/index.ts';

let ns: RunningNatsServer;
let home: string;
beforeAll(async () => {
  ns = await NatsServer.start();
  home = await mkdtemp(join(tmpdir(), 'weft-home-'));
});
afterAll(async () => {
  await ns?.stop();
  await rm(home, { recursive: true, force: true });
});

describe('cli host', () => {
  it('weft up - SIGTERM publishes host_stopped and exits 0', async () => {
    const lattice = latticeFor('sigterm');
    await using ctl = await testCtl(ns.url, lattice);
    const rec = await EventRecorder.start(ctl);
    const child = spawnCli(['up', '--nats-url', ns.url, '--lattice', lattice, '-l', 'role=edge', '-o', 'json'], {
      WEFT_HOME: home,
    });
    const out = await waitForOutput(child, (o) => o.includes('"host_id"'));
    const hostId = (JSON.parse(out) as { host_id: string }).host_id;
    expect(hostId).toMatch(/^N/);

    const res = await runCli(['get', 'hosts', '-o', 'json', '--nats-url', ns.url, '--lattice', lattice]);
    expect(res.code).toBe(0);
    const { hosts } = JSON.parse(res.stdout) as { hosts: Record<string, unknown>[] };
    expect(hosts).toHaveLength(1);
    expect(hosts[0]).toMatchObject({ id: hostId, lattice, labels: { role: 'edge' } });
    for (const k of ['friendly_name', 'version', 'uptime_seconds', 'uptime_human']) expect(hosts[0]).toHaveProperty(k);

    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    child.kill('SIGTERM');
    await rec.waitFor('host_stopped', (e) => e.source === hostId);
    expect(await exited).toBe(0);
    rec.stop();
  });

  it('weft up -d / down - starts its own nats-server in the background and stops it', async () => {
    const port = await freePort();
    const env = { WEFT_HOME: home };
    const up = await runCli(['up', '-d', '--nats-port', String(port), '-o', 'json'], env);
    expect(up.code, up.stderr).toBe(0);
    const state = JSON.parse(up.stdout) as { host_id: string; nats_url: string; pid: number };
    try {
      expect(state.nats_url).toBe(`nats://127.0.0.1:${port}`);
      // the local nats-server requires the nkey that `weft up` made; without it the connection is refused
      const anon = await runCli(['get', 'hosts', '--nats-url', state.nats_url], { WEFT_HOME: `${home}-other` });
      expect(anon.code).toBe(3);
      expect(anon.stderr).toMatch(/LAT_CONNECT/);
      const hosts = await runCli(['get', 'hosts', '-o', 'json', '--nats-url', state.nats_url], env);
      expect((JSON.parse(hosts.stdout) as { hosts: { id: string }[] }).hosts.map((h) => h.id)).toEqual([state.host_id]);
    } finally {
      const down = await runCli(['down', '-o', 'json'], env);
      expect(down.code, down.stderr).toBe(0);
    }
    await check(
      async () => (await runCli(['get', 'hosts', '--nats-url', state.nats_url, '--timeout-ms', '300'], env)).code === 3,
    );
  });

  it('cli errors - unreachable NATS gives one coded line with a hint and exit code 3', async () => {
    const port = await freePort();
    const res = await runCli(['get', 'hosts', '--nats-url', `nats://127.0.0.1:${port}`]);
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/^error \[LAT_CONNECT\] /);
    expect(res.stderr).toMatch(/hint: /);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('weft label / config - talk through the ctl client and print JSON', async () => {
    const lattice = latticeFor('cli_label');
    const child = spawnCli(['up', '--nats-url', ns.url, '--lattice', lattice, '-o', 'json'], {
      WEFT_HOME: await mkdtemp(join(tmpdir(), 'weft-h-')),
    });
    const out = await waitForOutput(child, (o) => o.includes('"host_id"'));
    const hostId = (JSON.parse(out) as { host_id: string }).host_id;
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    const common = ['--nats-url', ns.url, '--lattice', lattice, '-o', 'json'];
    expect((await runCli(['label', hostId.slice(0, 8), 'zone=eu,tier=1', ...common])).code).toBe(0);
    const inv = await runCli(['get', 'inventory', hostId, ...common]);
    expect(JSON.parse(inv.stdout)).toMatchObject({ host_id: hostId, labels: { zone: 'eu', tier: '1' } });
    expect((await runCli(['config', 'put', 'kv', 'bucket=counters', ...common])).code).toBe(0);
    expect(JSON.parse((await runCli(['config', 'get', 'kv', ...common])).stdout)).toEqual({ bucket: 'counters' });
    const refused = await runCli(['label', hostId, 'hostcore.os=x', ...common]);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/\[LAT_REFUSED\].*reserved/);
    const stop = await runCli(['stop', 'host', hostId, ...common]);
    expect(stop.code, stop.stderr).toBe(0);
    expect(await exited).toBe(0);
  });
});

describe('cli contexts', () => {
  it('weft ctx - a context supplies lattice and NATS URL; flags and env override it', async () => {
    const env = { WEFT_HOME: await mkdtemp(join(tmpdir(), 'weft-ctx-')) };
    const lattice = latticeFor('ctx');
    expect((await runCli(['ctx', 'new', 'local', '--nats-url', ns.url, '--lattice', lattice, '--use'], env)).code).toBe(
      0,
    );
    const host = spawnCli(['up', '--nats-url', ns.url, '--lattice', lattice, '-o', 'json'], env);
    const exited = new Promise((r) => host.once('exit', r));
    try {
      const id = (JSON.parse(await waitForOutput(host, (o) => o.includes('"host_id"'))) as { host_id: string }).host_id;
      const viaCtx = JSON.parse((await runCli(['get', 'hosts', '-o', 'json'], env)).stdout) as {
        hosts: { id: string }[];
      };
      expect(viaCtx.hosts.map((h) => h.id)).toEqual([id]);
      const other = JSON.parse(
        (await runCli(['get', 'hosts', '-o', 'json', '--lattice', `${lattice}_x`], env)).stdout,
      ) as { hosts: unknown[] };
      expect(other.hosts).toEqual([]);
      const list = JSON.parse((await runCli(['ctx', 'list', '-o', 'json'], env)).stdout) as { current: string };
      expect(list.current).toBe('local');
    } finally {
      host.kill('SIGTERM');
      await exited;
    }
  });
});
