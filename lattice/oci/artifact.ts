/**
 * Push and pull of Wasm components as OCI artifacts. Push writes the CNCF Wasm OCI artifact (config, then layer,
 * each skipped when a HEAD finds it, then the manifest under the tag); pull resolves a tag to a manifest digest once,
 * reads the one Wasm layer (CNCF `application/wasm`, wasmCloud's legacy or Spin's media type) and verifies it
 * against that manifest. What a pull returns is pinned by digest.
 */
import { tooLarge } from './body.ts';
import type { ByteProgress } from './body.ts';
import type { OciClient } from './client.ts';
import { componentInfoOf } from './component-info.ts';
import { OciError, OciErrorCode } from './errors.ts';
import { buildWasmArtifact, wasmLayerOf } from './manifest.ts';
import type { OciDescriptor, WasmComponentInfo } from './manifest.ts';
import { formatOciReference, parseOciReference, withDigest } from './reference.ts';
import type { OciReference } from './reference.ts';

/** Options of {@link pushWasm}. */
export interface PushWasmOptions {
  /** Imports/exports for the config; read from the component with jco when not given. */
  component?: WasmComponentInfo | null;
  /** Manifest annotations (e.g. `org.opencontainers.image.source`). */
  annotations?: Record<string, string>;
  /** Called after each step (`config`, `layer` blobs, then `manifest`) for progress output. */
  onProgress?: (step: 'config' | 'layer' | 'manifest', state: 'exists' | 'uploaded') => void;
  /** Bytes of the Wasm layer sent so far (progress output for large artifacts). */
  onBytes?: ByteProgress;
}

export interface PushWasmResult {
  /** `registry/repo:tag@sha256:…`. */
  ref: string;
  /** Digest of the manifest: what `@sha256:` pins. */
  digest: string;
  /** Digest of the Wasm layer (sha256 of the component's bytes). */
  layerDigest: string;
  size: number;
  /** Blobs actually uploaded (0 when the registry had both). */
  uploaded: number;
}

/**
 * Pushes a Wasm binary as a CNCF Wasm OCI artifact under the tag of `ref`.
 * @throws {OciError} OCI_BAD_REFERENCE for a ref with a digest or without a tag, and the client's errors.
 */
export async function pushWasm(
  client: OciClient,
  ref: string | OciReference,
  wasm: Uint8Array,
  o: PushWasmOptions = {},
): Promise<PushWasmResult> {
  const r = typeof ref === 'string' ? parseOciReference(ref) : ref;
  if (r.digest !== undefined || r.tag === undefined) {
    const shown = formatOciReference(r);
    throw new OciError(
      OciErrorCode.BadReference,
      `cannot push to "${shown}": a push names a tag; the digest is what the push produces`,
      {
        ref: shown,
        hint: `push to ${r.registry}/${r.repository}:TAG; the command prints the digest to pin`,
      },
    );
  }
  const component = o.component !== undefined ? o.component : await componentInfoOf(wasm);
  const art = buildWasmArtifact(wasm, { component, ...(o.annotations ? { annotations: o.annotations } : {}) });
  let uploaded = 0;
  for (const [step, blob] of [['config', art.config] as const, ['layer', art.layer] as const]) {
    const state = await client.pushBlob(r, blob.descriptor, blob.bytes, step === 'layer' ? o.onBytes : undefined);
    if (state === 'uploaded') uploaded++;
    o.onProgress?.(step, state);
  }
  const digest = await client.pushManifest(r, art.manifest.bytes, art.manifest.mediaType);
  o.onProgress?.('manifest', 'uploaded');
  return {
    ref: formatOciReference(withDigest(r, digest)),
    digest,
    layerDigest: art.layer.descriptor.digest,
    size: wasm.length,
    uploaded,
  };
}

/** Options of {@link pullWasm}. */
export interface PullWasmOptions {
  /** Largest Wasm layer accepted. @default 50 MiB */
  maxBytes?: number;
  /** A verified local copy of the layer, if there is one: then no blob is downloaded (the manifest still is). */
  fromCache?: (layer: OciDescriptor) => Promise<Uint8Array | undefined>;
  /** Bytes of the Wasm layer received so far. */
  onBytes?: ByteProgress;
}

export interface PullWasmResult {
  /** The reference pinned to the digest it resolved to (`registry/repo:tag@sha256:…`). */
  ref: string;
  /** Manifest digest. */
  digest: string;
  layerDigest: string;
  /** Media type of the layer read (which of the three formats it was). */
  layerMediaType: string;
  bytes: Uint8Array;
}

const DEFAULT_MAX = 50 * 1024 * 1024;

/**
 * Pulls the one Wasm layer of `ref`. A tag is resolved once: the manifest read is the one whose digest is returned,
 * and the layer is checked against that manifest's descriptor.
 * @throws {OciError} OCI_NOT_FOUND, OCI_DIGEST_MISMATCH, OCI_TOO_LARGE, OCI_BAD_MANIFEST, OCI_UNAUTHORIZED, …
 */
export async function pullWasm(
  client: OciClient,
  ref: string | OciReference,
  o: PullWasmOptions = {},
): Promise<PullWasmResult> {
  const r = typeof ref === 'string' ? parseOciReference(ref) : ref;
  const m = await client.getManifest(r);
  const pinned = withDigest(r, m.digest);
  const display = formatOciReference(pinned);
  const layer = wasmLayerOf(m.manifest, display);
  const max = o.maxBytes ?? DEFAULT_MAX;
  if (layer.size > max) throw tooLarge(display, `the artifact is ${layer.size} bytes`, max); // before any download
  const bytes = (await o.fromCache?.(layer)) ?? (await client.getBlob(pinned, layer, max, o.onBytes));
  return { ref: display, digest: m.digest, layerDigest: layer.digest, layerMediaType: layer.mediaType, bytes };
}
