import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifest } from '../../lattice/apps/index.ts';
import { createLogger } from '../../host/index.ts';
import { Controller, planApp, splitByWeight } from '../../host/controller/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import { freePort } from '../../lattice/index.ts';
import {
  actorRef,
  check,
  fixtureRef,
  latticeFor,
  NatsServer,
  startTestHost,
  testCtl,
  wadmApi,
  rawNatsOf,
} from '../helpers/index.ts';

let ns: RunningNatsServer;
beforeAll(async () => {
  ns = await NatsServer.start();
});
afterAll(async () => {
  await ns?.stop();
});

const manifest = (ref: string, instances = 6) => `apiVersion: core.oam.dev/v1beta1
kind: Application
metadata:
  name: adders
  annotations:
    version: v1
spec:
  components:
    - name: adder
      type: component
      properties:
        image: ${ref}
        id: adder
      traits:
        - type: spreadscaler
          properties:
            instances: ${instances}
            spread:
              - name: east
                requirements: { zone: east }
                weight: 2
              - name: west
                requirements: { zone: west }
                weight: 1
`;

describe('applications', () => {
  it('validate - every problem is reported with its path and line; the wadm-style examples validate', async () => {
    const bad = `apiVersion: v1\nkind: Application\nmetadata:\n  name: x\nspec:\n  components:\n    - name: a\n      type: actorz\n      properties: {}\n      traits:\n        - type: spreadscaler\n          properties:\n            instances: -1\n        - type: linky\n`;
    const { manifest: m, problems } = parseManifest(bad);
    expect(m).toBeUndefined();
    const paths = problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'apiVersion',
        'spec.components[0].type',
        'spec.components[0].properties.image',
        'spec.components[0].traits[0].properties.instances',
        'spec.components[0].traits[1].type',
      ]),
    );
    expect(problems.find((p) => p.path === 'spec.components[0].type')?.line).toBe(8);
    for (const f of ['hello-world.yaml', 'keyvalue-counter.yaml']) {
      const text = await readFile(fileURLToPath(new URL(`../fixtures/manifests/${f}`, import.meta.url)), 'utf8');
      expect(parseManifest(text).problems, f).toEqual([]);
    }
    expect(
      splitByWeight(6, [
        { name: 'a', requirements: {}, weight: 2 },
        { name: 'b', requirements: {}, weight: 1 },
      ]),
    ).toEqual([4, 2]);
  });

  it('controller - spreadscaler 6 over two label groups (2:1) lands 4:2; a lost host moves its work; undeploy cleans up', async () => {
    const lattice = latticeFor('apps');
    const opts = { lattice, heartbeatIntervalSec: 0.5 };
    const a = await startTestHost(ns.url, { ...opts, labels: { zone: 'east' } });
    const b = await startTestHost(ns.url, { ...opts, labels: { zone: 'east' } });
    const c = await startTestHost(ns.url, { ...opts, labels: { zone: 'west' } });
    await using ctl = await testCtl(ns.url, lattice);
    const ctrl = await Controller.start({
      nc: rawNatsOf(ctl),
      lattice,
      logger: createLogger('warn'),
      heartbeatIntervalSec: 0.5,
      missedHeartbeats: 2,
      reconcileMs: 300,
    });
    const api = wadmApi(rawNatsOf(ctl), lattice);
    expect(await api('put', undefined, manifest(fixtureRef('adder.component.wasm')))).toMatchObject({
      result: 'created',
      current_version: 'v1',
      name: 'adders',
    });
    expect(await api('deploy', 'adders')).toMatchObject({ result: 'acknowledged' });
    const counts = async () => {
      const out: Record<string, number> = {};
      for (const h of [a, b, c]) {
        const inv = await ctl.getHostInventory(h.id).catch(() => undefined);
        out[h.labels['zone'] + (h === b ? '2' : '')] =
          inv?.components.find((x) => x.id === 'adder')?.max_instances ?? 0;
      }
      return out;
    };
    const deployed = async (): Promise<true> => {
      const st = ((await api('status', 'adders')) as { status?: { status: { type: string; message: string } } }).status
        ?.status;
      if (st?.type !== 'deployed')
        throw new Error(`status ${JSON.stringify(st)}; placed ${JSON.stringify(await counts())}`);
      return true;
    };
    await check(deployed, 20_000);
    expect(await counts()).toEqual({ east: 2, east2: 2, west: 2 });
    expect((await ctl.getHostInventory(a.id)).components[0]?.annotations).toMatchObject({
      'wasmcloud.dev/appspec': 'adders',
      'wasmcloud.dev/spread_name': 'east',
    });
    // host b dies without a word (no host_stopped): its heartbeats stop, the controller moves the east share to a
    await b.nc.close();
    await check(
      async () => (await ctl.getHostInventory(a.id)).components.find((x) => x.id === 'adder')?.max_instances === 4,
      20_000,
    );
    await check(deployed, 20_000);
    const list = (await api('list')) as { models: { name: string; status: string; deployed_version: string }[] };
    expect(list.models).toEqual([
      expect.objectContaining({ name: 'adders', status: 'deployed', deployed_version: 'v1' }),
    ]);
    expect(await api('undeploy', 'adders')).toMatchObject({ result: 'acknowledged' });
    await check(
      async () =>
        (await ctl.getHostInventory(a.id)).components.length === 0 &&
        (await ctl.getHostInventory(c.id)).components.length === 0,
      20_000,
    );
    expect(await api('del', 'adders')).toMatchObject({ result: 'deleted' });
    expect(await api('get', 'adders')).toMatchObject({ result: 'notfound' });
    await ctrl.stop();
    await Promise.all([a.stop(), b.stop(), c.stop()]);
  }, 60_000);

  it('controller - exactly one is active per lattice; a standby takes over when the active one stops', async () => {
    const lattice = latticeFor('lease');
    await using ctl = await testCtl(ns.url, lattice);
    const logger = createLogger('warn');
    const one = await Controller.start({ nc: rawNatsOf(ctl), lattice, logger, reconcileMs: 200, leaseMs: 1000 });
    await check(() => one.active);
    const two = await Controller.start({ nc: rawNatsOf(ctl), lattice, logger, reconcileMs: 200, leaseMs: 1000 });
    await new Promise((r) => setTimeout(r, 600));
    expect([one.active, two.active]).toEqual([true, false]);
    await one.stop();
    await check(() => two.active, 5000);
    await two.stop();
  });

  it('plan - daemonscaler runs on every matching host; providers one per host', () => {
    const { manifest: m } = parseManifest(
      `apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata: { name: d }\nspec:\n  components:\n    - name: c\n      type: component\n      properties: { image: x }\n      traits: [{ type: daemonscaler, properties: { instances: 3, spread: [{ name: s, requirements: { role: edge } }] } }]\n    - name: p\n      type: capability\n      properties: { image: weft+builtin://http-server }\n      traits: [{ type: daemonscaler, properties: { instances: 1 } }]\n`,
    );
    const hosts = ['N1', 'N2', 'N3'].map((id, i) => ({
      id,
      labels: { role: i < 2 ? 'edge' : 'core' },
      components: [],
      providers: [],
    }));
    const plan = planApp('d', m!, hosts);
    expect(plan.components.map((x) => [x.hostId, x.count])).toEqual([
      ['N1', 3],
      ['N2', 3],
    ]);
    expect(plan.providers.map((x) => x.hostId)).toEqual(['N1', 'N2', 'N3']);
  });
});

