import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, decodeHealthReply, errorFromHeaders, providerSubject, WitError } from '../../lattice/index.ts';
import type { HostData, Link, ResolvedLink, RunningNatsServer } from '../../lattice/index.ts';
import { check, hostDataOf, NatsServer } from '../../test/helpers/unit.ts';
import { serveProviderControl } from './provider-control.ts';

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
const hd = (lattice: string): HostData =>
  hostDataOf({
    host_id: 'HOSTA',
    lattice_rpc_prefix: lattice,
    lattice_rpc_url: ns.url,
    provider_key: 'kv',
    instance_id: 'i',
  });
const link = {
  source_id: 'comp',
  target: 'kv',
  name: 'default',
  wit_namespace: 'wasi',
  wit_package: 'keyvalue',
  interfaces: ['store'],
  source_config: [],
  target_config: [],
};
const served = (lattice: string) => {
  const seen: string[] = [];
  let healthy: boolean | Error = true;
  const subs = serveProviderControl(nc, hd(lattice), {
    health: () => (healthy instanceof Error ? Promise.reject(healthy) : Promise.resolve({ healthy })),
    shutdown: () => Promise.resolve(void seen.push('shutdown')),
    linkPut: (l: ResolvedLink) => Promise.resolve(void seen.push(`put:${l.target_config_values['bucket'] ?? ''}`)),
    linkDel: (l: Link) => {
      if (l.name === 'wit') throw new WitError('no');
      return Promise.resolve(void seen.push(`del:${l.name}`));
    },
  });
  return { seen, subs, setHealthy: (h: boolean | Error) => (healthy = h) };
};
const req = (subject: string, body: string) => nc.request(subject, body, { timeout: 2000 });

describe('provider control subjects (serveProviderControl)', () => {
  it('health, linkdefs.put/del and a shutdown naming this host are served', async () => {
    const { seen, subs, setHealthy } = served('c1');
    await nc.flush();
    expect(decodeHealthReply((await req(providerSubject.health('c1', 'kv'), '')).data)).toEqual({ healthy: true });
    setHealthy(new Error('backend down'));
    expect(errorFromHeaders((await req(providerSubject.health('c1', 'kv'), '')).headers)).toMatchObject({
      code: 'PROVIDER_ERROR',
      message: expect.stringContaining('backend down'),
    });
    const put = { ...link, source_config_values: {}, target_config_values: { bucket: 'b' } };
    expect((await req(providerSubject.linkPut('c1', 'kv'), JSON.stringify(put))).string()).toBe('{}');
    expect((await req(providerSubject.linkDel('c1', 'kv'), JSON.stringify(link))).string()).toBe('{}');
    const wit = await req(providerSubject.linkDel('c1', 'kv'), JSON.stringify({ ...link, name: 'wit' }));
    expect(errorFromHeaders(wit.headers)?.code).toBe('WIT_ERROR');
    const stop = await req(providerSubject.shutdown('c1', 'kv'), JSON.stringify({ host_id: 'HOSTA' }));
    expect(JSON.parse(stop.string())).toEqual({ success: true });
    await check(() => seen.includes('shutdown'));
    expect(seen).toEqual(['put:b', 'del:default', 'shutdown']);
    subs.forEach((s) => s.unsubscribe());
  });

  it('hostile - malformed bodies get LAT_BAD_PAYLOAD; a shutdown for another host or none is ignored; subscriptions live on', async () => {
    const { seen, subs } = served('c2');
    await nc.flush();
    for (const [subject, body] of [
      [providerSubject.linkPut('c2', 'kv'), 'junk'],
      [providerSubject.linkPut('c2', 'kv'), JSON.stringify({ ...link, source_id: 'a.*' })],
      [providerSubject.linkDel('c2', 'kv'), '[]'],
      [providerSubject.shutdown('c2', 'kv'), '{}'],
      [providerSubject.shutdown('c2', 'kv'), ''],
    ] as const) {
      const r = await req(subject, body);
      expect(errorFromHeaders(r.headers)?.code, `${subject} ${body}`).toBe('LAT_BAD_PAYLOAD');
    }
    await expect(
      nc.request(providerSubject.shutdown('c2', 'kv'), JSON.stringify({ host_id: 'OTHER' }), { timeout: 300 }),
    ).rejects.toThrow();
    expect(seen).toEqual([]);
    expect(decodeHealthReply((await req(providerSubject.health('c2', 'kv'), '')).data).healthy).toBe(true);
    subs.forEach((s) => s.unsubscribe());
  });
});
