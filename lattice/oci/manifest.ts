/**
 * Wasm OCI artifacts: the media types weft writes and reads, the CNCF Wasm OCI artifact layout (as the `oci-wasm`
 * crate writes it: an OCI image manifest, config `application/vnd.wasm.config.v0+json` with `architecture: wasm`,
 * `os: wasip2`, `layerDigests` and `component {exports, imports, target}`, one `application/wasm` layer), digests,
 * and the validating manifest decoder. Pure: no I/O.
 */
import { createHash } from 'node:crypto';
import { OciError, OciErrorCode } from './errors.ts';

export const OciMediaType = {
  OciManifest: 'application/vnd.oci.image.manifest.v1+json',
  OciIndex: 'application/vnd.oci.image.index.v1+json',
  DockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  DockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  /** CNCF Wasm OCI artifact config. */
  WasmConfig: 'application/vnd.wasm.config.v0+json',
  /** CNCF Wasm OCI artifact layer (written by weft, wash 0.3x+, oci-wasm). */
  WasmLayer: 'application/wasm',
  /** wasmCloud 1.x's legacy component layer. */
  WasmCloudLayer: 'application/vnd.module.wasm.content.layer.v1+wasm',
  /** Spin's (and wasm-to-oci's) layer. */
  SpinLayer: 'application/vnd.wasm.content.layer.v1+wasm',
} as const;

/** Layer media types read as a Wasm component, in order of preference. */
export const WASM_LAYER_MEDIA_TYPES: readonly string[] = [
  OciMediaType.WasmLayer,
  OciMediaType.WasmCloudLayer,
  OciMediaType.SpinLayer,
];

/** `Accept` of a manifest GET: the two single manifests, and the two indexes so that they can be refused clearly. */
export const MANIFEST_ACCEPT = [
  OciMediaType.OciManifest,
  OciMediaType.DockerManifest,
  OciMediaType.OciIndex,
  OciMediaType.DockerList,
].join(', ');

/** A content descriptor. */
export interface OciDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

/** An OCI image manifest (or Docker v2 schema 2, the same shape). */
export interface OciManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: OciDescriptor;
  layers: OciDescriptor[];
  annotations?: Record<string, string>;
}

/** The component part of the Wasm config: its WIT imports and exports (`ns:pkg/iface@ver` or plain names). */
export interface WasmComponentInfo {
  exports: string[];
  imports: string[];
  target: string | null;
}

/** `application/vnd.wasm.config.v0+json`. */
export interface WasmConfig {
  created: string;
  author: string | null;
  architecture: 'wasm';
  os: 'wasip1' | 'wasip2';
  layerDigests: string[];
  component: WasmComponentInfo | null;
}

const DIGEST = /^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

/** `sha256:<hex>` of some bytes. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** The digest of `bytes` in the algorithm of `like` (sha256 or sha512). */
export function digestLike(like: string, bytes: Uint8Array): string {
  const alg = like.startsWith('sha512:') ? 'sha512' : 'sha256';
  return `${alg}:${createHash(alg).update(bytes).digest('hex')}`;
}

/** Whether a string is a digest weft can verify. */
export function isDigest(s: unknown): s is string {
  return typeof s === 'string' && DIGEST.test(s);
}

/** What {@link buildWasmArtifact} produces: the blobs to upload and the exact manifest bytes to PUT. */
export interface WasmArtifact {
  config: { descriptor: OciDescriptor; bytes: Uint8Array };
  layer: { descriptor: OciDescriptor; bytes: Uint8Array };
  manifest: { bytes: Uint8Array; digest: string; mediaType: string };
}

/** Options of {@link buildWasmArtifact}. */
export interface BuildArtifactOptions {
  /** The component's WIT imports and exports; `null` for a core module (then `os` is `wasip1`). */
  component: WasmComponentInfo | null;
  /** RFC 3339 creation time. @default now */
  created?: string;
  author?: string;
  /** Manifest annotations (`org.opencontainers.image.*`). */
  annotations?: Record<string, string>;
}

