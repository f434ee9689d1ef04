/**
 * Everything on NATS and in the lattice's KV buckets is untrusted data (audit H2, H3, L8, M5). Real nats-server,
 * three real hosts in this process, a controller and the dashboard server: hostile input on every subscription
 * (events, forged heartbeats, junk KV entries in every bucket, ctl, rpc, provider, wadm and policy subjects), then
 * each host still answers `host.ping`, the controller still deploys an app, a provider still starts and the stored
 * state is intact. A crash here is an unhandled rejection, which vitest reports as a failed run. A `weft up`
 * process and the policy subjects have their own files (lattice-inputs-up, lattice-inputs-policy).
 */
import { get as httpGet } from 'node:http';
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wadmSubject } from '../../lattice/apps/index.ts';
import { bucketName, ctlSubject, evtSubject, rpcSubject, setBadInputSink } from '../../lattice/index.ts';
import type { CtlClient, Link, RunningNatsServer } from '../../lattice/index.ts';
import { createLogger } from '../../host/index.ts';
import type { Host } from '../../host/index.ts';
import { Controller } from '../../host/controller/index.ts';
import { startUiServer } from '../../host/cli/index.ts';
import type { UiServer } from '../../host/cli/index.ts';
import { FORGED, JUNK, publishAll } from './lattice-inputs-payloads.ts';
import {
  assertStartProvider,
  check,
  fixtureRef,
  latticeFor,
  NatsServer,
  startTestHost,
  testCtl,
  wadmApi,
  rawNatsOf,
} from '../helpers/index.ts';

const lattice = latticeFor('secin');
const POLICY = `secin.policy.${Date.now()}`;
let ns: RunningNatsServer;
let a: Host, b: Host, c: Host;
let ctl: CtlClient & AsyncDisposable;
let ctrl: Controller;
let ui: UiServer;
let nc: NatsConnection;
const dropped: Record<string, unknown>[] = [];

const manifest = (name: string, instances: number) =>
  JSON.stringify({
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name, annotations: { version: 'v1' } },
    spec: {
      components: [
        {
          name: 'adder',
          type: 'component',
          properties: { image: fixtureRef('adder.component.wasm'), id: `${name}-adder` },
          traits: [
            {
              type: 'spreadscaler',
              properties: { instances, spread: [{ name: 'open', requirements: { zone: 'open' } }] },
            },
          ],
        },
      ],
    },
  });
const link: Link = {
  source_id: 'web',
  target: 'http',
  name: 'default',
  wit_namespace: 'wasi',
  wit_package: 'http',
  interfaces: ['incoming-handler'],
  source_config: [],
  target_config: [],
};

