import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OciClient, parseArtifactRef, pushWasm } from '../../lattice/index.ts';
import type { ArtifactRef } from '../../lattice/index.ts';
import { fixture } from '../../test/helpers/fixtures.ts';
import { startRegistry } from '../../test/helpers/registry.ts';
import { pullOciComponent } from './oci-pull.ts';

const ociRef = (s: string) => parseArtifactRef(s) as Extract<ArtifactRef, { kind: 'oci' }>;

describe('pullOciComponent (real docker-registry)', () => {
  let cacheDir: string;
  beforeEach(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'weft-oci-cache-'));
  });
  afterEach(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('caches by digest: a pinned ref is served from disk with the registry gone, a tampered cache entry is not used', async () => {
    const adder = new Uint8Array(await readFile(fixture('adder.component.wasm')));
    const reg = await startRegistry();
    const { digest, layerDigest } = await pushWasm(new OciClient(), `${reg.host}/weft/adder:0.1.0`, adder);
    const byTag = await pullOciComponent(ociRef(`${reg.host}/weft/adder:0.1.0`), 1 << 20, { cacheDir });
    expect(Buffer.from(byTag.bytes).equals(Buffer.from(adder))).toBe(true);
    expect(byTag).toMatchObject({ digest, ref: `${reg.host}/weft/adder:0.1.0@${digest}` });
    expect(await readdir(join(cacheDir, 'blobs'))).toEqual([layerDigest.slice(7)]);
    expect(await readFile(join(cacheDir, 'manifests', digest.slice(7)), 'utf8')).toBe(layerDigest);
    await reg.stop();

    const pinned = ociRef(`${reg.host}/weft/adder@${digest}`);
    const fromDisk = await pullOciComponent(pinned, 1 << 20, { cacheDir });
    expect(Buffer.from(fromDisk.bytes).equals(Buffer.from(adder))).toBe(true);
    // a tag must be resolved at the registry, so it fails with the registry gone
    await expect(pullOciComponent(ociRef(`${reg.host}/weft/adder:0.1.0`), 1 << 20, { cacheDir })).rejects.toMatchObject(
      { code: 'OCI_UNREACHABLE' },
    );
    // a cache entry that no longer hashes to its name is ignored (and the registry asked, which is gone)
    await writeFile(join(cacheDir, 'blobs', layerDigest.slice(7)), 'not the component');
    await expect(pullOciComponent(pinned, 1 << 20, { cacheDir })).rejects.toMatchObject({ code: 'OCI_UNREACHABLE' });
  });

  it('shares one pull between concurrent callers of the same ref', async () => {
    await using reg = await startRegistry();
    const adder = new Uint8Array(await readFile(fixture('adder.component.wasm')));
    await pushWasm(new OciClient(), `${reg.host}/weft/adder:0.1.0`, adder);
    const r = ociRef(`${reg.host}/weft/adder:0.1.0`);
    const o = { cacheDir };
    const a = pullOciComponent(r, 1 << 20, o);
    const b = pullOciComponent(r, 1 << 20, o);
    expect(b).toBe(a);
    await a;
    const c = pullOciComponent(r, 1 << 20, o);
    expect(c).not.toBe(a);
    await c;
  });

  it("pull policy: `always` asks the registry for a tag every time, `if-not-present` uses this cache's last pull of it", async () => {
    const adder = new Uint8Array(await readFile(fixture('adder.component.wasm')));
    const strings = new Uint8Array(await readFile(fixture('strings.component.wasm')));
    await using reg = await startRegistry();
    const ref = ociRef(`${reg.host}/weft/moving:latest`);
    const v1 = await pushWasm(new OciClient(), `${reg.host}/weft/moving:latest`, adder);
    // nothing cached yet: if-not-present pulls too
    expect((await pullOciComponent(ref, 1 << 20, { cacheDir }, 'if-not-present')).digest).toBe(v1.digest);
    const v2 = await pushWasm(new OciClient(), `${reg.host}/weft/moving:latest`, strings);
    expect((await pullOciComponent(ref, 1 << 20, { cacheDir, pullPolicy: 'if-not-present' })).digest).toBe(v1.digest);
    const always = await pullOciComponent(ref, 1 << 20, { cacheDir });
    expect(always.digest).toBe(v2.digest);
    expect(Buffer.from(always.bytes).equals(Buffer.from(strings))).toBe(true);
    // the tag now names v2 in the cache; with the registry gone if-not-present still serves it, always cannot
    await reg.stop();
    expect((await pullOciComponent(ref, 1 << 20, { cacheDir }, 'if-not-present')).digest).toBe(v2.digest);
    await expect(pullOciComponent(ref, 1 << 20, { cacheDir })).rejects.toMatchObject({ code: 'OCI_UNREACHABLE' });
  });

  it('pulls a mirrored registry from its mirror and reports the ref as written', async () => {
    const adder = new Uint8Array(await readFile(fixture('adder.component.wasm')));
    await using reg = await startRegistry();
    const { digest } = await pushWasm(new OciClient(), `${reg.host}/wasmcloud/components/adder:0.1.0`, adder);
    const got = await pullOciComponent(ociRef('ghcr.io/wasmcloud/components/adder:0.1.0'), 1 << 20, {
      cacheDir,
      mirrors: { 'ghcr.io': reg.host },
    });
    expect(got).toMatchObject({ digest, ref: `ghcr.io/wasmcloud/components/adder:0.1.0@${digest}` });
  });

  it('shares pulls per options object (one per host), not between hosts', async () => {
    await using reg = await startRegistry();
    await pushWasm(new OciClient(), `${reg.host}/weft/adder:0.1.0`, await readFile(fixture('adder.component.wasm')));
    const r = ociRef(`${reg.host}/weft/adder:0.1.0`);
    const hostA = { cacheDir };
    const a = pullOciComponent(r, 1 << 20, hostA);
    expect(pullOciComponent(r, 1 << 20, hostA)).toBe(a);
    const b = pullOciComponent(r, 1 << 20, { cacheDir });
    expect(b).not.toBe(a);
    await Promise.all([a, b]);
  });

  it('refuses a cache directory others can write', async () => {
    const { chmod } = await import('node:fs/promises');
    await chmod(cacheDir, 0o777);
    const err = await Promise.resolve()
      .then(() => pullOciComponent(ociRef('localhost:1/x:1'), 1 << 20, { cacheDir }))
      .catch((e: unknown) => e);
    expect(String(err)).toMatch(/writable by group or others/);
  });
});
