/**
 * A wadm manifest whose images are registry refs as wasmCloud's examples write them (`ghcr.io/wasmcloud/…`,
 * test/fixtures/manifests/registry-components.yaml, unchanged) deploys over two hosts through registry mirrors: the
 * fixtures are pushed to a local docker-registry under those names, each host runs with its own
 * `--registry-mirror ghcr.io=…` (a counting proxy in front of that registry), and the controller places them.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { componentIdOf, parseManifest } from '../../lattice/apps/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import { OciClient, pushWasm } from '../../lattice/oci/index.ts';
import { createLogger } from '../../host/index.ts';
import { Controller } from '../../host/controller/index.ts';
import { check, latticeFor, NatsServer, startTestHost, testCtl, wadmApi, rawNatsOf } from '../helpers/index.ts';
import { fixture } from '../helpers/fixtures.ts';
import { startRegistry, startRegistryProxy } from '../helpers/registry.ts';
import type { RunningRegistry } from '../helpers/registry.ts';

let ns: RunningNatsServer;
let reg: RunningRegistry;
beforeAll(async () => {
  ns = await NatsServer.start();
  reg = await startRegistry();
});
afterAll(async () => {
  await reg?.stop();
  await ns?.stop();
});

describe('a wadm manifest with registry refs, through registry mirrors', () => {
  it('deploys over two hosts; each host pulls through its mirror and reports the digest it resolved', async () => {
    const text = await readFile(
      fileURLToPath(new URL('../fixtures/manifests/registry-components.yaml', import.meta.url)),
      'utf8',
    );
    const { manifest } = parseManifest(text);
    const [adder, strings] = manifest!.spec.components;
    const pushed: Record<string, string> = {};
    for (const [c, file] of [
      [adder!, 'adder.component.wasm'],
      [strings!, 'strings.component.wasm'],
    ] as const) {
      const local = c.properties.image.replace(/^ghcr\.io\//, `${reg.host}/`);
      pushed[c.name] = (await pushWasm(new OciClient(), local, await readFile(fixture(file)))).digest;
    }
    await using east = await startRegistryProxy(reg);
    await using west = await startRegistryProxy(reg);
    const lattice = latticeFor('ocimirror');
    const host = (zone: string, mirror: string) =>
      startTestHost(ns.url, {
        lattice,
        heartbeatIntervalSec: 0.5,
        labels: { zone },
        ociPull: { mirrors: { 'ghcr.io': mirror } },
      });
    const hosts = [await host('east', east.host), await host('west', west.host)];
    await using ctl = await testCtl(ns.url, lattice);
    const ctrl = await Controller.start({
      nc: rawNatsOf(ctl),
      lattice,
      logger: createLogger('warn'),
      heartbeatIntervalSec: 0.5,
      reconcileMs: 300,
    });
    try {
      const api = wadmApi(rawNatsOf(ctl), lattice);
      expect(await api('put', undefined, text)).toMatchObject({ result: 'created', current_version: 'v0.0.1' });
      expect(await api('deploy', 'registry-components')).toMatchObject({ result: 'acknowledged' });
      await check(
        async () =>
          ((await api('status', 'registry-components')) as { status: { status: { type: string } } }).status.status
            .type === 'deployed',
        30_000,
      );
      const adderId = componentIdOf('registry-components', adder!);
      const stringsId = componentIdOf('registry-components', strings!);
      for (const h of hosts) {
        const inv = await ctl.getHostInventory(h.id);
        const byId = Object.fromEntries(inv.components.map((c) => [c.id, c]));
        // one adder per zone (spread 50:50 of 2), strings on every host (daemonscaler); refs as the manifest wrote them
        expect(byId[adderId]).toMatchObject({
          image_ref: adder!.properties.image,
          image_digest: pushed['adder'],
          max_instances: 1,
        });
        expect(byId[stringsId]).toMatchObject({
          image_ref: strings!.properties.image,
          image_digest: pushed['strings'],
        });
      }
      // each host asked its own mirror for both components (nothing went to ghcr.io, which is unreachable here)
      for (const mirror of [east, west]) {
        expect(mirror.requests).toContain('GET /v2/wasmcloud/components/adder/manifests/0.1.0');
        expect(mirror.requests).toContain('GET /v2/wasmcloud/components/strings/manifests/0.1.0');
      }
      expect(await ctl.invoke(adderId, 'docs:adder/add.add', [2, 3])).toBe(5);
      expect(await ctl.invoke(stringsId, 'roundtrip', ['mirrored'])).toBe('mirrored');
    } finally {
      await ctrl.stop();
      for (const h of hosts) await h.stop();
    }
  }, 120_000);
});
