/**
 * The NATS users `weft up` gives providers (audit L10): a real nats-server configured the way `weft up` starts it
 * (host user with every permission, plus the provider and messaging users of lattice/nats/nats-users.ts) and real
 * connections with each seed: what each user may and may not do. Hosts using them: nats-identities-host.test.ts.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  announceReady,
  awaitProviderReady,
  connectNats,
  nkeyUserFile,
  providerPermissions,
} from '../../lattice/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import { check } from '../helpers/index.ts';
import { startIdentitiesServer } from './nats-identities-server.ts';
import type { User } from './nats-identities-server.ts';

const LATTICE = 'x';
let ns: RunningNatsServer;
let host: User, provider: User, messaging: User;
const open: NatsConnection[] = [];

let ids: Awaited<ReturnType<typeof startIdentitiesServer>> | undefined;
beforeAll(async () => {
  ids = await startIdentitiesServer(LATTICE, 'weft-nats-ids-');
  ({ ns, host, provider, messaging } = ids);
}, 30_000);
afterAll(() => ids?.stop(open));

/** A connection as `u`, with the permission violations the server reported to it. */
async function connectAs(u: User): Promise<{ nc: NatsConnection; violations: string[] }> {
  const nc = await connectNats({ url: ns.url, seed: u.seed });
  open.push(nc);
  const violations: string[] = [];
  void (async () => {
    for await (const s of nc.status())
      if (s.type === 'error' && /Permissions Violation/i.test(String(s.error))) violations.push(String(s.error));
  })();
  return { nc, violations };
}

/**
 * Publishes `subject` as `from` and proves it reached no subscriber: a marker published after it on a subject both
 * allow arrives first (NATS keeps one connection's order), and the server reported a violation.
 */
async function assertPublishRefused(
  from: { nc: NatsConnection; violations: string[] },
  subject: string,
  marker: string,
): Promise<void> {
  const { nc: hostNc } = await connectAs(host);
  const seen: string[] = [];
  for (const s of [subject, marker]) hostNc.subscribe(s, { callback: (_e, m) => void seen.push(m.subject) });
  await hostNc.flush();
  from.nc.publish(subject, 'x');
  from.nc.publish(marker, 'x');
  await check(() => seen.includes(marker));
  expect(seen).toEqual([marker]);
  await check(() => from.violations.some((v) => v.includes(subject)));
}

