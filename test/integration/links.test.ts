import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LatticeErrorCode, ctlSubject } from '../../lattice/index.ts';
import type { Link, RunningNatsServer } from '../../lattice/index.ts';
import { EventRecorder, NatsServer, check, latticeFor, startTestHost, testCtl } from '../helpers/index.ts';

let ns: RunningNatsServer;
beforeAll(async () => {
  ns = await NatsServer.start();
});
afterAll(async () => {
  await ns?.stop();
});

const kvLink = (target: string, extra: Partial<Link> = {}): Link => ({
  source_id: 'counter',
  target,
  name: 'default',
  wit_namespace: 'wasi',
  wit_package: 'keyvalue',
  interfaces: ['store', 'atomics'],
  source_config: [],
  target_config: [],
  ...extra,
});

describe('links', () => {
  it('link put - stored on the source spec, seen by every host, linkdef_set published', async () => {
    const lattice = latticeFor('link_put');
    const a = await startTestHost(ns.url, { lattice });
    const b = await startTestHost(ns.url, { lattice });
    await using ctl = await testCtl(ns.url, lattice);
    const rec = await EventRecorder.start(ctl);
    await ctl.putLink(kvLink('kv-nats'));
    expect(await ctl.getLinks()).toEqual([kvLink('kv-nats')]);
    const evt = await rec.waitFor('linkdef_set');
    expect(evt.data).toMatchObject({
      source_id: 'counter',
      target: 'kv-nats',
      wit_namespace: 'wasi',
      wit_package: 'keyvalue',
    });
    for (const h of [a, b]) {
      await check(() => h.links.lookup('counter', 'default', 'wasi:keyvalue/store@0.2.0-draft')?.target === 'kv-nats');
    }
    rec.stop();
    await Promise.all([a.stop(), b.stop()]);
  });

  it('link put - a second put with the same (source, interface, name) and another target is refused', async () => {
    const lattice = latticeFor('link_unique');
    const host = await startTestHost(ns.url, { lattice });
    await using ctl = await testCtl(ns.url, lattice);
    const rec = await EventRecorder.start(ctl);
    await ctl.putLink(kvLink('kv-nats'));
    await expect(ctl.putLink(kvLink('kv-redis'))).rejects.toMatchObject({ code: LatticeErrorCode.Refused });
    await rec.waitFor('linkdef_set_failed', (e) => String(e.data['error']).includes('different target'));
    // the same key and target replaces (update of configs)
    await ctl.putConfig('kv-cfg', { bucket: 'b' });
    await ctl.putLink(kvLink('kv-nats', { target_config: ['kv-cfg'] }));
    // another link name may point elsewhere
    await ctl.putLink(kvLink('kv-redis', { name: 'cache' }));
    const links = await ctl.getLinks();
    expect(links).toHaveLength(2);
    expect(links.find((l) => l.name === 'default')?.target_config).toEqual(['kv-cfg']);
    // after a delete, the other target can take the key
    await ctl.deleteLink({ source_id: 'counter', wit_namespace: 'wasi', wit_package: 'keyvalue', name: 'default' });
    await rec.waitFor('linkdef_deleted');
    await ctl.putLink(kvLink('kv-redis'));
    await check(() => host.links.lookup('counter', 'default', 'wasi:keyvalue/atomics')?.target === 'kv-redis');
    rec.stop();
    await host.stop();
  });

  it('link put - a missing named config is refused with its name', async () => {
    const lattice = latticeFor('link_cfg');
    const host = await startTestHost(ns.url, { lattice });
    await using ctl = await testCtl(ns.url, lattice);
    const err = await ctl.putLink(kvLink('kv-nats', { target_config: ['nope'] })).catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ code: LatticeErrorCode.Refused });
    expect(String(err)).toMatch(/config "nope" does not exist/);
    const bad = await ctl.requestRaw(ctlSubject.linkPut(lattice), JSON.stringify({ source_id: 'x' }));
    expect(bad.success).toBe(false);
    expect(await ctl.getLinks()).toEqual([]);
    await host.stop();
  });
});