describe('applications: wadm examples', () => {
  it('hello-world - the wadm-style manifest deploys with only its image ref (and port) changed, and its HTTP endpoint answers', async () => {
    const lattice = latticeFor('hello_app');
    const ref = await actorRef('http-hello');
    const port = await freePort();
    const text = (
      await readFile(fileURLToPath(new URL('../fixtures/manifests/hello-world.yaml', import.meta.url)), 'utf8')
    )
      .replace('nats://artifacts/http-hello:0.1.0', ref)
      .replace('127.0.0.1:8080', `127.0.0.1:${port}`);
    const host = await startTestHost(ns.url, { lattice });
    await using ctl = await testCtl(ns.url, lattice);
    const ctrl = await Controller.start({
      nc: rawNatsOf(ctl),
      lattice,
      logger: createLogger('warn'),
      reconcileMs: 300,
    });
    const api = wadmApi(rawNatsOf(ctl), lattice);
    expect(await api('put', undefined, text)).toMatchObject({ result: 'created', current_version: 'v0.0.1' });
    expect(await api('deploy', 'hello-world')).toMatchObject({ result: 'acknowledged' });
    const body = await check(async () => {
      const r = await fetch(`http://127.0.0.1:${port}/`).catch(() => undefined);
      return r?.status === 200 ? r.text() : undefined; // until the component behind the endpoint runs
    }, 30_000);
    expect(body).toBe('hello from weft\n');
    await check(
      async () =>
        ((await api('status', 'hello-world')) as { status: { status: { type: string } } }).status.status.type ===
        'deployed',
      20_000,
    );
    await ctrl.stop();
    await host.stop();
  }, 120_000);
});
