import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LatticeError, LatticeErrorCode } from './errors.ts';
import { OciError } from './oci/errors.ts';
import { looksLikeOciReference, parseOciReference } from './oci/reference.ts';
import type { OciReference } from './oci/reference.ts';

/** A parsed artifact reference. */
export type ArtifactRef =
  | { kind: 'file'; path: string; ref: string }
  | { kind: 'nats'; bucket: string; name: string; tag: string; ref: string }
  | { kind: 'builtin'; name: string; ref: string }
  | ({ kind: 'oci'; ref: string } & OciReference);

const BUCKET = /^[A-Za-z0-9_-]+$/;
const NAME = /^[A-Za-z0-9_.\-/]+$/;

/**
 * Parses `file:///path.wasm`, `nats://{bucket}/{name}[:{tag}]` (tag defaults to `latest`) or `weft+builtin://{name}`.
 * A bare path (`./adder.wasm`) is read as `file://` relative to the working directory. `oci://…` and registry-qualified
 * refs (`ghcr.io/org/name:tag`, `localhost:5000/name@sha256:…`) are OCI images (see `oci/reference.ts`).
 * @throws {LatticeError} LAT_BAD_REQUEST naming what is wrong and the accepted forms.
 */
export function parseArtifactRef(ref: string): ArtifactRef {
  const bad = (why: string): LatticeError =>
    new LatticeError(LatticeErrorCode.BadRequest, `bad artifact reference "${ref}": ${why}`, {
      hint: 'use registry[:port]/repo:tag (OCI), nats://bucket/name:tag (see `weft push`) or file:///abs/path.wasm (host needs --allow-file-load)',
    });
  if (ref.startsWith('file://')) {
    let path: string;
    try {
      path = fileURLToPath(ref);
    } catch {
      path = ref.slice('file://'.length);
    }
    if (!path) throw bad('empty path');
    return { kind: 'file', path: isAbsolute(path) ? path : resolve(path), ref };
  }
  if (ref.startsWith('nats://')) {
    const rest = ref.slice('nats://'.length);
    const slash = rest.indexOf('/');
    if (slash <= 0) throw bad('expected nats://{bucket}/{name}:{tag}');
    const bucket = rest.slice(0, slash);
    const nameTag = rest.slice(slash + 1);
    const colon = nameTag.lastIndexOf(':');
    const name = colon > 0 ? nameTag.slice(0, colon) : nameTag;
    const tag = colon > 0 ? nameTag.slice(colon + 1) : 'latest';
    if (!BUCKET.test(bucket)) throw bad(`bucket "${bucket}" may only hold letters, digits, _ and -`);
    if (!name || !NAME.test(name))
      throw bad(`name "${name}" is empty or has characters other than letters, digits, _ . - /`);
    if (!tag || !/^[A-Za-z0-9_.-]+$/.test(tag)) throw bad(`tag "${tag}" is not valid`);
    return { kind: 'nats', bucket, name, tag, ref };
  }
  if (ref.startsWith('weft+builtin://') || ref.startsWith('wasmcloud+builtin://')) {
    const name = ref.slice(ref.indexOf('://') + 3);
    if (!name) throw bad('missing builtin name');
    return { kind: 'builtin', name, ref };
  }
  if (looksLikeOciReference(ref)) {
    try {
      return { kind: 'oci', ref, ...parseOciReference(ref) };
    } catch (err) {
      throw bad(err instanceof OciError && err.reason ? `OCI image: ${err.reason}` : String(err));
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref)) throw bad('unsupported scheme');
  if (ref.startsWith('/') || ref.startsWith('.'))
    return { kind: 'file', path: resolve(ref), ref: `file://${resolve(ref)}` };
  throw bad('unknown form (an OCI image needs its registry, e.g. docker.io/library/name:tag, or oci://)');
}

/** Object name under which `name:tag` is stored in the bucket. */
export function objectNameOf(ref: { name: string; tag: string }): string {
  return `${ref.name}:${ref.tag}`;
}
