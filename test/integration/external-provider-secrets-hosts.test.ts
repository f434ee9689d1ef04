/**
 * Link secrets with one provider on two hosts (issue 22): each host seals a link's secrets to the xkey of its own
 * provider process and sends it on that process's xkey subject, so neither process receives the other's box. (On the
 * provider id's subject, which every instance hears, each process got both boxes, could open only one, and dropped
 * the link's secrets on the other: calls answered by that instance had none.) Component calls are spread over both
 * instances by the queue group; every one must see the secret.
 */
import { dirname } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, invokeComponent } from '../../lattice/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import type { Host } from '../../host/index.ts';
import type { SecretsBackend } from '../../host/secrets/index.ts';
import {
  NatsServer,
  SECRET_HASH_PROVIDER,
  assertStartProvider,
  check,
  latticeFor,
  putSecretConfig,
  sha256Hex,
  startTestHost,
  startTestSecretsBackend,
  testCtl,
} from '../helpers/index.ts';

const lattice = latticeFor('extpsecretshosts');
const TOKEN = 'two-hosts-TOKEN-planted-b51d';
let ns: RunningNatsServer;
let nc: NatsConnection;
let backend: SecretsBackend;
const hosts: Host[] = [];
let ctl: Awaited<ReturnType<typeof testCtl>>;

beforeAll(async () => {
  ns = await NatsServer.start();
  nc = await connectNats({ url: ns.url });
  backend = await startTestSecretsBackend(nc);
  for (let i = 0; i < 2; i++)
    hosts.push(
      await startTestHost(ns.url, { lattice, runtime: false, allowProviderDirs: [dirname(SECRET_HASH_PROVIDER)] }),
    );
  ctl = await testCtl(ns.url, lattice);
  await putSecretConfig(nc, ctl, {
    key: 'hosts-token',
    value: TOKEN,
    allow: ['provider:sechash'],
    config: 'SECRET_tok',
    name: 'token',
  });
  for (const h of hosts) await assertStartProvider(ctl, h.id, `file://${SECRET_HASH_PROVIDER}`, 'sechash');
}, 90_000);

afterAll(async () => {
  await ctl?.[Symbol.asyncDispose]();
  for (const h of hosts) await h.stop();
  await backend?.stop();
  await nc?.close();
  await ns?.stop();
});

describe('external provider on two hosts - link secrets', () => {
  it('a link put after both started: every instance opens its own host’s box, every call sees the secret', async () => {
    await ctl.putLink({
      source_id: 'caller',
      target: 'sechash',
      name: 'default',
      wit_namespace: 'weft',
      wit_package: 'test',
      interfaces: ['secret'],
      source_config: [],
      target_config: ['SECRET_tok'],
    });
    const call = (): Promise<unknown> =>
      invokeComponent(nc, lattice, 'sechash', 'weft:test/secret.hash', ['token'], { sourceId: 'caller' });
    // the link reaches each host's instance on its own: wait until a run of calls, spread over both, all see it
    const allSee = async (): Promise<'ok' | undefined> => {
      for (let i = 0; i < 10; i++) if ((await call().catch(() => undefined)) !== sha256Hex(TOKEN)) return undefined;
      return 'ok';
    };
    expect(await check(allSee, 15_000)).toBe('ok');
    const answers = new Set<unknown>();
    for (let i = 0; i < 30; i++) answers.add(await call()); // the queue group spreads them over both instances
    expect([...answers]).toEqual([sha256Hex(TOKEN)]);
  });
});
