import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectNats, invokeComponent, MemoryConfigStore, MemoryLinkStore, WitError } from '../../lattice/index.ts';
import type { Link, Provider, ProviderContext, ResolvedLink, RunningNatsServer } from '../../lattice/index.ts';
import { captureLogger, check, NatsServer, testLink } from '../../test/helpers/unit.ts';
import { deleteLink, putLink } from '../links/link-ops.ts';
import { LinkTable } from '../links/link-table.ts';
import { ProviderManager } from './provider-manager.ts';
import type { ProviderManagerDeps } from './provider-manager.ts';

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

/** A provider that records every hook. */
class FakeProvider implements Provider {
  ctx: ProviderContext | undefined;
  readonly calls: string[] = [];
  readonly got: ResolvedLink[] = [];
  healthy: boolean | Error = true;
  init(ctx: ProviderContext): void {
    this.ctx = ctx;
  }
  onLinkAsTarget(l: ResolvedLink): void {
    this.got.push(l);
    this.calls.push(`target:${l.source_id}:${l.target_config.join('+')}`);
  }
  onLinkAsSource(l: ResolvedLink): void {
    this.calls.push(`source:${l.target}`);
  }
  onLinkDeleted(l: Link, role: string): void {
    this.calls.push(`deleted:${role}:${l.source_id}`);
  }
  handleImport(source: string, l: ResolvedLink, iface: string, func: string, args: unknown[]): Promise<unknown> {
    if (func === 'fail') throw new WitError({ tag: 'no-such-store' });
    return Promise.resolve({ source, link: l.name, cfg: l.target_config_values, iface, func, args });
  }
  health(): { healthy: boolean } {
    if (this.healthy instanceof Error) throw this.healthy;
    return { healthy: this.healthy };
  }
  shutdown(): void {
    this.calls.push('shutdown');
  }
}

let lattice = 0;
let store: MemoryLinkStore;
let config: MemoryConfigStore;
let events: { type: string; data: Record<string, unknown> }[];
let fake: FakeProvider;
let pm: ProviderManager;
let deps: ProviderManagerDeps;
const link = (extra: Partial<Link> = {}): Link => testLink({ source_id: 'comp', ...extra });
const eventsOf = (type: string) => events.filter((e) => e.type === type).map((e) => e.data);
const start = (o: Partial<{ ref: string; config: string[]; id: string }> = {}) =>
  pm.start({
    host_id: 'H1',
    provider_id: o.id ?? 'kv',
    provider_ref: o.ref ?? 'weft+builtin://fake',
    config: o.config ?? [],
    annotations: { a: 'b' },
  });

beforeEach(async () => {
  store = new MemoryLinkStore();
  config = new MemoryConfigStore();
  events = [];
  fake = new FakeProvider();
  const links = new LinkTable();
  await links.follow(store);
  deps = {
    lattice: `pm${++lattice}`,
    hostId: 'H1',
    nc,
    links,
    config,
    builtins: { fake: () => fake },
    healthIntervalMs: 60_000,
    invoke: () => Promise.resolve(undefined),
    publish: (type, data) => void events.push({ type, data }),
    logger: captureLogger().logger,
  };
  pm = new ProviderManager(deps);
  return () => pm.stopAll();
});