/** GET /api/state with a chosen Host header (fetch() does not let one set it). */
function getWithHost(port: number, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    httpGet({ host: '127.0.0.1', port, path: '/api/state', headers: { host } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

async function putJunk(kv: KV, keys: string[]): Promise<void> {
  const values = [
    '{"links":[null]}',
    '{"links":[null,5,{"source_id":"x"},{"source_id":"x","target":"t","wit_namespace":"n","wit_package":"p","interfaces":[]}]}',
    '{"links":{}}',
    ...JUNK.slice(0, 9),
  ];
  for (const k of keys) for (const v of values) await kv.put(k, v);
}

beforeAll(async () => {
  setBadInputSink({ warn: (o) => dropped.push(o) });
  ns = await NatsServer.start();
  const opts = { lattice, heartbeatIntervalSec: 0.5 };
  const open = { ...opts, labels: { zone: 'open' } };
  [a, b, c] = await Promise.all([
    startTestHost(ns.url, open),
    startTestHost(ns.url, open),
    startTestHost(ns.url, {
      ...opts,
      labels: { policy: 'yes' },
      policy: { topic: POLICY, changesTopic: `${POLICY}.changes`, timeoutMs: 500 },
    }),
  ]);
  ctl = await testCtl(ns.url, lattice);
  nc = rawNatsOf(ctl);
  ctrl = await Controller.start({
    nc,
    lattice,
    logger: createLogger('fatal'),
    heartbeatIntervalSec: 0.5,
    missedHeartbeats: 2,
    reconcileMs: 300,
    leaseMs: 1000,
  });
  ui = await startUiServer(ctl, 0);
  await ctl.putConfig('good-cfg', { k: 'v' });
  await ctl.putLink(link);
  await assertStartProvider(ctl, b.id, 'weft+builtin://http-server', 'http');
}, 60_000);

afterAll(async () => {
  await ui?.close();
  await ctrl?.stop();
  await Promise.all([a, b, c].map((h) => h?.stop()));
  await ctl?.[Symbol.asyncDispose]();
  await ns?.stop();
});

describe('hostile lattice input', () => {
  it('events, forged heartbeats, junk in every KV bucket, ctl, rpc, provider and wadm subjects: every host, the controller and the dashboard keep serving; stored state is intact', async () => {
    const js = jetstream(nc);
    const kvm = new Kvm(js);
    const latticeData = await kvm.open(bucketName.latticeData(lattice));
    const configData = await kvm.open(bucketName.configData(lattice));
    const manifests = await kvm.open('wadm_manifests');
    const lease = await kvm.open('weft_controller');
    // events, on the catch-all and on the subjects of each type
    await publishAll(
      nc,
      [
        evtSubject.all(lattice).replace('>', 'anything'),
        evtSubject.event(lattice, 'host_heartbeat'),
        evtSubject.event(lattice, 'component_scaled'),
      ],
      [...JUNK, ...FORGED],
    );
    // KV: links (on a spec of its own and beside the real one), claims, named config, manifests, the lease
    await putJunk(latticeData, ['COMPONENT_x', 'COMPONENT_http', 'CLAIMS_x', 'weird']);
    await putJunk(configData, ['junk', 'junk2']);
    await putJunk(manifests, [`${lattice}_evil`, `${lattice}.evil`]);
    await manifests.put(
      `${lattice}.fake`,
      JSON.stringify({ name: 'other', versions: [], status: { type: 'deployed', message: '' } }),
    );
    await lease.put(`lease_${lattice}`, JSON.stringify({ holder: 'evil', expires: 9e15 }));
    // ctl, rpc (a component's and the provider's subject) and wadm API subjects
    await publishAll(
      nc,
      [
        ...[a, b, c].flatMap((h) => [
          ctlSubject.hostGet(lattice, h.id),
          ctlSubject.componentScale(lattice, h.id),
          ctlSubject.providerStart(lattice, h.id),
          ctlSubject.labelPut(lattice, h.id),
        ]),
        ctlSubject.linkPut(lattice),
        ctlSubject.configPut(lattice, 'z'),
        ctlSubject.hostPing(lattice),
        rpcSubject.invoke(lattice, 'http', 'wasi:http/incoming-handler.handle'),
        rpcSubject.invoke(lattice, 'http', 'linkdefs.put'),
        rpcSubject.invoke(lattice, 'web', 'x.y'),
        wadmSubject.api(lattice, 'get', 'evil'),
        wadmSubject.api(lattice, 'deploy', 'evil'),
        wadmSubject.api(lattice, 'put'),
        wadmSubject.status(lattice, 'evil'),
      ],
      JUNK,
    );
    // requests too, so the handlers' reply paths run
    for (const s of [
      ctlSubject.linkPut(lattice),
      ctlSubject.hostGet(lattice, a.id),
      wadmSubject.api(lattice, 'get', 'evil'),
      wadmSubject.api(lattice, 'deploy', 'evil'),
    ]) {
      for (const p of JUNK) await nc.request(s, p, { timeout: 2000 }).catch(() => undefined);
    }
    // forged heartbeats keep coming while the controller has to reconcile
    const forging = setInterval(() => {
      for (const f of FORGED.slice(0, 5)) nc.publish(evtSubject.event(lattice, 'host_heartbeat'), f);
    }, 100);
    try {
      const api = wadmApi(nc, lattice);
      expect(await api('put', undefined, manifest('hello', 2))).toMatchObject({ result: 'created' });
      expect(await api('deploy', 'hello')).toMatchObject({ result: 'acknowledged' });
      await check(async () => {
        const st = (await api('status', 'hello')).status?.status;
        if (st?.type !== 'deployed') throw new Error(`status of hello: ${JSON.stringify(st)}`);
        return true;
      }, 30_000);
      // a provider still starts (on a host whose link table got the junk specs)
      await assertStartProvider(ctl, a.id, 'weft+builtin://http-server', 'http2');
    } finally {
      clearInterval(forging);
    }
    // every host answers ctl
    const ids = (await ctl.getHosts()).map((h) => h.id);
    expect(ids).toEqual(expect.arrayContaining([a.id, b.id, c.id]));
    for (const h of [a, b, c]) expect((await ctl.getHostInventory(h.id)).host_id).toBe(h.id);
    // stored state: the real link and config are there, the junk links are not; the lease is the controller's again
    expect(await ctl.getLinks()).toEqual([link]);
    expect(await ctl.getConfig('good-cfg')).toEqual({ k: 'v' });
    expect(Array.isArray(await ctl.getClaims())).toBe(true);
    expect((await lease.get(`lease_${lattice}`))?.json<{ holder: string }>().holder).not.toBe('evil');
    expect(ctrl.active).toBe(true);
    // the dashboard still answers, shows the three real hosts only, and refuses a foreign Host header
    const state = (await (await fetch(`${ui.url}api/state`)).json()) as { hosts: { host_id: string }[] };
    expect(state.hosts.map((h) => h.host_id).sort()).toEqual([a.id, b.id, c.id].sort());
    const port = new URL(ui.url).port;
    const rebound = await getWithHost(Number(port), `rebind.example:${port}`);
    expect(rebound.status).toBe(421);
    expect(rebound.body).toMatch(/DNS rebinding/);
    expect((await getWithHost(Number(port), `localhost:${port}`)).status).toBe(200);
    // each kind of junk was reported, one line per source and 10 s however many messages came
    const sources = new Set(dropped.map((d) => d['source']));
    for (const s of [
      evtSubject.all(lattice),
      'controller heartbeats',
      'dashboard heartbeats',
      `${bucketName.latticeData(lattice)}/COMPONENT_*`,
      'weft_controller lease',
      'wadm_manifests entries',
    ])
      expect(sources).toContain(s);
    expect(dropped.length).toBeLessThan(60);
  }, 90_000);
});
