/**
 * The NATS users `weft up` gives providers (audit L10), as hosts use them: a real nats-server configured the way
 * `weft up` starts it, and hosts (in-process and `weft up` processes) whose external keyvalue-nats process and
 * built-in messaging-nats connect as the provider and messaging users. The users' permissions themselves are in
 * nats-identities.test.ts.
 */
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, CtlClient, freePort, nkeyUserFile } from '../../lattice/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import {
  actorRef,
  captureLogger,
  linkKvCounter,
  assertScaleComponent,
  assertStartProvider,
  check,
  runCli,
  spawnCli,
  startTestHost,
  waitForOutput,
} from '../helpers/index.ts';
import { startIdentitiesServer } from './nats-identities-server.ts';
import type { User } from './nats-identities-server.ts';

const LATTICE = 'x';
const KV_MAIN = fileURLToPath(new URL('../../capabilities/keyvalue-nats/main.ts', import.meta.url));
let ns: RunningNatsServer;
let monitor: number;
let host: User, provider: User, messaging: User;
const open: NatsConnection[] = [];

let ids: Awaited<ReturnType<typeof startIdentitiesServer>> | undefined;
beforeAll(async () => {
  ids = await startIdentitiesServer(LATTICE, 'weft-nats-ids-host-');
  ({ ns, monitor, host, provider, messaging } = ids);
}, 30_000);
afterAll(() => ids?.stop(open));

/** The server's connections, each with the nkey it authenticated with (the monitoring endpoint). */
const conns = async () =>
  (
    (await (await fetch(`http://127.0.0.1:${monitor}/connz?auth=true&limit=1000`)).json()) as {
      connections: { name?: string; authorized_user?: string; nkey?: string }[];
    }
  ).connections;

