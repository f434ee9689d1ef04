/**
 * The OCI client against a real registry (Debian's docker-registry, distribution 2.8): push and pull of a real
 * component, digest pins, tampered content in the registry's own storage, Basic and token auth, and manifests
 * written by hand in wasmCloud's legacy and Spin's media types. Hosts pulling: oci-host*.test.ts, oci-mirror.test.ts.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OciClient, OciError, OciMediaType, pullWasm, pushWasm, sha256Digest } from '../../lattice/oci/index.ts';
import type { OciDescriptor } from '../../lattice/oci/index.ts';
import { fixture } from '../helpers/fixtures.ts';
import { REGISTRY_TEST_PASSWORD, REGISTRY_TEST_USER, startRegistry } from '../helpers/registry.ts';
import type { RunningRegistry } from '../helpers/registry.ts';

const creds = { username: REGISTRY_TEST_USER, password: REGISTRY_TEST_PASSWORD };
let adder: Uint8Array;
let anon: RunningRegistry;

beforeAll(async () => {
  adder = new Uint8Array(await readFile(fixture('adder.component.wasm')));
  anon = await startRegistry();
});
afterAll(async () => {
  await anon?.stop();
});

async function failure(p: Promise<unknown>): Promise<OciError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OciError);
  return err as OciError;
}

/** Where distribution 2.8's filesystem driver keeps a blob (manifests are blobs too). */
const blobPath = (reg: RunningRegistry, digest: string): string =>
  join(reg.storageDir, 'docker/registry/v2/blobs/sha256', digest.slice(7, 9), digest.slice(7), 'data');

