/**
 * Link secrets with one provider on two hosts (issue 22): each host seals a link's secrets to the xkey of its own
 * provider process and sends it on that process's xkey subject, so neither process receives the other's box. (On the
 * provider id's subject, which every instance hears, each process got both boxes, could open only one, and dropped
 * the link's secrets on the other: calls answered by that instance had none.) Component calls are spread over both
 * instances by the queue group; every one must see the secret.
 */
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, invokeComponent } from '../../lattice/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import { DEFAULT_SECRETS_TOPIC, encodeSecretReference, newXkey, putSecret } from '../../lattice/secrets/index.ts';
import type { Host } from '../../host/index.ts';
import { SecretsBackend } from '../../host/secrets/index.ts';
import {
  NatsServer,
  assertStartProvider,
  captureLogger,
  check,
  latticeFor,
  startTestHost,
  testCtl,
} from '../helpers/index.ts';

const MAIN = fileURLToPath(new URL('../fixtures/providers/secret-hash.ts', import.meta.url));
const lattice = latticeFor('extpsecretshosts');
const TOKEN = 'two-hosts-TOKEN-planted-b51d';
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
let ns: RunningNatsServer;
let nc: NatsConnection;
let backend: SecretsBackend;
const hosts: Host[] = [];
let ctl: Awaited<ReturnType<typeof testCtl>>;

beforeAll(async () => {
  ns = await NatsServer.start();
  nc = await connectNats({ url: ns.url });
  backend = await SecretsBackend.start({
    nc,
    topic: DEFAULT_SECRETS_TOPIC,
    backend: 'weft',
    xkey: newXkey(),
    logger: captureLogger().logger,
  });
  for (let i = 0; i < 2; i++)
    hosts.push(await startTestHost(ns.url, { lattice, runtime: false, allowProviderDirs: [dirname(MAIN)] }));
  ctl = await testCtl(ns.url, lattice);
  await putSecret(
    nc,
    { topic: DEFAULT_SECRETS_TOPIC, backend: 'weft' },
    { name: 'hosts-token', value: TOKEN, allow: ['provider:sechash'] },
  );
  await ctl.putConfig(
    'SECRET_tok',
    encodeSecretReference({ name: 'token', backend: 'weft', key: 'hosts-token', policy: '' }),
  );
  for (const h of hosts) await assertStartProvider(ctl, h.id, `file://${MAIN}`, 'sechash');
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
    expect(
      await check(async () => ((await call().catch(() => undefined)) === sha(TOKEN) ? 'ok' : undefined), 15_000),
    ).toBe('ok');
    const answers = new Set<unknown>();
    for (let i = 0; i < 30; i++) answers.add(await call()); // the queue group spreads them over both instances
    expect([...answers]).toEqual([sha(TOKEN)]);
  });
});