describe('NATS identities of providers, as hosts use them (weft up with nkey auth)', () => {
  it('a host given the users - its external keyvalue-nats process and built-in messaging-nats connect as them, and the KV counter works', async () => {
    const cap = captureLogger();
    const host1 = await startTestHost(ns.url, {
      lattice: LATTICE,
      logger: cap.logger,
      nats: { url: ns.url, seed: host.seed },
      providerUsers: { provider: provider.seed, messaging: messaging.seed },
      allowProviderDirs: [dirname(KV_MAIN)],
    });
    try {
      const ctlNc = await connectNats({ url: ns.url, seed: host.seed });
      open.push(ctlNc);
      const ctl = new CtlClient(ctlNc, { lattice: LATTICE });
      await assertStartProvider(ctl, host1.id, 'weft+builtin://http-server', 'http');
      await assertStartProvider(ctl, host1.id, `file://${KV_MAIN}`, 'kv');
      await assertStartProvider(ctl, host1.id, 'weft+builtin://messaging-nats', 'msg');
      await assertScaleComponent(ctl, {
        host_id: host1.id,
        component_ref: await actorRef('kv-counter'),
        component_id: 'counter',
        count: 1,
      });
      const { get } = await linkKvCounter(ctl, 'kv');
      await ctl.putLink({
        source_id: 'counter',
        target: 'msg',
        name: 'default',
        wit_namespace: 'wasmcloud',
        wit_package: 'messaging',
        interfaces: ['consumer'],
        source_config: [],
        target_config: [],
      });
      await check(async () => (await get()) === '200 1', 15_000);
      expect(await get()).toBe('200 2');
      // the monitoring endpoint names each connection's nkey
      const nkeyOf = (c: { authorized_user?: string; nkey?: string }) => c.nkey ?? c.authorized_user;
      const kvConn = await check(async () => (await conns()).find((c) => c.name === 'weft-provider-kv'), 10_000);
      expect(nkeyOf(kvConn)).toBe(provider.publicKey);
      const msgConn = await check(
        async () => (await conns()).find((c) => c.name === 'weft-messaging-nats-msg'),
        10_000,
      );
      expect(nkeyOf(msgConn)).toBe(messaging.publicKey);
      // a subscription the messaging user may not have is refused by NATS, logged, and delivers nothing
      await ctl.putConfig('subs', { SUBSCRIPTIONS: `wasmbus.evt.${LATTICE}.>` });
      await ctl.putLink({
        source_id: 'msg',
        target: 'counter',
        name: 'default',
        wit_namespace: 'wasmcloud',
        wit_package: 'messaging',
        interfaces: ['handler'],
        source_config: ['subs'],
        target_config: [],
      });
      await check(
        () =>
          cap.lines.find(
            (l) =>
              l['msg'] === 'messaging subscription refused by NATS; fix SUBSCRIPTIONS' &&
              /Permissions Violation/i.test(String(l['err'])),
          ),
        10_000,
      );
      expect(cap.lines.filter((l) => l['msg'] === 'message delivery failed')).toEqual([]);
      expect(cap.lines.find((l) => /providers share this host's NATS identity/.test(String(l['msg'])))).toBeUndefined();
      const hostConn = (await conns()).find((c) => c.name === 'weft-host');
      expect(hostConn && nkeyOf(hostConn)).toBe(host.publicKey);
    } finally {
      await host1.stop();
    }
  }, 120_000);

  it('weft up on a weft home of an older version (only nats/user.seed) - makes the two users, and an external keyvalue-nats serves the KV counter', async () => {
    const home = await mkdtemp(join(tmpdir(), 'weft-home-old-'));
    const env = { WEFT_HOME: home };
    try {
      const hostUser = await nkeyUserFile(join(home, 'nats', 'user.seed'));
      const port = await freePort();
      const up = await runCli(
        [
          'up',
          '-d',
          '--nats-port',
          String(port),
          '--lattice',
          'l10',
          '--allow-provider-dir',
          dirname(KV_MAIN),
          '--allow-file-load',
          '--allow-unsigned',
          '-o',
          'json',
        ],
        env,
      );
      expect(up.code, up.stderr).toBe(0);
      const url = `nats://127.0.0.1:${port}`;
      for (const n of ['provider', 'messaging'])
        expect(statSync(join(home, 'nats', `${n}.seed`)).mode & 0o777).toBe(0o600);
      expect(await nkeyUserFile(join(home, 'nats', 'user.seed'))).toEqual(hostUser);
      const ctlNc = await connectNats({ url, seed: hostUser.seed });
      open.push(ctlNc);
      const ctl = new CtlClient(ctlNc, { lattice: 'l10' });
      const hostId = (JSON.parse(up.stdout) as { host_id: string }).host_id;
      await assertStartProvider(ctl, hostId, 'weft+builtin://http-server', 'http');
      await assertStartProvider(ctl, hostId, `file://${KV_MAIN}`, 'kv');
      await assertScaleComponent(ctl, {
        host_id: hostId,
        component_ref: await actorRef('kv-counter'),
        component_id: 'counter',
        count: 1,
      });
      const { get } = await linkKvCounter(ctl, 'kv');
      await check(async () => (await get()) === '200 1', 15_000);
      expect(await get()).toBe('200 2');
      // the provider user really is restricted on this server
      const p = await connectNats({ url, seed: (await nkeyUserFile(join(home, 'nats', 'provider.seed'))).seed });
      open.push(p);
      await expect(
        p.request('$JS.API.STREAM.DELETE.KV_LATTICEDATA_l10', '', { timeout: 2000, noMux: true }),
      ).rejects.toThrow(/Permissions Violation/i);
    } finally {
      const down = await runCli(['down', '-o', 'json'], env);
      expect(down.code, down.stderr).toBe(0);
      await rm(home, { recursive: true, force: true });
    }
  }, 120_000);

  it('weft up --nats-url with WEFT_PROVIDER_NATS_SEED / WEFT_MESSAGING_NATS_SEED - its external provider connects as the provider user; one flag alone is a usage error', async () => {
    const home = await mkdtemp(join(tmpdir(), 'weft-home-ext-'));
    const env = {
      WEFT_HOME: home,
      WEFT_NATS_SEED: host.seed,
      WEFT_PROVIDER_NATS_SEED: provider.seed,
      WEFT_MESSAGING_NATS_SEED: messaging.seed,
    };
    const child = spawnCli(
      [
        'up',
        '--nats-url',
        ns.url,
        '--lattice',
        LATTICE,
        '--allow-provider-dir',
        dirname(KV_MAIN),
        '--no-controller',
        '-o',
        'json',
      ],
      env,
    );
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    try {
      const hostId = (JSON.parse(await waitForOutput(child, (o) => o.includes('"host_id"'))) as { host_id: string })
        .host_id;
      const ctlNc = await connectNats({ url: ns.url, seed: host.seed });
      open.push(ctlNc);
      await assertStartProvider(new CtlClient(ctlNc, { lattice: LATTICE }), hostId, `file://${KV_MAIN}`, 'kv2');
      const kvConn = await check(async () => (await conns()).find((c) => c.name === 'weft-provider-kv2'), 10_000);
      expect(kvConn.nkey ?? kvConn.authorized_user).toBe(provider.publicKey);
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    const alone = await runCli(['up', '--nats-url', ns.url, '-o', 'json'], {
      WEFT_HOME: home,
      WEFT_NATS_SEED: host.seed,
      WEFT_PROVIDER_NATS_SEED: provider.seed,
    });
    expect(alone.code).not.toBe(0);
    expect(alone.stderr).toMatch(/--provider-nats-seed and --messaging-nats-seed go together/);
    await rm(home, { recursive: true, force: true });
  }, 60_000);
});
