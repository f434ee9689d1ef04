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
    expect(Buffer.from(byTag).equals(Buffer.from(adder))).toBe(true);
    expect(await readdir(join(cacheDir, 'blobs'))).toEqual([layerDigest.slice(7)]);
    expect(await readFile(join(cacheDir, 'manifests', digest.slice(7)), 'utf8')).toBe(layerDigest);
    await reg.stop();

    const pinned = ociRef(`${reg.host}/weft/adder@${digest}`);
    expect(Buffer.from(await pullOciComponent(pinned, 1 << 20, { cacheDir })).equals(Buffer.from(adder))).toBe(true);
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
    const a = pullOciComponent(r, 1 << 20, { cacheDir });
    const b = pullOciComponent(r, 1 << 20, { cacheDir });
    expect(b).toBe(a);
    await a;
    const c = pullOciComponent(r, 1 << 20, { cacheDir });
    expect(c).not.toBe(a);
    await c;
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
