import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { encodeHostData } from '../../capabilities/sdk/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awaitProviderReady, connectNats } from '../../lattice/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import {
  EventRecorder,
  NatsServer,
  actorRef,
  assertScaleComponent,
  assertStartProvider,
  check,
  linkKvCounter,
  latticeFor,
  startTestHost,
  testCtl,
} from '../helpers/index.ts';

const MAIN = fileURLToPath(new URL('../../capabilities/keyvalue-memory/main.ts', import.meta.url));
let ns: RunningNatsServer;
let counterRef: string;
beforeAll(async () => {
  ns = await NatsServer.start();
  counterRef = await actorRef('kv-counter');
}, 180_000);
afterAll(async () => {
  await ns?.stop();
});

describe('external providers', () => {
  it('external provider - runs as a child process, serves the KV counter over NATS, is restarted after kill -9, stops cleanly', async () => {
    const lattice = latticeFor('extp');
    const host = await startTestHost(ns.url, {
      lattice,
      providerHealthIntervalMs: 300,
      allowProviderDirs: [dirname(MAIN)],
    });
    await using ctl = await testCtl(ns.url, lattice);
    const rec = await EventRecorder.start(ctl);
    await assertStartProvider(ctl, host.id, 'weft+builtin://http-server', 'http');
    await assertStartProvider(ctl, host.id, `file://${MAIN}`, 'memkv');
    const pid = host.providers.pidOf('memkv');
    expect(pid).toBeGreaterThan(0);
    await assertScaleComponent(ctl, { host_id: host.id, component_ref: counterRef, component_id: 'counter', count: 2 });
    const { get } = await linkKvCounter(ctl, 'memkv');
    await check(async () => (await get()) === '200 1', 10_000);
    expect(await get()).toBe('200 2');
    await rec.waitFor('health_check_passed', (e) => e.data['provider_id'] === 'memkv', 10_000);
    process.kill(pid!, 'SIGKILL');
    // restarted with a new pid; links re-sent; state was in the dead process's memory
    await check(() => (host.providers.pidOf('memkv') ?? pid) !== pid, 15_000);
    expect(await check(async () => ((await get()) === '200 1' ? 'ok' : undefined), 15_000)).toBe('ok');
    const newPid = host.providers.pidOf('memkv')!;
    const exited = new Promise((r) => {
      const t = setInterval(() => {
        try {
          process.kill(newPid, 0);
        } catch {
          clearInterval(t);
          r(true);
        }
      }, 50);
    });
    await ctl.stopProvider({ host_id: host.id, provider_id: 'memkv' });
    await rec.waitFor('provider_stopped', (e) => e.data['provider_id'] === 'memkv');
    expect(await exited).toBe(true);
    rec.stop();
    await host.stop();
  }, 60_000);

  it('external provider - reports ready over NATS for its instance, and exits by itself when the host that started it dies (its stdin closes)', async () => {
    const lattice = latticeFor('orphan');
    const nc = await connectNats({ url: ns.url });
    const instance = randomUUID();
    const wait = await awaitProviderReady(nc, {
      lattice,
      providerId: 'memkv',
      instanceId: instance,
      hostId: 'HGONE',
      timeoutMs: 20_000,
    });
    const child = spawn(process.execPath, [MAIN], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // 'close', not 'exit': the child's last stderr lines can arrive after its 'exit' event
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    const hd = {
      host_id: 'HGONE',
      lattice_rpc_prefix: lattice,
      lattice_rpc_url: ns.url,
      provider_key: 'memkv',
      instance_id: instance,
      link_name: 'default',
      config: {},
      link_definitions: [],
      default_rpc_timeout_ms: 2000,
      log_level: 'info',
    };
    child.stdin.write(encodeHostData(hd));
    await wait.ready;
    expect(child.exitCode).toBeNull(); // stdin still open: the host is alive, the provider serves
    child.stdin.end(); // what the kernel does when the host process dies
    expect(await exited).toBe(0);
    expect(err).toMatch(/host that started this provider is gone/);
    await nc.close();
  }, 30_000);

  it('hostile - malformed HostData on stdin: the process exits non-zero naming the field, without echoing the seed', async () => {
    const seed = 'SUAHOSTILESEEDVALUETHATMUSTNEVERBEPRINTED0123456789ABCDEFGH';
    const lines = [
      'not base64 at all!\n',
      Buffer.from(`{"lattice_rpc_user_seed":"${seed}"`).toString('base64') + '\n',
      encodeHostData({
        host_id: 'H',
        lattice_rpc_prefix: 'l',
        lattice_rpc_url: ns.url,
        lattice_rpc_user_seed: seed,
        provider_key: 'bad.*',
        instance_id: 'i',
        link_name: 'default',
        config: {},
        link_definitions: [],
        default_rpc_timeout_ms: 2000,
        log_level: 'info',
      }),
    ];
    // the three processes run at once: each loads the SDK, which takes seconds on a loaded machine
    await Promise.all(
      lines.map(async (line) => {
        const child = spawn(process.execPath, [MAIN], { stdio: ['pipe', 'ignore', 'pipe'] });
        let err = '';
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        const code = await new Promise<number | null>((resolve) => {
          child.once('close', (c) => resolve(c)); // after its stderr is read to the end
          child.stdin.write(line);
        });
        expect(code).not.toBe(0);
        expect(err).toMatch(/LAT_BAD_PAYLOAD\] HostData/);
        expect(err).not.toContain(seed.slice(0, 16));
      }),
    );
  }, 90_000);
});
