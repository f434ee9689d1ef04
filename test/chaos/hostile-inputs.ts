/** The `hostile-inputs` fault: junk and forged messages on every subscription of the lattice and junk in its KV buckets. */
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { wadmSubject } from '../../lattice/apps/index.ts';
import { bucketName, ctlSubject, evtSubject, rpcSubject } from '../../lattice/index.ts';
import type { ChaosLattice } from './lattice.ts';

const HUGE = 'x'.repeat(600 * 1024);
const JUNK: (string | Uint8Array)[] = [
  '{}',
  'null',
  '[]',
  '{"type":',
  '"s"',
  '17',
  '',
  new Uint8Array([0xc1, 0xff, 0x00]),
  `{"a":"${HUGE}"}`,
];
const event = (type: string, source: unknown, data: unknown, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    specversion: '1.0',
    type: `com.wasmcloud.lattice.${type}`,
    source,
    id: '1',
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data,
    ...extra,
  });
const FORGED = [
  event('host_heartbeat', 'x', { host_id: 'x', components: 1 }),
  event('host_heartbeat', 'y', { host_id: 'y', labels: null, components: [null], providers: 'p' }),
  event('host_heartbeat', 'z', null),
  event('host_heartbeat', 'w', {
    host_id: 'other',
    components: [{ id: 'counter', max_instances: '<img src=x onerror=alert(1)>' }],
  }),
  event('component_scale_failed', 'x', { component_id: { a: 1 }, error: [1] }),
  event('host_started', 7, {}),
  event('linkdef_set', 'x', {}, { time: 12 }),
];
/** KV values that are not what any reader expects. */
const KV_JUNK = [
  '{"links":[null]}',
  '{"links":[null,5,{"source_id":"junk_x"}]}',
  '{"links":{}}',
  'null',
  '[]',
  '{"name":',
  '"s"',
  '{"holder":"evil","expires":9e15}',
];
/** The junk keys (restore deletes them); real keys are left alone, the point is that they stay intact. */
const KEYS = {
  latticeData: ['COMPONENT_junk_x', 'CLAIMS_junk_x'],
  configData: ['junk_cfg'],
  manifests: (l: string) => [`${l}_junk`, `${l}.junk`],
};

/** ~2,000 hostile messages and ~40 junk KV writes spread over 3 s, under the suite's load. */
export async function hostileInputs(l: ChaosLattice): Promise<void> {
  const kvm = new Kvm(jetstream(l.nc));
  const [latticeData, configData, manifests, lease] = await Promise.all([
    kvm.open(bucketName.latticeData(l.lattice)),
    kvm.open(bucketName.configData(l.lattice)),
    kvm.open('wadm_manifests'),
    kvm.open('weft_controller'),
  ]);
  const subjects = [
    evtSubject.event(l.lattice, 'anything'),
    evtSubject.event(l.lattice, 'host_heartbeat'),
    ...l.hosts.flatMap((h) => [
      ctlSubject.hostGet(l.lattice, h.id),
      ctlSubject.componentScale(l.lattice, h.id),
      ctlSubject.providerStart(l.lattice, h.id),
    ]),
    ctlSubject.linkPut(l.lattice),
    ctlSubject.hostPing(l.lattice),
    rpcSubject.invoke(l.lattice, 'counter', 'wasi:http/incoming-handler.handle'),
    rpcSubject.invoke(l.lattice, 'kv', 'linkdefs.put'),
    rpcSubject.invoke(l.lattice, 'kv', 'linkdefs.del'),
    rpcSubject.invoke(l.lattice, 'kv', 'default.shutdown'),
    rpcSubject.invoke(l.lattice, 'httpserver', 'linkdefs.put'),
    wadmSubject.api(l.lattice, 'get', 'junk'),
    wadmSubject.api(l.lattice, 'deploy', 'junk'),
    wadmSubject.status(l.lattice, 'junk'),
  ];
  const payloads = [...JUNK, ...FORGED];
  for (let round = 0; round < 6; round++) {
    for (const s of subjects) for (const p of payloads) l.nc.publish(s, p);
    for (const v of KV_JUNK) {
      for (const k of KEYS.latticeData) await latticeData.put(k, v);
      for (const k of KEYS.configData) await configData.put(k, v);
      for (const k of KEYS.manifests(l.lattice)) await manifests.put(k, v);
    }
    await lease.put(`lease_${l.lattice}`, KV_JUNK[round % KV_JUNK.length]!);
    await l.nc.flush();
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Deletes the junk keys (the controller has taken its lease back by itself). */
export async function removeHostileKeys(l: ChaosLattice): Promise<void> {
  const kvm = new Kvm(jetstream(l.nc));
  const latticeData = await kvm.open(bucketName.latticeData(l.lattice));
  const configData = await kvm.open(bucketName.configData(l.lattice));
  const manifests = await kvm.open('wadm_manifests');
  for (const k of KEYS.latticeData) await latticeData.delete(k);
  for (const k of KEYS.configData) await configData.delete(k);
  for (const k of KEYS.manifests(l.lattice)) await manifests.delete(k);
}