/** Pushes blobs and a manifest with plain HTTP calls, as another tool would (no weft code involved). */
async function rawPush(
  reg: RunningRegistry,
  repo: string,
  tag: string,
  blobs: Uint8Array[],
  manifest: unknown,
): Promise<string> {
  for (const b of blobs) {
    const start = await fetch(`${reg.url}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
    expect(start.status).toBe(202);
    const url = new URL(start.headers.get('location')!, reg.url);
    url.searchParams.set('digest', sha256Digest(b));
    const put = await fetch(url, {
      method: 'PUT',
      body: b as Uint8Array<ArrayBuffer>,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(put.status).toBe(201);
  }
  const bytes = new TextEncoder().encode(JSON.stringify(manifest));
  const res = await fetch(`${reg.url}/v2/${repo}/manifests/${tag}`, {
    method: 'PUT',
    body: bytes,
    headers: { 'content-type': OciMediaType.OciManifest },
  });
  expect(res.status).toBe(201);
  return sha256Digest(bytes);
}

const descOf = (mediaType: string, b: Uint8Array): OciDescriptor => ({
  mediaType,
  digest: sha256Digest(b),
  size: b.length,
});

describe('OCI registry (anonymous)', () => {
  it('push then pull by tag and by digest returns the same bytes; the config lists the component exports', async () => {
    const client = new OciClient();
    expect(await client.ping(anon.host)).toBe(true);
    const ref = `${anon.host}/weft/adder:0.1.0`;
    const pushed = await pushWasm(client, ref, adder);
    expect(pushed).toMatchObject({
      layerDigest: sha256Digest(adder),
      size: adder.length,
      uploaded: 2,
      ref: `${ref}@${pushed.digest}`,
    });

    const byTag = await pullWasm(client, ref);
    expect(byTag).toMatchObject({
      digest: pushed.digest,
      ref: `${ref}@${pushed.digest}`,
      layerMediaType: 'application/wasm',
    });
    expect(Buffer.from(byTag.bytes).equals(Buffer.from(adder))).toBe(true);
    const byDigest = await pullWasm(client, `oci://${anon.host}/weft/adder@${pushed.digest}`);
    expect(byDigest.digest).toBe(pushed.digest);
    expect(Buffer.from(byDigest.bytes).equals(Buffer.from(adder))).toBe(true);

    const { manifest } = await client.getManifest({
      registry: anon.host,
      repository: 'weft/adder',
      tag: '0.1.0',
      digest: undefined,
    });
    expect(manifest.config.mediaType).toBe('application/vnd.wasm.config.v0+json');
    const config = JSON.parse(
      Buffer.from(
        await client.getBlob(
          { registry: anon.host, repository: 'weft/adder', tag: undefined, digest: pushed.digest },
          manifest.config,
          1 << 20,
        ),
      ).toString(),
    );
    expect(config).toMatchObject({
      architecture: 'wasm',
      os: 'wasip2',
      layerDigests: [sha256Digest(adder)],
      component: { exports: ['docs:adder/add@0.1.0'], imports: [] },
    });

    // a second push finds the layer with HEAD and uploads only the new config (its `created` differs)
    const steps: string[] = [];
    const again = await pushWasm(client, `${anon.host}/weft/adder:0.1.1`, adder, {
      onProgress: (step, state) => steps.push(`${step}:${state}`),
    });
    expect(again.uploaded).toBe(1);
    expect(steps).toEqual(['config:uploaded', 'layer:exists', 'manifest:uploaded']);
  });

  it('a tag moved to new content resolves to the new digest; the old digest still pulls the old bytes', async () => {
    const client = new OciClient();
    const ref = `${anon.host}/weft/moving:1`;
    const first = await pushWasm(client, ref, adder);
    const other = new Uint8Array(await readFile(fixture('strings.component.wasm')));
    const second = await pushWasm(client, ref, other);
    expect(second.digest).not.toBe(first.digest);
    expect((await pullWasm(client, ref)).digest).toBe(second.digest);
    expect(
      Buffer.from((await pullWasm(client, `${anon.host}/weft/moving@${first.digest}`)).bytes).equals(
        Buffer.from(adder),
      ),
    ).toBe(true);
  });

  it('refuses content that does not match its digest: a tampered layer and a tampered pinned manifest', async () => {
    // a registry of its own: the layer blob changed here is the adder's, which other tests pull
    await using reg = await startRegistry();
    const client = new OciClient();
    const pushed = await pushWasm(client, `${reg.host}/weft/tamper:1`, adder, {
      annotations: { 'org.opencontainers.image.title': 'aaaa' },
    });
    // same length, one byte changed, in the registry's own storage: the registry serves it under the old digest
    const layerFile = blobPath(reg, pushed.layerDigest);
    const layer = await readFile(layerFile);
    layer[layer.length - 1] = layer.at(-1)! ^ 0xff;
    await writeFile(layerFile, layer);
    const e1 = await failure(pullWasm(client, `${reg.host}/weft/tamper:1`));
    expect(e1.code).toBe('OCI_DIGEST_MISMATCH');
    expect(e1.message).toContain(`${reg.host}/weft/tamper:1@${pushed.digest}`);

    const manifestFile = blobPath(reg, pushed.digest);
    await writeFile(manifestFile, (await readFile(manifestFile, 'utf8')).replace('"aaaa"', '"bbbb"'));
    const e2 = await failure(pullWasm(client, `${reg.host}/weft/tamper@${pushed.digest}`));
    expect(e2.code).toBe('OCI_DIGEST_MISMATCH');
    expect(e2.message).toMatch(/the manifest served for sha256:[0-9a-f]{64} hashes to sha256:/);
  });

  it('a digest or tag the registry does not have, an oversize artifact and an unreachable registry get coded errors naming the ref', async () => {
    const client = new OciClient();
    await pushWasm(client, `${anon.host}/weft/adder:0.1.0`, adder);
    const unknown = `${anon.host}/weft/adder@sha256:${'0'.repeat(64)}`;
    const e1 = await failure(pullWasm(client, unknown));
    expect(e1).toMatchObject({ code: 'OCI_NOT_FOUND', status: 404 });
    expect(e1.message).toContain(unknown);
    const e2 = await failure(pullWasm(client, `${anon.host}/weft/adder:9.9.9`));
    expect(e2.code).toBe('OCI_NOT_FOUND');
    expect(e2.message).toMatch(/MANIFEST_UNKNOWN/);
    const e3 = await failure(pullWasm(client, `${anon.host}/weft/adder:0.1.0`, { maxBytes: 1000 }));
    expect(e3.code).toBe('OCI_TOO_LARGE');
    expect(e3.message).toContain(`the artifact is ${adder.length} bytes, over the limit of 1000 bytes`);

    const gone = await startRegistry();
    await gone.stop();
    const e4 = await failure(pullWasm(client, `${gone.host}/weft/adder:0.1.0`));
    expect(e4.code).toBe('OCI_UNREACHABLE');
    expect(e4.message).toContain(`cannot reach registry ${gone.host}`);
  });

  it.each([
    ['wasmCloud 1.x legacy', OciMediaType.WasmCloudLayer, 'application/vnd.wasmcloud.actor.archive.config'],
    ['Spin', OciMediaType.SpinLayer, 'application/vnd.wasm.config.v1+json'],
  ])('pulls a %s artifact pushed by hand', async (_name, layerType, configType) => {
    const config = new TextEncoder().encode('{}');
    const repo = `other/${layerType.includes('module') ? 'legacy' : 'spin'}`;
    const digest = await rawPush(anon, repo, 'v1', [config, adder], {
      schemaVersion: 2,
      mediaType: OciMediaType.OciManifest,
      config: descOf(configType, config),
      layers: [descOf(layerType, adder)],
    });
    const pulled = await pullWasm(new OciClient(), `${anon.host}/${repo}:v1`);
    expect(pulled).toMatchObject({ digest, layerMediaType: layerType, layerDigest: sha256Digest(adder) });
    expect(Buffer.from(pulled.bytes).equals(Buffer.from(adder))).toBe(true);
  });

  it('refuses a manifest with two wasm layers', async () => {
    const config = new TextEncoder().encode('{}');
    const other = new Uint8Array(await readFile(fixture('strings.component.wasm')));
    await rawPush(anon, 'other/two', 'v1', [config, adder, other], {
      schemaVersion: 2,
      mediaType: OciMediaType.OciManifest,
      config: descOf(OciMediaType.WasmConfig, config),
      layers: [descOf(OciMediaType.WasmLayer, adder), descOf(OciMediaType.WasmLayer, other)],
    });
    const err = await failure(pullWasm(new OciClient(), `${anon.host}/other/two:v1`));
    expect(err.code).toBe('OCI_BAD_MANIFEST');
    expect(err.message).toMatch(new RegExp(`${anon.host}/other/two:v1@sha256:[0-9a-f]{64}: has 2 Wasm layers`));
  });
});

