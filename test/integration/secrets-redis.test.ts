/**
 * The built-in keyvalue-redis provider takes its Redis password from a secret: a real redis-server started with
 * `--requirepass`, the password stored in the built-in backend (allowed to `provider:redis` only), a link whose
 * target config names `SECRET_redis`. Without the secret the same link is refused by Redis (NOAUTH).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats } from '../../lattice/index.ts';
import type { Link, RunningNatsServer } from '../../lattice/index.ts';
import { DEFAULT_SECRETS_TOPIC, encodeSecretReference, putSecret } from '../../lattice/secrets/index.ts';
import type { Host } from '../../host/index.ts';
import type { SecretsBackend } from '../../host/secrets/index.ts';
import { kvProbeComponent } from '../fixtures/wat/build-kv-probe.ts';
import {
  NatsServer,
  assertScaleComponent,
  assertStartProvider,
  captureLogger,
  startTestSecretsBackend,
  check,
  latticeFor,
  startRedis,
  startTestHost,
  testCtl,
} from '../helpers/index.ts';
import type { RunningRedis } from '../helpers/index.ts';

const lattice = latticeFor('secretsredis');
const PASSWORD = 'r3dis-PW-planted-91c2';
let ns: RunningNatsServer;
let nc: NatsConnection;
let redis: RunningRedis;
let backend: SecretsBackend;
let host: Host;
let ctl: Awaited<ReturnType<typeof testCtl>>;
const hostLog = captureLogger('debug');

const link = (source: string, target_config: string[]): Link => ({
  source_id: source,
  target: 'redis',
  name: 'default',
  wit_namespace: 'wasi',
  wit_package: 'keyvalue',
  interfaces: ['store'],
  source_config: [],
  target_config,
});
const probe = (id: string, op: string, ...args: string[]): Promise<string> =>
  ctl.invoke(id, `kv-${op}`, args) as Promise<string>;

beforeAll(async () => {
  ns = await NatsServer.start();
  nc = await connectNats({ url: ns.url });
  redis = await startRedis({ password: PASSWORD });
  backend = await startTestSecretsBackend(nc);
  host = await startTestHost(ns.url, { lattice, logger: hostLog.logger });
  ctl = await testCtl(ns.url, lattice);
  const dir = await mkdtemp(join(tmpdir(), 'weft-kv-probe-'));
  await writeFile(join(dir, 'kv-probe.wasm'), await kvProbeComponent());
  const ref = `file://${join(dir, 'kv-probe.wasm')}`;
  await putSecret(
    nc,
    { topic: DEFAULT_SECRETS_TOPIC, backend: 'weft' },
    { name: 'redis-pw', value: PASSWORD, allow: ['provider:redis'] },
  );
  await ctl.putConfig('redis-cfg', { URL: redis.url });
  await ctl.putConfig(
    'SECRET_redis',
    encodeSecretReference({ name: 'password', backend: 'weft', key: 'redis-pw', policy: '' }),
  );
  await assertStartProvider(ctl, host.id, 'weft+builtin://keyvalue-redis', 'redis');
  for (const id of ['with-secret', 'without'])
    await assertScaleComponent(ctl, { host_id: host.id, component_ref: ref, component_id: id, count: 1 });
  await ctl.putLink(link('with-secret', ['redis-cfg', 'SECRET_redis']));
  await ctl.putLink(link('without', ['redis-cfg']));
  await check(() => host.links.all().length === 2 || undefined);
}, 60_000);

afterAll(async () => {
  await ctl?.[Symbol.asyncDispose]();
  await host?.stop();
  await backend?.stop();
  await nc?.close();
  await redis?.stop();
  await ns?.stop();
});

describe('keyvalue-redis with its password from a secret', () => {
  it('authenticates with the secret and stores through the link', async () => {
    expect(await probe('with-secret', 'set', 'default', 'k', 'v1')).toBe('ok');
    expect(await probe('with-secret', 'get', 'default', 'k')).toBe('val:v1');
  });

  it('the same Redis refuses the link without the secret, and nothing logged the password', async () => {
    expect(await probe('without', 'set', 'default', 'k', 'v')).toMatch(/^err:other:NOAUTH/);
    expect(JSON.stringify(hostLog.lines)).not.toContain(PASSWORD);
    // the reference is what config get shows: no value
    expect(JSON.stringify(await ctl.getConfig('SECRET_redis'))).not.toContain(PASSWORD);
  });
});
