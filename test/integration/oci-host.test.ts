/**
 * Hosts running components by registry ref against a real docker-registry (behind a counting proxy where the test
 * counts requests): a tag resolved at scale time and recorded as image_digest in the inventory, a moved tag picked up
 * by a new scale but not by running instances, the pull policies, concurrent scales of one ref pulling once, the size
 * limit applied before the download and the pull timeout. Credentials: oci-host-auth.test.ts; mirrors: oci-mirror.
 */
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OciClient, pushWasm } from '../../lattice/oci/index.ts';
import type { CtlClient, RunningNatsServer } from '../../lattice/index.ts';
import {
  assertScaleComponent,
  NatsServer,
  latticeFor,
  scaleAndWait,
  startTestHost,
  testCtl,
} from '../helpers/index.ts';
import { fixture } from '../helpers/fixtures.ts';
import { startRegistry, startRegistryProxy } from '../helpers/registry.ts';
import type { RegistryProxy, RunningRegistry } from '../helpers/registry.ts';

let adder: Uint8Array;
let strings: Uint8Array;
let anon: RunningRegistry;
let proxy: RegistryProxy;
let ns: RunningNatsServer;
let cacheRoot: string;
/** Each host its own OCI cache, so what one test pulled is not another's cache hit. */
const cacheDir = (lattice: string): string => join(cacheRoot, lattice);

beforeAll(async () => {
  adder = new Uint8Array(await readFile(fixture('adder.component.wasm')));
  strings = new Uint8Array(await readFile(fixture('strings.component.wasm')));
  anon = await startRegistry();
  proxy = await startRegistryProxy(anon);
  ns = await NatsServer.start();
  cacheRoot = await mkdtemp(join(tmpdir(), 'weft-oci-host-'));
});
afterAll(async () => {
  await proxy?.stop();
  await anon?.stop();
  await ns?.stop();
  if (cacheRoot) await rm(cacheRoot, { recursive: true, force: true });
});

/** The image_digest the host's inventory reports for component `id`. */
async function imageDigestOf(ctl: CtlClient, hostId: string, id: string): Promise<string | undefined> {
  return (await ctl.getHostInventory(hostId)).components.find((c) => c.id === id)?.image_digest;
}

/** Requests the proxy saw for `repo`, as `GET manifests/TAG` / `GET blobs/DIGEST`. */
const seen = (repo: string): string[] =>
  proxy.requests.filter((r) => r.includes(`/v2/${repo}/`)).map((r) => r.replace(`/v2/${repo}/`, ''));

describe('a host runs components by registry ref', () => {
  it('weft start component localhost:PORT/adder:0.1.0 pulls, runs and is callable; a missing tag fails the scale naming the ref', async () => {
    const lattice = latticeFor('oci');
    const host = await startTestHost(ns.url, { lattice, ociPull: { cacheDir: cacheDir(lattice) } });
    try {
      await using ctl = await testCtl(ns.url, lattice);
      const { digest } = await pushWasm(new OciClient(), `${anon.host}/weft/adder:0.1.0`, adder);
      await assertScaleComponent(ctl, {
        host_id: host.id,
        component_ref: `${anon.host}/weft/adder:0.1.0`,
        component_id: 'oci-adder',
        count: 1,
      });
      expect(await ctl.invoke('oci-adder', 'docs:adder/add.add', [2, 3])).toBe(5);
      await assertScaleComponent(ctl, {
        host_id: host.id,
        component_ref: `oci://${anon.host}/weft/adder@${digest}`,
        component_id: 'oci-pinned',
        count: 1,
      });
      expect(await ctl.invoke('oci-pinned', 'docs:adder/add.add', [20, 22])).toBe(42);
      const missing = `${anon.host}/weft/adder:0.0.404`;
      const e = await scaleAndWait(ctl, {
        host_id: host.id,
        component_ref: missing,
        component_id: 'oci-missing',
        count: 1,
      });
      expect(e.type).toMatch(/component_scale_failed$/);
      expect(String(e.data['error'])).toMatch(/OCI_NOT_FOUND/);
      expect(String(e.data['error'])).toContain(missing);
    } finally {
      await host.stop();
    }
  });
});

