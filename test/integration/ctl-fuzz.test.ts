import { describe, expect, it } from 'vitest';
import { ctlSubject } from '../../lattice/index.ts';
import { NatsServer, latticeFor, startTestHost, testCtl } from '../helpers/index.ts';

function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('ctl fuzz', () => {
  it('ctl fuzz - 1,000 random and malformed payloads on every ctl subject: each gets an envelope, the host keeps serving', async () => {
    await using ns = await NatsServer.start();
    const lattice = latticeFor('ctlfuzz');
    const host = await startTestHost(ns.url, { lattice });
    await using ctl = await testCtl(ns.url, lattice);
    const subjects = [
      ctlSubject.hostGet(lattice, host.id),
      ctlSubject.labelPut(lattice, host.id),
      ctlSubject.labelDel(lattice, host.id),
      ctlSubject.configPut(lattice, 'fz'),
      ctlSubject.configGet(lattice, 'fz'),
      ctlSubject.componentScale(lattice, host.id),
      ctlSubject.componentUpdate(lattice, host.id),
      ctlSubject.linkPut(lattice),
      ctlSubject.linkDel(lattice),
      ctlSubject.claimsGet(lattice),
      ctlSubject.registryPut(lattice),
      ctlSubject.registryPut(lattice, host.id),
      `wasmbus.ctl.v1.${lattice}.nope.nope`,
    ];
    const r = prng(7);
    const shapes = [
      () => '',
      () => '{',
      () => 'null',
      () => '[1,2,3]',
      () =>
        JSON.stringify({
          component_ref: r() < 0.5 ? 'file:///nope.wasm' : 'oci://x',
          component_id: 'z'.repeat(Math.floor(r() * 40)),
          count: r() < 0.5 ? -1 : 'x',
        }),
      () => JSON.stringify({ key: r() < 0.5 ? 'hostcore.x' : 1, value: {} }),
      () =>
        JSON.stringify({
          source_id: 's',
          target: 't',
          wit_namespace: 'a',
          wit_package: 'b',
          interfaces: r() < 0.5 ? [] : [1],
        }),
      () => Buffer.from(Array.from({ length: Math.floor(r() * 200) }, () => Math.floor(r() * 256))),
      () => JSON.stringify({ a: 'b'.repeat(Math.floor(r() * 10_000)) }),
    ];
    let replies = 0;
    for (let i = 0; i < 1000; i++) {
      const subject = subjects[Math.floor(r() * subjects.length)] ?? '';
      const payload = shapes[Math.floor(r() * shapes.length)]?.() ?? '';
      const env = await ctl.requestRaw(subject, payload);
      expect(typeof env.success).toBe('boolean');
      expect(typeof env.message).toBe('string');
      replies++;
    }
    expect(replies).toBe(1000);
    expect((await ctl.getHosts()).map((h) => h.id)).toEqual([host.id]);
    expect((await ctl.getHostInventory(host.id)).components).toEqual([]);
    await host.stop();
  });
});
