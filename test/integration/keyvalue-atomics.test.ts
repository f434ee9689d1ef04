import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats } from '../../lattice/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import type { NatsConnection } from '@nats-io/transport-node';
import { NatsKvProvider } from '../../capabilities/keyvalue-nats/index.ts';
import type { ProviderContext, ResolvedLink } from '../../capabilities/sdk/index.ts';
import { NatsServer } from '../helpers/index.ts';

let ns: RunningNatsServer;
const conns: NatsConnection[] = [];
beforeAll(async () => {
  ns = await NatsServer.start();
});
afterAll(async () => {
  for (const nc of conns) await nc.close();
  await ns?.stop();
});

/** A provider as one host would run it, on its own connection. */
async function provider(): Promise<NatsKvProvider> {
  const nc = await connectNats({ url: ns.url });
  conns.push(nc);
  const p = new NatsKvProvider();
  const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
  p.init({
    providerId: 'kv',
    hostId: 'H',
    lattice: 'l',
    nc,
    config: {},
    log,
    invoke: () => Promise.resolve(),
  } as unknown as ProviderContext);
  return p;
}
const link = {
  source_id: 'c',
  target: 'kv',
  name: 'default',
  wit_namespace: 'wasi',
  wit_package: 'keyvalue',
  interfaces: ['atomics'],
  source_config: [],
  target_config: ['k'],
  source_config_values: {},
  target_config_values: { bucket: 'atomics_test' },
} as ResolvedLink;
const inc = (p: NatsKvProvider, key: string): Promise<number> =>
  p.handleImport('c', link, 'wasi:keyvalue/atomics', 'increment', ['atomics_test', key, 1]) as Promise<number>;

describe('keyvalue-nats atomics', () => {
  it('increment stays atomic with two hosts incrementing one key at once: every result distinct, none lost', async () => {
    const [a, b] = [await provider(), await provider()];
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => inc(i % 2 ? a : b, 'hot')));
    expect(new Set(results).size).toBe(200);
    expect(Math.max(...results)).toBe(200);
    // another writer in between (a set through b): a's next increment starts from it, not from what a wrote last
    await b.handleImport('c', link, 'wasi:keyvalue/store', '[method]bucket.set', [
      'atomics_test',
      'hot',
      new TextEncoder().encode('1000'),
    ]);
    expect(await inc(a, 'hot')).toBe(1001);
    expect(await inc(b, 'hot')).toBe(1002);
  });
});