describe('NATS identities of providers (weft up with nkey auth)', () => {
  it('provider user - cannot publish on the control interface or touch the lattice buckets', async () => {
    const p = await connectAs(provider);
    await assertPublishRefused(p, `wasmbus.ctl.v1.${LATTICE}.host.ping`, `wasmbus.rpc.${LATTICE}.marker.op`);
    await assertPublishRefused(p, `wasmbus.evt.${LATTICE}.host_heartbeat`, `wasmbus.rpc.${LATTICE}.marker.op2`);
    const { nc: hostNc } = await connectAs(host);
    const lattice = await new Kvm(jetstream(hostNc)).create(`LATTICEDATA_${LATTICE}`, { history: 1 });
    await lattice.put('LINKDEF_a', '{"secret":1}');
    for (const subj of [
      `$JS.API.STREAM.DELETE.KV_LATTICEDATA_${LATTICE}`,
      `$JS.API.STREAM.PURGE.KV_LATTICEDATA_${LATTICE}`,
      `$JS.API.STREAM.MSG.GET.KV_CONFIGDATA_${LATTICE}`,
      `$KV.LATTICEDATA_${LATTICE}.LINKDEF_a`,
    ]) {
      await expect(p.nc.request(subj, '{}', { timeout: 2000, noMux: true })).rejects.toThrow(/Permissions Violation/i);
    }
    await expect(
      p.nc.request(`$JS.API.DIRECT.GET.KV_LATTICEDATA_${LATTICE}.$KV.LATTICEDATA_${LATTICE}.LINKDEF_a`, '', {
        timeout: 2000,
        noMux: true,
      }),
    ).rejects.toThrow(/Permissions Violation/i);
    expect(() => p.nc.subscribe(`wasmbus.ctl.v1.${LATTICE}.>`)).not.toThrow(); // refused by the server, reported async
    await check(() => p.violations.some((v) => /subscription/i.test(v) && v.includes('wasmbus.ctl')));
    expect(await (await jetstreamManager(hostNc)).streams.info(`KV_LATTICEDATA_${LATTICE}`)).toMatchObject({
      state: { messages: 1 },
    });
    expect(new TextDecoder().decode((await lattice.get('LINKDEF_a'))?.value)).toBe('{"secret":1}');
  });

  it("provider user - serves its lattice's RPC subjects in a queue group, calls components, and keeps a weftkv_ bucket", async () => {
    const p = await connectAs(provider);
    const { nc: hostNc } = await connectAs(host);
    p.nc.subscribe(`wasmbus.rpc.${LATTICE}.p.>`, {
      queue: `${LATTICE}.p`,
      callback: (_e, m) => void m.respond(`served ${m.subject}`),
    });
    hostNc.subscribe(`wasmbus.rpc.${LATTICE}.comp.>`, { callback: (_e, m) => void m.respond('from component') });
    await p.nc.flush();
    expect(
      (await hostNc.request(`wasmbus.rpc.${LATTICE}.p.wasi:keyvalue/store.get`, '[]', { timeout: 2000 })).string(),
    ).toBe(`served wasmbus.rpc.${LATTICE}.p.wasi:keyvalue/store.get`);
    expect((await p.nc.request(`wasmbus.rpc.${LATTICE}.comp.ns:pkg/iface.f`, '[]', { timeout: 2000 })).string()).toBe(
      'from component',
    );
    const kv = await new Kvm(jetstream(p.nc)).create(`weftkv_${LATTICE}_comp_default_0123abcd`, { history: 1 });
    await kv.put('k', 'v1');
    await kv.put('k2', 'v2');
    expect(new TextDecoder().decode((await kv.get('k'))?.value)).toBe('v1');
    await kv.delete('k2');
    const keys: string[] = [];
    for await (const k of await kv.keys()) keys.push(k);
    expect(keys).toEqual(['k']);
    expect((await kv.status()).values).toBeGreaterThan(0);
    expect(p.violations).toEqual([]);
  });

  it('provider user - reports ready to a host waiting for it (the handshake works under its permissions); the messaging user cannot', async () => {
    const p = await connectAs(provider);
    const m = await connectAs(messaging);
    const { nc: hostNc } = await connectAs(host);
    const ids = { provider_id: 'kv', instance_id: 'inst-1', host_id: 'HOSTX' };
    const wait = await awaitProviderReady(hostNc, {
      lattice: LATTICE,
      providerId: 'kv',
      instanceId: 'inst-1',
      hostId: 'HOSTX',
      timeoutMs: 10_000,
    });
    expect(await announceReady(m.nc, { lattice: LATTICE, ...ids }, { attempts: 1, timeoutMs: 500 })).toBe(false);
    expect(await announceReady(p.nc, { lattice: LATTICE, ...ids })).toBe(true);
    await wait.ready;
    expect(p.violations).toEqual([]);
    await check(() => m.violations.some((v) => v.includes(`wasmbus.rpc.${LATTICE}.kv.ready.inst-1`)));
  });

  it('messaging user - cannot publish on wasmbus or JetStream subjects, can publish app subjects and do request/reply both ways', async () => {
    const m = await connectAs(messaging);
    await assertPublishRefused(m, `wasmbus.ctl.v1.${LATTICE}.host.ping`, 'app.marker1');
    await assertPublishRefused(m, `wasmbus.rpc.${LATTICE}.p.op`, 'app.marker2');
    await assertPublishRefused(m, '$JS.API.INFO', 'app.marker3');
    await assertPublishRefused(m, `$KV.weftkv_${LATTICE}_a.k`, 'app.marker4');
    const { nc: hostNc } = await connectAs(host);
    hostNc.subscribe('app.svc', { callback: (_e, msg) => void msg.respond(`re ${msg.string()}`) });
    m.nc.subscribe('app.echo', { callback: (_e, msg) => void msg.respond(`echo ${msg.string()}`) });
    await Promise.all([hostNc.flush(), m.nc.flush()]);
    expect((await m.nc.request('app.svc', 'hi', { timeout: 2000 })).string()).toBe('re hi');
    expect((await hostNc.request('app.echo', 'yo', { timeout: 2000 })).string()).toBe('echo yo');
    await expect(m.nc.request('$JS.API.STREAM.LIST', '', { timeout: 2000, noMux: true })).rejects.toThrow(
      /Permissions Violation/i,
    );
  });

  it('a weft nats folder of an older version (only user.seed) gains the two users, 0600, and keeps the host user', async () => {
    const old = await mkdtemp(join(tmpdir(), 'weft-nats-old-'));
    try {
      const hostUser = await nkeyUserFile(join(old, 'user.seed'));
      expect(existsSync(join(old, 'provider.seed'))).toBe(false);
      const p = await nkeyUserFile(join(old, 'provider.seed'));
      const m = await nkeyUserFile(join(old, 'messaging.seed'));
      for (const n of ['user', 'provider', 'messaging'])
        expect(statSync(join(old, `${n}.seed`)).mode & 0o777).toBe(0o600);
      expect(new Set([hostUser.publicKey, p.publicKey, m.publicKey]).size).toBe(3);
      expect(await nkeyUserFile(join(old, 'user.seed'))).toEqual(hostUser);
      expect(await nkeyUserFile(join(old, 'provider.seed'))).toEqual(p);
      await writeFile(join(old, 'messaging.seed'), 'not a seed\n');
      await expect(nkeyUserFile(join(old, 'messaging.seed'))).rejects.toMatchObject({ code: 'LAT_NATS_SERVER' });
    } finally {
      await rm(old, { recursive: true, force: true });
    }
  });

  it('permission sets refuse a lattice or JetStream domain that would change the config', () => {
    expect(() => providerPermissions('a"] }')).toThrow(/not usable in NATS subjects/);
    expect(() => providerPermissions('ok', 'd.>')).toThrow(/not usable in NATS subjects/);
    expect(JSON.stringify(providerPermissions('ok', 'hub'))).toContain('$JS.hub.API.STREAM.CREATE.*');
  });
});
