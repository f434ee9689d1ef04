/** The controller's two KV-backed stores on a real nats-server: the lease (one controller per lattice) and the app store. */
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, setBadInputSink } from '../../lattice/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import { NatsServer } from '../../test/helpers/unit.ts';
import { AppStore } from './app-store.ts';
import { Lease } from './lease.ts';

let ns: RunningNatsServer;
let nc: NatsConnection;
let leases: KV;
let manifests: KV;
const dropped: Record<string, unknown>[] = [];
beforeAll(async () => {
  setBadInputSink({ warn: (o) => void dropped.push(o) });
  ns = await NatsServer.start();
  nc = await connectNats({ url: ns.url });
  const kvm = new Kvm(jetstream(nc));
  leases = await kvm.create('weft_controller', { history: 1 });
  manifests = await kvm.create('wadm_manifests', { history: 1 });
});
afterAll(async () => {
  setBadInputSink({ warn: () => undefined });
  await nc?.close();
  await ns?.stop();
});

const holderOf = async (lattice: string) => {
  const e = await leases.get(`lease_${lattice}`);
  return e?.operation === 'PUT' ? e.json<{ holder: string }>().holder : undefined;
};

describe('controller lease', () => {
  it('one holder per lattice: the first takes it and renews it, a second is refused while it is live', async () => {
    const a = await Lease.open(nc, 'l1', 'A', 60_000);
    const b = await Lease.open(nc, 'l1', 'B', 60_000);
    expect(await a.tryHold()).toBe(true);
    expect(await b.tryHold()).toBe(false);
    expect(await a.tryHold()).toBe(true);
    expect([a.held, b.held]).toEqual([true, false]);
    expect(await holderOf('l1')).toBe('A');
    expect(await (await Lease.open(nc, 'other', 'B', 60_000)).tryHold()).toBe(true); // lattices do not share one
  });

  it('an expired lease is taken over; the old holder then learns it lost it', async () => {
    const a = await Lease.open(nc, 'l2', 'A', 60_000);
    const b = await Lease.open(nc, 'l2', 'B', 60_000);
    await leases.put('lease_l2', JSON.stringify({ holder: 'A', expires: Date.now() - 1 }));
    expect(await b.tryHold()).toBe(true);
    expect(await a.tryHold()).toBe(false);
    expect(await holderOf('l2')).toBe('B');
  });

  it('junk, or a lease claiming to last far too long, reads as expired and is taken over', async () => {
    const b = await Lease.open(nc, 'l3', 'B', 1000);
    for (const junk of ['not json', JSON.stringify({ holder: 'evil', expires: Date.now() + 3_600_000 })]) {
      await leases.put('lease_l3', junk);
      expect(await b.tryHold(), junk).toBe(true);
      expect(await holderOf('l3')).toBe('B');
    }
    expect(dropped.map((d) => d['source'])).toContain('weft_controller lease'); // reported, rate-limited
  });

  it('release deletes only its own lease; after a delete the next holder creates it again', async () => {
    const a = await Lease.open(nc, 'l4', 'A', 60_000);
    const b = await Lease.open(nc, 'l4', 'B', 60_000);
    await a.tryHold();
    await b.release(); // not held: nothing happens
    expect(await holderOf('l4')).toBe('A');
    await a.release();
    expect(a.held).toBe(false);
    expect(await holderOf('l4')).toBeUndefined();
    expect(await b.tryHold()).toBe(true);
    expect(await holderOf('l4')).toBe('B');
  });
});

const app = (name: string, version = 'v1') => ({
  name,
  versions: [{ version, manifest: { metadata: { name } }, created_at: '' }],
  status: { type: 'undeployed' as const, message: '' },
});

describe('app store', () => {
  it('keys are {lattice}.{app}: lattice a app b_c and lattice a_b app c stay apart', async () => {
    const a = await AppStore.open(nc, 'a');
    const ab = await AppStore.open(nc, 'a_b');
    await a.put(app('b_c'));
    await ab.put(app('c'));
    expect((await a.list()).map((x) => x.name)).toEqual(['b_c']);
    expect((await ab.list()).map((x) => x.name)).toEqual(['c']);
  });

  it('an entry under the old {lattice}_{app} key is read, moves to the new key on write, goes on delete', async () => {
    const s = await AppStore.open(nc, 'old');
    await manifests.put('old_shop', JSON.stringify(app('shop')));
    expect((await s.get('shop'))?.versions[0]?.version).toBe('v1');
    expect((await s.list()).map((x) => x.name)).toEqual(['shop']);
    await s.put(app('shop', 'v2'));
    expect((await manifests.get('old_shop'))?.operation).not.toBe('PUT');
    expect((await s.get('shop'))?.versions[0]?.version).toBe('v2');
    await manifests.put('old_cart', JSON.stringify(app('cart')));
    await s.delete('cart');
    expect(await s.get('cart')).toBeUndefined();
  });

  it('junk, or an entry naming another app, reads as no application', async () => {
    const s = await AppStore.open(nc, 'junk');
    await manifests.put('junk.bad', 'not json');
    await manifests.put('junk.liar', JSON.stringify(app('someone-else')));
    expect(await s.get('bad')).toBeUndefined();
    expect(await s.get('liar')).toBeUndefined();
    expect(await s.list()).toEqual([]);
  });
});