describe('a moved tag and the pull policy', () => {
  it('running instances keep the digest they were pulled at; a new scale gets the moved tag (always), if-not-present keeps the cached one', async () => {
    const lattice = latticeFor('ocitag');
    const host = await startTestHost(ns.url, { lattice, ociPull: { cacheDir: cacheDir(lattice) } });
    try {
      await using ctl = await testCtl(ns.url, lattice);
      const ref = `${proxy.host}/weft/moving:latest`;
      const v1 = await pushWasm(new OciClient(), ref, adder);
      const scale = (id: string, annotations: Record<string, string> = {}, count = 1) =>
        assertScaleComponent(ctl, { host_id: host.id, component_ref: ref, component_id: id, count, annotations });
      await scale('tag-a');
      expect(await imageDigestOf(ctl, host.id, 'tag-a')).toBe(v1.digest);

      const v2 = await pushWasm(new OciClient(), ref, strings);
      expect(v2.digest).not.toBe(v1.digest);
      // a scale of the running component changes its instances, not its content
      await scale('tag-a', {}, 2);
      expect(await imageDigestOf(ctl, host.id, 'tag-a')).toBe(v1.digest);
      expect(await ctl.invoke('tag-a', 'docs:adder/add.add', [2, 3])).toBe(5);

      // if-not-present: the tag was pulled by this host before, so the registry is not asked
      const before = seen('weft/moving').length;
      await scale('tag-cached', { 'weft.dev/pull-policy': 'if-not-present' });
      expect(await imageDigestOf(ctl, host.id, 'tag-cached')).toBe(v1.digest);
      expect(seen('weft/moving').length).toBe(before);

      // always (the default): the tag is resolved again and the new content runs
      await scale('tag-b');
      expect(await imageDigestOf(ctl, host.id, 'tag-b')).toBe(v2.digest);
      expect(await ctl.invoke('tag-b', 'roundtrip', ['v2'])).toBe('v2');
      expect(await ctl.invoke('tag-a', 'docs:adder/add.add', [20, 22])).toBe(42);
      expect(await imageDigestOf(ctl, host.id, 'tag-a')).toBe(v1.digest);

      const bad = await scaleAndWait(ctl, {
        host_id: host.id,
        component_ref: ref,
        component_id: 'tag-bad',
        count: 1,
        annotations: { 'weft.dev/pull-policy': 'sometimes' },
      });
      expect(String(bad.data['error'])).toMatch(
        /HOST_REFUSED.*weft\.dev\/pull-policy="sometimes" is not a pull policy/,
      );
    } finally {
      await host.stop();
    }
  });

  it('the host flag if-not-present serves a tag pulled before without the registry', async () => {
    const lattice = latticeFor('ocipolicy');
    const ref = `${proxy.host}/weft/policy:1`;
    await pushWasm(new OciClient(), ref, adder);
    const host = await startTestHost(ns.url, {
      lattice,
      ociPull: { pullPolicy: 'if-not-present', cacheDir: cacheDir(lattice) },
    });
    try {
      await using ctl = await testCtl(ns.url, lattice);
      await assertScaleComponent(ctl, { host_id: host.id, component_ref: ref, component_id: 'p1', count: 1 });
      const after = seen('weft/policy').length;
      await assertScaleComponent(ctl, { host_id: host.id, component_ref: ref, component_id: 'p2', count: 1 });
      expect(seen('weft/policy').length).toBe(after);
    } finally {
      await host.stop();
    }
  });
});

describe('pull limits', () => {
  it('concurrent scales of one ref pull it once; a later scale asks for the manifest only (the layer is cached)', async () => {
    const lattice = latticeFor('ociconc');
    const ref = `${proxy.host}/weft/conc:1`;
    const { layerDigest } = await pushWasm(new OciClient(), ref, adder);
    const host = await startTestHost(ns.url, { lattice, ociPull: { cacheDir: cacheDir(lattice) } });
    try {
      await using ctl = await testCtl(ns.url, lattice);
      const start = seen('weft/conc').length;
      const ids = ['c1', 'c2', 'c3', 'c4'];
      await Promise.all(
        ids.map((id) =>
          assertScaleComponent(ctl, { host_id: host.id, component_ref: ref, component_id: id, count: 1 }),
        ),
      );
      const got = seen('weft/conc').slice(start);
      expect(got.filter((r) => r === 'GET manifests/1')).toHaveLength(1);
      expect(got.filter((r) => r.startsWith('GET blobs/'))).toEqual([`GET blobs/${layerDigest}`]);
      await assertScaleComponent(ctl, { host_id: host.id, component_ref: ref, component_id: 'c5', count: 1 });
      expect(seen('weft/conc').slice(start + got.length)).toEqual(['GET manifests/1']);
    } finally {
      await host.stop();
    }
  });

  it('an artifact over --max-component-size-bytes is refused from its manifest, before the layer is asked for', async () => {
    const lattice = latticeFor('ocisize');
    const ref = `${proxy.host}/weft/big:1`;
    await pushWasm(new OciClient(), ref, adder);
    const host = await startTestHost(ns.url, {
      lattice,
      maxComponentSizeBytes: 1000,
      ociPull: { cacheDir: cacheDir(lattice) },
    });
    try {
      await using ctl = await testCtl(ns.url, lattice);
      const e = await scaleAndWait(ctl, { host_id: host.id, component_ref: ref, component_id: 'big', count: 1 });
      expect(String(e.data['error'])).toContain(`[OCI_TOO_LARGE] ${ref}@sha256:`);
      expect(String(e.data['error'])).toContain(`the artifact is ${adder.length} bytes, over the limit of 1000 bytes`);
      expect(seen('weft/big').filter((r) => r.startsWith('GET blobs/'))).toEqual([]);
    } finally {
      await host.stop();
    }
  });

  it("the host's pull timeout ends a pull from a registry that never answers", async () => {
    const silent = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    const lattice = latticeFor('ocitimeout');
    const host = await startTestHost(ns.url, { lattice, ociPull: { pullTimeoutMs: 500, cacheDir: cacheDir(lattice) } });
    try {
      await using ctl = await testCtl(ns.url, lattice);
      const ref = `127.0.0.1:${port}/weft/silent:1`;
      const e = await scaleAndWait(ctl, { host_id: host.id, component_ref: ref, component_id: 'silent', count: 1 });
      expect(String(e.data['error'])).toMatch(
        /^\[OCI_TIMEOUT\] 127\.0\.0\.1:\d+\/weft\/silent:1: .*pull timeout of 500 ms/,
      );
    } finally {
      await host.stop();
      silent.closeAllConnections();
      await new Promise((r) => silent.close(r));
    }
  });
});
