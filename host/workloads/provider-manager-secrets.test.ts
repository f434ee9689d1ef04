/**
 * A provider's own secrets (wasmCloud's HostData `secrets`): the `SECRET_…` names among the configs of its start are
 * resolved with its identity, never merged into its config, handed over as `ctx.secrets`; a start whose secret cannot
 * be fetched fails with the resolver's coded error.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectNats, MemoryConfigStore, MemoryLinkStore } from '../../lattice/index.ts';
import type { Link, Provider, ProviderContext, RunningNatsServer } from '../../lattice/index.ts';
import { SecretsError, SecretsErrorCode } from '../../lattice/secrets/index.ts';
import type { SecretValue } from '../../lattice/secrets/index.ts';
import { captureLogger, check, NatsServer } from '../../test/helpers/index.ts';
import { putLink } from '../links/link-ops.ts';
import { LinkTable } from '../links/link-table.ts';
import { ProviderManager } from './provider-manager.ts';
import type { ProviderManagerDeps } from './provider-manager.ts';

const VALUE = 'planted-provider-secret-3d9a';
let ns: RunningNatsServer;
let nc: NatsConnection;
beforeAll(async () => {
  ns = await NatsServer.start();
  nc = await connectNats({ url: ns.url });
});
afterAll(async () => {
  await nc?.close();
  await ns?.stop();
});

let n = 0;
let ctx: ProviderContext | undefined;
let inits = 0;
let events: { type: string; data: Record<string, unknown> }[];
let asked: { names: readonly string[]; id: string; app?: string }[];
let fetched: { source: string; fresh?: boolean }[];
let delivered: string[];
let store: MemoryLinkStore;
let config: MemoryConfigStore;
let answer: () => Promise<Record<string, SecretValue>>;
let pm: ProviderManager;
let deps: ProviderManagerDeps;
const fake = (): Provider => ({
  init: (c) => void ((ctx = c), inits++),
  onLinkAsTarget: (l) => void delivered.push(l.source_id),
  shutdown: () => undefined,
});
const start = (config: string[], annotations: Record<string, string> = {}) =>
  pm.start({ host_id: 'H1', provider_id: 'kv', provider_ref: 'weft+builtin://fake', config, annotations });

beforeEach(async () => {
  config = new MemoryConfigStore();
  store = new MemoryLinkStore();
  const links = new LinkTable();
  await links.follow(store);
  fetched = [];
  delivered = [];
  await config.put('plain', { URL: 'redis://x' });
  await config.put('SECRET_pw', { backend: 'weft', key: 'pw', type: 'secret.wasmcloud.dev/v1alpha1' });
  ctx = undefined;
  inits = 0;
  events = [];
  asked = [];
  answer = () => Promise.resolve({ password: { tag: 'string', val: VALUE } });
  deps = {
    lattice: `pms${++n}`,
    hostId: 'H1',
    nc,
    links,
    config,
    builtins: { fake },
    healthIntervalMs: 60_000,
    invoke: () => Promise.resolve(undefined),
    publish: (type, data) => void events.push({ type, data }),
    logger: captureLogger().logger,
    secrets: {
      forLink: (l, _id, fresh) => (fetched.push({ source: l.source_id, fresh }), Promise.resolve({})),
      forProvider: (names, id, app) => (asked.push({ names, id, app }), answer()),
    },
  };
  pm = new ProviderManager(deps);
  return () => pm.stopAll();
});

describe('ProviderManager - provider secrets', () => {
  it('SECRET_ names of the start are resolved for the provider, not merged into its config', async () => {
    await start(['plain', 'SECRET_pw'], { 'wasmcloud.dev/appspec': 'shop' });
    expect(events.map((e) => e.type)).toEqual(['provider_started']);
    expect(ctx?.config).toEqual({ URL: 'redis://x' });
    expect(ctx?.secrets).toEqual({ password: { tag: 'string', val: VALUE } });
    expect(asked).toEqual([{ names: ['SECRET_pw'], id: 'kv', app: 'shop' }]);
    expect(JSON.stringify(events)).not.toContain(VALUE);
  });

  it('a start without SECRET_ names asks nothing and gets no secrets', async () => {
    await start(['plain']);
    expect(asked).toEqual([]);
    expect(ctx?.secrets).toEqual({});
  });

  it('a secret that cannot be fetched fails the start with the coded error, before the provider starts', async () => {
    answer = () => Promise.reject(new SecretsError(SecretsErrorCode.Denied, 'backend weft denied secret pw'));
    await start(['plain', 'SECRET_pw']);
    expect(inits).toBe(0);
    expect(pm.has('kv')).toBe(false);
    expect(events).toEqual([
      {
        type: 'provider_start_failed',
        data: expect.objectContaining({ provider_id: 'kv', error: expect.stringMatching(/SECRET_DENIED/) }),
      },
    ]);
  });

  it('a host that resolves no secrets refuses a start that names one', async () => {
    pm = new ProviderManager({ ...deps, secrets: undefined });
    await start(['SECRET_pw']);
    expect(inits).toBe(0);
    expect(events[0]?.data['error']).toMatch(/SECRET_NOT_CONFIGURED.*SECRET_pw/);
    await pm.stopAll();
  });

  it('rotation - a link naming secrets that is put again is delivered again, its secrets fetched afresh', async () => {
    const link = (source: string, target_config: string[]): Link => ({
      source_id: source,
      target: 'kv',
      name: 'default',
      wit_namespace: 'wasi',
      wit_package: 'keyvalue',
      interfaces: ['store'],
      source_config: [],
      target_config,
    });
    await start([]);
    await putLink(store, config, link('with', ['SECRET_pw']));
    await putLink(store, config, link('without', ['plain']));
    await check(() => delivered.length === 2 || undefined);
    await putLink(store, config, link('with', ['SECRET_pw'])); // unchanged, e.g. after `weft secrets put`
    await putLink(store, config, link('without', ['plain']));
    await check(() => delivered.length === 3 || undefined);
    await putLink(store, config, link('other', []));
    await check(() => delivered.length === 4 || undefined);
    expect(delivered).toEqual(['with', 'without', 'with', 'other']);
    expect(fetched).toEqual([
      { source: 'with', fresh: true },
      { source: 'with', fresh: true },
    ]);
  });
});
