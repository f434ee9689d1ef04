/**
 * A small OCI distribution client on `fetch`, modelled on the OCI distribution spec (v1.1) and on the flows of
 * oci-client (Rust, used by wasmCloud: `/v2/` ping, challenge-driven auth, HEAD before a blob upload, monolithic
 * POST+PUT upload, manifest PUT) and oras (digest checks on everything read). It knows registries, not Wasm: see
 * `artifact.ts` for push and pull of components.
 */
import { basicAuthorization, parseWwwAuthenticate, repositoryScope, TokenCache } from './auth.ts';
import type { RegistryCredentials } from './auth.ts';
import { OciError, OciErrorCode } from './errors.ts';
import { decodeManifest, digestLike, MANIFEST_ACCEPT, sha256Digest } from './manifest.ts';
import type { OciDescriptor, OciManifest } from './manifest.ts';
import { formatOciReference, registryApiHost } from './reference.ts';
import type { OciReference } from './reference.ts';
import { readBody, tooLarge, uploadBody } from './body.ts';
import type { ByteProgress } from './body.ts';
import { errorFromResponse, Transport } from './transport.ts';
import type { TransportOptions } from './transport.ts';

/** Options of {@link OciClient}. */
export interface OciClientOptions extends TransportOptions {
  /** Credentials per registry (`ghcr.io`, `localhost:5000`); anonymous where absent. */
  credentials?: (registry: string) => RegistryCredentials | undefined;
  /** Largest manifest read. @default 4 MiB (distribution's own limit) */
  maxManifestBytes?: number;
}

/** A manifest as fetched: the exact bytes, their digest and the decoded form. */
export interface FetchedManifest {
  bytes: Uint8Array;
  digest: string;
  mediaType: string | undefined;
  manifest: OciManifest;
}

const DEFAULT_MAX_MANIFEST = 4 * 1024 * 1024;

export class OciClient {
  readonly #o: OciClientOptions;
  readonly #http: Transport;
  readonly #tokens = new TokenCache();
  /** Registries that asked for Basic auth: later requests send it up front. */
  readonly #basic = new Set<string>();

  constructor(o: OciClientOptions = {}) {
    this.#o = o;
    this.#http = new Transport(o);
  }

  /** `GET /v2/`: true when the registry answers as a distribution registry (200, or 401 asking for auth). */
  async ping(registry: string): Promise<boolean> {
    const host = registryApiHost(registry);
    const res = await this.#http.request(new URL(`${this.#http.baseUrl(host)}/v2/`), { method: 'GET' }, registry);
    await res.body?.cancel();
    return res.ok || res.status === 401;
  }