/** Lays a Wasm binary out as a CNCF Wasm OCI artifact. */
export function buildWasmArtifact(wasm: Uint8Array, o: BuildArtifactOptions): WasmArtifact {
  const layerDigest = sha256Digest(wasm);
  const config: WasmConfig = {
    created: o.created ?? new Date().toISOString(),
    author: o.author ?? null,
    architecture: 'wasm',
    os: o.component ? 'wasip2' : 'wasip1',
    layerDigests: [layerDigest],
    component: o.component,
  };
  const configBytes = new TextEncoder().encode(JSON.stringify(config));
  const configDescriptor: OciDescriptor = {
    mediaType: OciMediaType.WasmConfig,
    digest: sha256Digest(configBytes),
    size: configBytes.length,
  };
  const layerDescriptor: OciDescriptor = { mediaType: OciMediaType.WasmLayer, digest: layerDigest, size: wasm.length };
  const manifest: OciManifest = {
    schemaVersion: 2,
    mediaType: OciMediaType.OciManifest,
    config: configDescriptor,
    layers: [layerDescriptor],
    ...(o.annotations && Object.keys(o.annotations).length ? { annotations: o.annotations } : {}),
  };
  const bytes = new TextEncoder().encode(JSON.stringify(manifest));
  return {
    config: { descriptor: configDescriptor, bytes: configBytes },
    layer: { descriptor: layerDescriptor, bytes: wasm },
    manifest: { bytes, digest: sha256Digest(bytes), mediaType: OciMediaType.OciManifest },
  };
}

const badManifest = (ref: string, why: string, hint?: string): OciError =>
  new OciError(OciErrorCode.BadManifest, `${ref}: ${why}`, {
    ref,
    hint: hint ?? 'push the component with `weft push` (one application/wasm layer)',
  });

function decodeDescriptor(v: unknown, where: string, ref: string): OciDescriptor {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw badManifest(ref, `manifest ${where} is not an object`);
  const d = v as Record<string, unknown>;
  if (typeof d['mediaType'] !== 'string' || !d['mediaType'])
    throw badManifest(ref, `manifest ${where} has no mediaType`);
  if (!isDigest(d['digest'])) throw badManifest(ref, `manifest ${where} has no valid sha256/sha512 digest`);
  const size = d['size'];
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
    throw badManifest(ref, `manifest ${where} has no valid size`);
  const out: OciDescriptor = { mediaType: d['mediaType'], digest: d['digest'], size };
  const ann = d['annotations'];
  if (ann && typeof ann === 'object' && !Array.isArray(ann)) {
    out.annotations = Object.fromEntries(
      Object.entries(ann).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
  }
  return out;
}

/**
 * Decodes and validates manifest bytes (OCI image manifest or Docker v2 schema 2).
 * @param contentType the response's `Content-Type`, used when the manifest has no `mediaType`.
 * @throws {OciError} OCI_BAD_MANIFEST for bad JSON, an image index, a missing field.
 */
export function decodeManifest(bytes: Uint8Array, contentType: string | null, ref: string): OciManifest {
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw badManifest(ref, 'the manifest is not JSON', 'check that the reference names a Wasm artifact');
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw badManifest(ref, 'the manifest is not a JSON object');
  const m = v as Record<string, unknown>;
  const mediaType =
    typeof m['mediaType'] === 'string' ? m['mediaType'] : (contentType?.split(';')[0]?.trim() ?? undefined);
  if (mediaType === OciMediaType.OciIndex || mediaType === OciMediaType.DockerList || Array.isArray(m['manifests'])) {
    throw badManifest(
      ref,
      'is an image index (several platforms), not a Wasm artifact',
      'reference the Wasm artifact itself (by its tag or @sha256: digest)',
    );
  }
  if (m['schemaVersion'] !== 2)
    throw badManifest(ref, `manifest schemaVersion is ${JSON.stringify(m['schemaVersion'])}, not 2`);
  if (!Array.isArray(m['layers'])) throw badManifest(ref, 'the manifest has no layers');
  const out: OciManifest = {
    schemaVersion: 2,
    config: decodeDescriptor(m['config'], 'config', ref),
    layers: m['layers'].map((l, i) => decodeDescriptor(l, `layer ${i}`, ref)),
  };
  if (mediaType) out.mediaType = mediaType;
  if (typeof m['artifactType'] === 'string') out.artifactType = m['artifactType'];
  return out;
}

/**
 * The one Wasm layer of a manifest (any of {@link WASM_LAYER_MEDIA_TYPES}).
 * @throws {OciError} OCI_BAD_MANIFEST when there is none or more than one.
 */
export function wasmLayerOf(m: OciManifest, ref: string): OciDescriptor {
  const wasm = m.layers.filter((l) => WASM_LAYER_MEDIA_TYPES.includes(l.mediaType));
  if (wasm.length === 0) {
    const types = [...new Set(m.layers.map((l) => l.mediaType))].join(', ') || 'none';
    throw badManifest(
      ref,
      `has no Wasm layer (layer types: ${types}; weft reads ${WASM_LAYER_MEDIA_TYPES.join(', ')})`,
    );
  }
  if (wasm.length > 1) {
    throw badManifest(
      ref,
      `has ${wasm.length} Wasm layers; weft runs one component per artifact and will not guess which`,
      'push each component under its own reference',
    );
  }
  return wasm[0]!;
}