describe('ProviderManager', () => {
  it('start - init with merged config and the links that name it; provider_started; listed; a second start refused', async () => {
    await config.put('c1', { A: '1', B: '1' });
    await config.put('c2', { B: '2' });
    await config.put('t', { bucket: 'b' });
    await putLink(store, config, link({ target_config: ['t'] }));
    await putLink(store, config, link({ source_id: 'other', target: 'elsewhere' }));
    await start({ config: ['c1', 'c2'] });
    expect(fake.ctx).toMatchObject({
      providerId: 'kv',
      hostId: 'H1',
      lattice: deps.lattice,
      config: { A: '1', B: '2' },
    });
    expect(fake.ctx?.links).toEqual([
      { ...link({ target_config: ['t'] }), source_config_values: {}, target_config_values: { bucket: 'b' } },
    ]);
    expect(fake.calls).toEqual(['target:comp:t']);
    expect(eventsOf('provider_started')).toEqual([
      expect.objectContaining({ provider_id: 'kv', annotations: { a: 'b' } }),
    ]);
    expect(pm.has('kv')).toBe(true);
    expect(pm.list()).toEqual([
      { id: 'kv', image_ref: 'weft+builtin://fake', name: 'fake', revision: 0, annotations: { a: 'b' } },
    ]);
    expect(pm.pidOf('kv')).toBeUndefined();
    await start();
    expect(eventsOf('provider_start_failed')).toEqual([
      expect.objectContaining({ error: expect.stringMatching(/already runs/) }),
    ]);
  });

  it('start refused - an unknown ref names the built-ins, a missing config names it, a file:// ref without provider dirs is refused, policy denial', async () => {
    await start({ ref: 'weft+builtin://nope' });
    await start({ id: 'kv2', config: ['missing'] });
    await start({ id: 'kv3', ref: 'file:///tmp/provider.ts' });
    deps.policy = { evaluate: () => Promise.resolve({ permitted: false, message: 'not today' }) } as never;
    await new ProviderManager(deps).start({
      host_id: 'H1',
      provider_id: 'kv4',
      provider_ref: 'weft+builtin://fake',
      config: [],
    });
    const errors = eventsOf('provider_start_failed').map((e) => e['error']);
    expect(errors[0]).toMatch(/unknown provider weft\+builtin:\/\/nope: built-ins are weft\+builtin:\/\/fake/);
    expect(errors[1]).toMatch(/config "missing" does not exist/);
    expect(errors[2]).toMatch(/HOST_PROVIDER_NOT_ALLOWED|not allowed|allow-provider-dir/i);
    expect(errors[3]).toMatch(/policy service denied starting provider kv4: not today/);
    expect(pm.list()).toEqual([]);
  });

  it('links - a put is delivered once, a re-put with other config is deleted then put, a delete is delivered', async () => {
    await start();
    await config.put('t', { bucket: 'b' });
    await putLink(store, config, link());
    await check(() => fake.calls.length === 1);
    await putLink(store, config, link()); // the same link again: no change
    await putLink(store, config, link({ target_config: ['t'] }));
    await check(() => fake.calls.length === 3);
    await deleteLink(store, { source_id: 'comp', name: 'default', wit_namespace: 'wasi', wit_package: 'keyvalue' });
    await check(() => fake.calls.length === 4);
    expect(fake.calls).toEqual(['target:comp:', 'deleted:target:comp', 'target:comp:t', 'deleted:target:comp']);
    expect(fake.got.at(-1)?.target_config_values).toEqual({ bucket: 'b' });
  });

  it('links - two packages on one link name are two links; a link where it is the source is delivered as such', async () => {
    await start();
    await putLink(store, config, link());
    await putLink(store, config, link({ wit_package: 'blobstore', interfaces: ['blobstore'] }));
    await putLink(store, config, link({ source_id: 'kv', target: 'comp', wit_package: 'http', interfaces: ['x'] }));
    await check(() => fake.calls.length === 3);
    expect(fake.calls.sort()).toEqual(['source:comp', 'target:comp:', 'target:comp:']);
  });

  it('calls over the lattice - served with the link that allows them; no link is HOST_LINK_NOT_FOUND; a WitError stays one', async () => {
    await config.put('t', { bucket: 'b' });
    await putLink(store, config, link({ target_config: ['t'] }));
    await start();
    const call = (func: string, o: { sourceId?: string; linkName?: string } = {}) =>
      invokeComponent(nc, deps.lattice, 'kv', `wasi:keyvalue/store@0.2.0-draft.${func}`, ['k'], {
        sourceId: 'comp',
        ...o,
      });
    expect(await call('get')).toEqual({
      source: 'comp',
      link: 'default',
      cfg: { bucket: 'b' },
      iface: 'wasi:keyvalue/store@0.2.0-draft',
      func: 'get',
      args: ['k'],
    });
    await expect(call('get', { sourceId: 'stranger' })).rejects.toMatchObject({ code: 'HOST_LINK_NOT_FOUND' });
    await expect(call('get', { linkName: 'other' })).rejects.toMatchObject({ code: 'HOST_LINK_NOT_FOUND' });
    await expect(call('fail')).rejects.toMatchObject({
      code: 'WIT_ERROR',
      message: '[WIT_ERROR] {"tag":"no-such-store"}',
    });
    // the protocol's own subjects are not calls: nobody answers health for an in-host provider
    await expect(invokeComponent(nc, deps.lattice, 'kv', 'health', [], { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'LAT_TIMEOUT',
    });
    // in-process: the same provider, the link resolved
    expect(
      await pm.handleImport('kv', 'comp', link({ target_config: ['t'] }), 'wasi:keyvalue/store', 'get', []),
    ).toMatchObject({
      cfg: { bucket: 'b' },
    });
    expect(pm.handleImport('nope', 'comp', link(), 'wasi:keyvalue/store', 'get', [])).toBeUndefined();
  });

  it('health - passed on the first check, status while unchanged, failed when the check throws', async () => {
    deps.healthIntervalMs = 20;
    pm = new ProviderManager(deps);
    await start();
    await check(() => eventsOf('health_check_status').length > 0);
    fake.healthy = new Error('backend down');
    await check(() => eventsOf('health_check_failed').length > 0);
    expect(eventsOf('health_check_passed')[0]).toMatchObject({ provider_id: 'kv', healthy: true });
    expect(eventsOf('health_check_failed')[0]).toMatchObject({ healthy: false, message: 'Error: backend down' });
    await pm.stopAll();
  });

  it('stop - shuts the provider down, stops serving its calls, provider_stopped with the reason; unknown ids are a no-op', async () => {
    await putLink(store, config, link());
    await start();
    await pm.stop('kv', 'test');
    await pm.stop('kv');
    expect(fake.calls.at(-1)).toBe('shutdown');
    expect(eventsOf('provider_stopped')).toEqual([expect.objectContaining({ provider_id: 'kv', reason: 'test' })]);
    expect(pm.has('kv')).toBe(false);
    await expect(
      invokeComponent(nc, deps.lattice, 'kv', 'wasi:keyvalue/store.get', [], { sourceId: 'comp', timeoutMs: 500 }),
    ).rejects.toMatchObject({ code: 'LAT_NO_RESPONDERS' });
  });
});
