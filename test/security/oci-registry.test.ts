/**
 * A hostile OCI registry: a registry is untrusted input like any NATS message. A real docker-registry cannot be made
 * to lie, so this one is a small HTTP server in the test that answers every request with an attack: HTML error
 * pages, endless manifests, blobs longer than their descriptor, answers that never come, redirects and token realms
 * that downgrade to plain HTTP. Each must end in a coded OciError naming the ref, quickly and without reading it all.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OciClient, OciError, OciMediaType, pullWasm, sha256Digest } from '../../lattice/oci/index.ts';

const layer = new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]);
const manifestFor = (size: number) =>
  JSON.stringify({
    schemaVersion: 2,
    mediaType: OciMediaType.OciManifest,
    config: { mediaType: OciMediaType.WasmConfig, digest: sha256Digest(new Uint8Array()), size: 0 },
    layers: [{ mediaType: OciMediaType.WasmLayer, digest: sha256Digest(layer), size }],
  });

let server: Server;
let host: string;
let credentialsSeenByEvil = 0;
let hugeBlobRequests = 0;
const MiB = 1024 * 1024;

function stream(res: ServerResponse, chunks: number, chunk: Buffer): void {
  res.writeHead(200, { 'content-type': OciMediaType.OciManifest });
  let n = 0;
  const push = (): void => {
    while (n < chunks) {
      n++;
      if (!res.write(chunk)) return void res.once('drain', push);
    }
    res.end();
  };
  res.on('close', () => (n = chunks));
  push();
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const path = req.url ?? '/';
  const [, , repo, kind] = path.split('/');
  if (path === '/v2/') return void res.writeHead(200).end('{}');
  if (repo === 'html')
    return void res
      .writeHead(502, { 'content-type': 'text/html' })
      .end('<!DOCTYPE html><html><body>Bad Gateway</body></html>');
  if (repo === 'endless' && kind === 'manifests') return stream(res, 1000, Buffer.alloc(64 * 1024, 0x20));
  if (repo === 'lying-length' && kind === 'manifests')
    return void res.writeHead(200, { 'content-length': String(64 * MiB) }).end();
  if (repo === 'liar' && kind === 'manifests')
    return void res.writeHead(200, { 'content-type': OciMediaType.OciManifest }).end(manifestFor(layer.length));
  if (repo === 'liar' && kind === 'blobs') return stream(res, 1000, Buffer.alloc(64 * 1024, 1));
  if (repo === 'slow') return; // never answers
  if (repo === 'huge' && kind === 'manifests')
    return void res.writeHead(200, { 'content-type': OciMediaType.OciManifest }).end(manifestFor(2 ** 31));
  if (repo === 'huge' && kind === 'blobs') return void (hugeBlobRequests++, res.writeHead(404).end());
  if ((repo === 'drip' || repo === 'sluggish') && kind === 'manifests')
    return void setTimeout(
      () => res.writeHead(200, { 'content-type': OciMediaType.OciManifest }).end(manifestFor(layer.length)),
      repo === 'sluggish' ? 250 : 0,
    );
  if (repo === 'sluggish' && kind === 'blobs') return void setTimeout(() => res.writeHead(200).end(layer), 250);
  if (repo === 'drip' && kind === 'blobs') {
    res.writeHead(200, { 'content-length': String(layer.length) });
    let i = 0;
    const t = setInterval(() => (i < layer.length ? res.write(layer.subarray(i, ++i)) : res.end()), 150);
    return void res.on('close', () => clearInterval(t));
  }
  if (repo === 'downgrade')
    return void res.writeHead(307, { location: 'http://registry.example/v2/x/manifests/1' }).end();
  if (repo === 'evil-realm')
    return void res
      .writeHead(401, { 'www-authenticate': 'Bearer realm="http://token.example/token",service="x"' })
      .end();
  if (repo === 'index')
    return void res
      .writeHead(200)
      .end(JSON.stringify({ schemaVersion: 2, mediaType: OciMediaType.OciIndex, manifests: [] }));
  if (repo === 'junk') return void res.writeHead(200).end('\u0000\u0001 not json');
  if (repo === 'basic-sniffer') {
    if (req.headers.authorization) credentialsSeenByEvil++;
    return void res.writeHead(401, { 'www-authenticate': 'Basic realm="x"' }).end();
  }
  res.writeHead(404).end();
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  host = `127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function refusal(repo: string, client = new OciClient()): Promise<OciError> {
  const ref = `${host}/${repo}:1`;
  const err = await pullWasm(client, ref, { maxBytes: MiB }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OciError);
  expect((err as OciError).message).toContain(`${host}/${repo}`);
  return err as OciError;
}

describe('a hostile registry', () => {
  it('an HTML error page is named as such', async () => {
    const e = await refusal('html');
    expect(e.code).toBe('OCI_REGISTRY');
    expect(e.message).toMatch(/HTTP 502 \(an HTML page, not the registry API/);
  });

  it('an endless manifest stops at the 4 MiB limit; a Content-Length over it is refused before reading', async () => {
    expect((await refusal('endless')).code).toBe('OCI_TOO_LARGE');
    expect((await refusal('lying-length')).code).toBe('OCI_TOO_LARGE');
  });

  it('a blob longer than its descriptor is cut off at the descriptor size', async () => {
    const e = await refusal('liar');
    expect(e.code).toBe('OCI_DIGEST_MISMATCH');
    expect(e.message).toMatch(/longer than the 8 bytes the manifest says/);
  });

  it('an answer that never comes times out', async () => {
    expect((await refusal('slow', new OciClient({ timeoutMs: 300 }))).code).toBe('OCI_TIMEOUT');
  });

  it('a layer the manifest says is over the limit is refused before its blob is asked for', async () => {
    hugeBlobRequests = 0;
    const e = await refusal('huge');
    expect(e.code).toBe('OCI_TOO_LARGE');
    expect(e.message).toContain(`the artifact is ${2 ** 31} bytes, over the limit of ${MiB} bytes`);
    expect(hugeBlobRequests).toBe(0);
  });

  it('the pull timeout bounds a whole pull: a blob sent a byte at a time, and requests each answered slowly', async () => {
    // each request alone is well within the per-request timeout; the pull as a whole is not
    const drip = await refusal('drip', new OciClient({ timeoutMs: 60_000, deadlineMs: 400 }));
    expect(drip.code).toBe('OCI_TIMEOUT');
    expect(drip.message).toMatch(/did not answer in full within the pull timeout of 400 ms/);
    const slow = await refusal('sluggish', new OciClient({ timeoutMs: 60_000, deadlineMs: 400 }));
    expect(slow.code).toBe('OCI_TIMEOUT');
    // the same registry, given time, is pulled
    const ok = await pullWasm(new OciClient({ deadlineMs: 10_000 }), `${host}/sluggish:1`, { maxBytes: MiB });
    expect(ok.bytes).toEqual(layer);
  });

  it('a redirect or a token realm on plain HTTP elsewhere is refused, credentials unsent', async () => {
    expect((await refusal('downgrade')).code).toBe('OCI_INSECURE');
    const withCreds = new OciClient({ credentials: () => ({ username: 'u', password: 'secret' }) });
    const e = await refusal('evil-realm', withCreds);
    expect(e.code).toBe('OCI_INSECURE');
    expect(e.hint).toContain('--allow-insecure-registries token.example');
  });

  it('an image index and junk bytes are not manifests', async () => {
    expect((await refusal('index')).message).toMatch(/image index/);
    expect((await refusal('junk')).code).toBe('OCI_BAD_MANIFEST');
  });

  it('a registry that keeps asking for Basic gets the credentials once per request, not in a loop', async () => {
    credentialsSeenByEvil = 0;
    const e = await refusal('basic-sniffer', new OciClient({ credentials: () => ({ username: 'u', password: 'p' }) }));
    expect(e.code).toBe('OCI_UNAUTHORIZED');
    expect(credentialsSeenByEvil).toBe(1);
  });
});