describe('OCI registry with Basic auth (htpasswd)', () => {
  it('refuses without or with wrong credentials and works with the right ones', async () => {
    await using reg = await startRegistry({ auth: 'basic' });
    const ref = `${reg.host}/weft/adder:0.1.0`;
    const none = await failure(pushWasm(new OciClient(), ref, adder));
    expect(none.code).toBe('OCI_UNAUTHORIZED');
    expect(none.hint).toContain(`weft reg login ${reg.host}`);
    const wrong = await failure(
      pushWasm(new OciClient({ credentials: () => ({ username: REGISTRY_TEST_USER, password: 'wrong' }) }), ref, adder),
    );
    expect(wrong.code).toBe('OCI_UNAUTHORIZED');
    expect(`${wrong.message} ${wrong.hint}`).not.toContain('wrong');

    const client = new OciClient({ credentials: (r) => (r === reg.host ? creds : undefined) });
    const pushed = await pushWasm(client, ref, adder);
    const pulled = await pullWasm(client, ref);
    expect(pulled.digest).toBe(pushed.digest);
    expect(Buffer.from(pulled.bytes).equals(Buffer.from(adder))).toBe(true);
    expect((await failure(pullWasm(new OciClient(), ref))).code).toBe('OCI_UNAUTHORIZED');
  });
});

describe('OCI registry with token auth (Bearer challenge, JWTs from a token server)', () => {
  it('exchanges credentials for scoped tokens at the realm; anonymous gets pull only', async () => {
    await using reg = await startRegistry({ auth: 'token', anonymousPull: true });
    const ref = `${reg.host}/weft/adder:0.1.0`;
    const client = new OciClient({ credentials: () => creds });
    const pushed = await pushWasm(client, ref, adder);
    // one token for the whole push (cached for the HEADs, POSTs and PUTs), asked for with the push scope
    expect(reg.tokenRequests).toHaveLength(1);
    expect(reg.tokenRequests[0]).toMatchObject({ service: 'weft-test-registry', user: REGISTRY_TEST_USER });
    expect(reg.tokenRequests[0]!.scopes).toContain('repository:weft/adder:pull,push');

    const pulled = await pullWasm(new OciClient(), ref);
    expect(pulled.digest).toBe(pushed.digest);
    expect(Buffer.from(pulled.bytes).equals(Buffer.from(adder))).toBe(true);
    expect(reg.tokenRequests.at(-1)).toMatchObject({
      service: 'weft-test-registry',
      scopes: ['repository:weft/adder:pull'],
      user: null,
    });

    const anonPush = await failure(pushWasm(new OciClient(), `${reg.host}/weft/adder:0.2.0`, adder));
    expect(anonPush.code).toBe('OCI_UNAUTHORIZED');
    const bad = await failure(
      pullWasm(new OciClient({ credentials: () => ({ username: REGISTRY_TEST_USER, password: 'nope' }) }), ref),
    );
    expect(bad.code).toBe('OCI_UNAUTHORIZED');
    expect(bad.message).toMatch(/token server of .* refused the credentials/);
  });
});