  /**
   * Checks credentials as `docker login` does: `GET /v2/` through the auth flow (Basic, or a token without a scope).
   * @throws {OciError} OCI_UNAUTHORIZED when they are refused, and the transport's errors.
   */
  async checkLogin(registry: string): Promise<void> {
    const res = await this.#sendUrl(
      { registry },
      new URL(`${this.#http.baseUrl(registryApiHost(registry))}/v2/`),
      { method: 'GET' },
      '',
    );
    if (!res.ok) throw await errorFromResponse(res, registry, registry, 'login');
    await res.body?.cancel();
  }

  /** Whether the repository already holds a blob (`HEAD`). */
  async blobExists(r: OciReference, digest: string): Promise<boolean> {
    const res = await this.#send(r, 'HEAD', `blobs/${digest}`, {}, true);
    await res.body?.cancel();
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    throw await errorFromResponse(res, formatOciReference(r), r.registry, `HEAD blob ${digest}`);
  }

  /**
   * Uploads a blob monolithically (POST for a session, PUT with `?digest=`) unless a HEAD finds it already there;
   * `onProgress` hears the bytes sent so far.
   */
  async pushBlob(
    r: OciReference,
    d: OciDescriptor,
    bytes: Uint8Array,
    onProgress?: ByteProgress,
  ): Promise<'exists' | 'uploaded'> {
    const ref = formatOciReference(r);
    if (digestLike(d.digest, bytes) !== d.digest)
      throw new OciError(OciErrorCode.DigestMismatch, `${ref}: blob bytes do not match ${d.digest}`, { ref });
    if (await this.blobExists(r, d.digest)) return 'exists';
    const start = await this.#send(r, 'POST', 'blobs/uploads/', { headers: { 'content-length': '0' } }, true);
    await start.body?.cancel();
    const location = start.headers.get('location');
    if (start.status !== 202 || !location) {
      throw start.status === 202
        ? new OciError(OciErrorCode.Registry, `${ref}: upload start answered without a Location`, { ref })
        : await errorFromResponse(start, ref, r.registry, 'blob upload start');
    }
    const url = new URL(location, start.url || this.#base(r));
    url.searchParams.set('digest', d.digest);
    const upload = uploadBody(bytes, onProgress);
    const put = await this.#sendUrl(
      r,
      url,
      {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) },
        ...upload.init,
        body: upload.body,
      },
      repositoryScope(r.repository, true),
    );
    await put.body?.cancel();
    if (put.status !== 201) throw await errorFromResponse(put, ref, r.registry, `blob upload ${d.digest}`);
    const got = put.headers.get('docker-content-digest');
    if (got && got !== d.digest)
      throw new OciError(OciErrorCode.DigestMismatch, `${ref}: the registry stored blob ${d.digest} as ${got}`, {
        ref,
      });
    return 'uploaded';
  }

  /** PUTs a manifest's exact bytes under `tag` (or its digest) and checks the digest the registry reports. Returns the digest. */
  async pushManifest(r: OciReference, bytes: Uint8Array, mediaType: string): Promise<string> {
    const ref = formatOciReference(r);
    const digest = sha256Digest(bytes);
    const target = r.tag ?? digest;
    const res = await this.#send(
      r,
      'PUT',
      `manifests/${target}`,
      { headers: { 'content-type': mediaType }, body: bytes as Uint8Array<ArrayBuffer> },
      true,
    );
    await res.body?.cancel();
    if (res.status !== 201) throw await errorFromResponse(res, ref, r.registry, `manifest PUT ${target}`);
    const got = res.headers.get('docker-content-digest');
    if (got && got !== digest) {
      throw new OciError(
        OciErrorCode.DigestMismatch,
        `${ref}: the registry reports manifest digest ${got}, the bytes sent hash to ${digest}`,
        {
          ref,
          hint: 'the registry rewrote the manifest; it is not safe to pin this artifact by digest',
        },
      );
    }
    return digest;
  }

  /**
   * GETs a manifest by digest (when pinned) or tag, verifying the bytes against the pinned digest and the
   * `Docker-Content-Digest` header. The returned digest is what a tag resolved to.
   */
  async getManifest(r: OciReference): Promise<FetchedManifest> {
    const ref = formatOciReference(r);
    const target = r.digest ?? r.tag ?? 'latest';
    const res = await this.#send(r, 'GET', `manifests/${target}`, { headers: { accept: MANIFEST_ACCEPT } }, false);
    if (res.status !== 200) throw await errorFromResponse(res, ref, r.registry, `manifest ${target}`);
    const max = this.#o.maxManifestBytes ?? DEFAULT_MAX_MANIFEST;
    const bytes = await readBody(res, max, () => tooLarge(ref, 'the manifest is larger', max), this.#failed(res, ref));
    if (r.digest && digestLike(r.digest, bytes) !== r.digest) {
      throw new OciError(
        OciErrorCode.DigestMismatch,
        `${ref}: the manifest served for ${r.digest} hashes to ${digestLike(r.digest, bytes)}`,
        {
          ref,
          hint: 'the registry served other content than pinned: check the digest, or distrust this registry',
        },
      );
    }
    const header = res.headers.get('docker-content-digest');
    if (header && digestLike(header, bytes) !== header) {
      throw new OciError(
        OciErrorCode.DigestMismatch,
        `${ref}: the manifest hashes to ${digestLike(header, bytes)}, the registry says ${header}`,
        { ref },
      );
    }
    const manifest = decodeManifest(bytes, res.headers.get('content-type'), ref);
    return { bytes, digest: r.digest ?? sha256Digest(bytes), mediaType: manifest.mediaType, manifest };
  }

  /**
   * GETs a blob, refusing it past `maxBytes` (or its descriptor's size) before and while reading, and verifying its
   * digest; `onProgress` hears the bytes read so far.
   */
  async getBlob(r: OciReference, d: OciDescriptor, maxBytes: number, onProgress?: ByteProgress): Promise<Uint8Array> {
    const ref = formatOciReference(r);
    if (d.size > maxBytes) throw tooLarge(ref, `the artifact is ${d.size} bytes`, maxBytes);
    const res = await this.#send(r, 'GET', `blobs/${d.digest}`, {}, false);
    if (res.status !== 200) throw await errorFromResponse(res, ref, r.registry, `blob ${d.digest}`);
    const bytes = await readBody(
      res,
      d.size,
      () =>
        new OciError(
          OciErrorCode.DigestMismatch,
          `${ref}: blob ${d.digest} is longer than the ${d.size} bytes the manifest says`,
          { ref },
        ),
      this.#failed(res, ref),
      onProgress && ((n) => onProgress(n, d.size)),
    );
    if (bytes.length !== d.size)
      throw new OciError(
        OciErrorCode.DigestMismatch,
        `${ref}: blob ${d.digest} is ${bytes.length} bytes, the manifest says ${d.size}`,
        { ref },
      );
    const got = digestLike(d.digest, bytes);
    if (got !== d.digest)
      throw new OciError(OciErrorCode.DigestMismatch, `${ref}: blob ${d.digest} hashes to ${got}`, {
        ref,
        hint: 'the registry served corrupted or substituted content',
      });
    return bytes;
  }

  /** Maps a failure while reading the body of `res` (its time ran out, the connection broke) to a coded error. */
  #failed(res: Response, ref: string): (err: unknown) => OciError {
    return (err) => this.#http.networkError(err, new URL(res.url || 'http://registry'), ref);
  }

  #base(r: OciReference): string {
    return `${this.#http.baseUrl(registryApiHost(r.registry))}/v2/${r.repository}/`;
  }

  #send(r: OciReference, method: string, path: string, init: RequestInit, push: boolean): Promise<Response> {
    return this.#sendUrl(r, new URL(path, this.#base(r)), { ...init, method }, repositoryScope(r.repository, push));
  }

  /** A request with the cached token, and on a 401 challenge one retry with Basic or a fresh Bearer token. */
  async #sendUrl(
    r: Pick<OciReference, 'registry'> & Partial<OciReference>,
    url: URL,
    init: RequestInit,
    scope: string,
  ): Promise<Response> {
    const ref = r.repository ? formatOciReference(r as OciReference) : r.registry;
    const creds = this.#o.credentials?.(r.registry);
    const withAuth = (auth: string | undefined): RequestInit => {
      const headers = new Headers(init.headers);
      if (auth) headers.set('authorization', auth);
      return { ...init, headers };
    };
    const token = creds?.token ?? this.#tokens.get(r.registry, scope);
    const preset = token ? `Bearer ${token}` : this.#basic.has(r.registry) ? basicAuthorization(creds) : undefined;
    const first = await this.#http.request(url, withAuth(preset), ref);
    if (first.status !== 401) return first;
    const challenges = parseWwwAuthenticate(first.headers.get('www-authenticate') ?? '');
    await first.body?.cancel();
    this.#tokens.forget(r.registry, scope);
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    let auth: string | undefined;
    if (bearer && !creds?.token) {
      const fresh = await this.#tokens.fetch(
        r.registry,
        scope,
        bearer,
        creds,
        (u, i) => this.#http.request(u, i, ref),
        ref,
      );
      auth = `Bearer ${fresh}`;
    } else if (challenges.some((c) => c.scheme === 'basic') && preset === undefined) {
      auth = basicAuthorization(creds);
      if (auth) this.#basic.add(r.registry);
    }
    if (!auth) {
      throw new OciError(
        OciErrorCode.Unauthorized,
        `${ref}: ${r.registry} needs credentials${creds ? ' other than those given' : ''}`,
        {
          ref,
          status: 401,
          hint: `log in with \`weft reg login ${r.registry}\``,
        },
      );
    }
    return this.#http.request(url, withAuth(auth), ref);
  }
}
