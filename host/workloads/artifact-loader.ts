import { readFileSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseArtifactRef } from '../../lattice/index.ts';
import type { ArtifactRef, ArtifactStore } from '../../lattice/index.ts';
import { HostError, HostErrorCode } from '../errors.ts';
import { PULL_POLICIES, PULL_POLICY_ANNOTATION, pullOciComponent } from './oci-pull.ts';
import type { OciPullOptions, PullPolicy } from './oci-pull.ts';

/** Options of {@link fetchArtifact}. */
export interface FetchArtifactOptions {
  /** `file://` refs are refused unless set (wasmCloud `--allow-file-load`). @default false */
  allowFileLoad: boolean;
  /** Largest accepted artifact. @default 50 MiB */
  maxBytes: number;
  store?: ArtifactStore;
  /** OCI registry refs: cache dir, credentials, insecure hosts, mirrors, pull policy and timeout (see `oci-pull.ts`). */
  oci?: OciPullOptions;
  /** The scale's annotations: `weft.dev/pull-policy` sets the pull policy of this scale over the host's. */
  annotations?: Record<string, string>;
}

/** An artifact's bytes and, for an OCI ref, the manifest digest it resolved to. */
export interface FetchedArtifact {
  bytes: Uint8Array;
  /** `sha256:…` of the OCI manifest (registry refs only). */
  imageDigest?: string;
}

/**
 * Files up to this size are read synchronously: stat, open, read and close each cost a thread-pool round trip
 * (≈ 0.25 ms for a 14 KB component), far more than the read itself.
 */
const SYNC_READ_MAX = 1024 * 1024;

/**
 * Fetches the bytes behind an artifact reference.
 * @throws {HostError} HOST_REFUSED for file:// without --allow-file-load, a missing file or an oversize artifact.
 */
export async function fetchArtifact(ref: string, o: FetchArtifactOptions): Promise<Uint8Array> {
  return (await fetchResolvedArtifact(ref, o)).bytes;
}

/**
 * {@link fetchArtifact}, with the digest an OCI ref resolved to.
 * @throws {HostError} as fetchArtifact, and HOST_REFUSED for an unknown `weft.dev/pull-policy`.
 */
export async function fetchResolvedArtifact(ref: string, o: FetchArtifactOptions): Promise<FetchedArtifact> {
  const r = parseArtifactRef(ref);
  if (r.kind === 'oci') {
    const { bytes, digest } = await pullOciComponent(r, o.maxBytes, o.oci, pullPolicyOf(o));
    return { bytes, imageDigest: digest };
  }
  return { bytes: await fetchOther(ref, r, o) };
}

function pullPolicyOf(o: FetchArtifactOptions): PullPolicy {
  const v = o.annotations?.[PULL_POLICY_ANNOTATION];
  if (v === undefined) return o.oci?.pullPolicy ?? 'always';
  if (!(PULL_POLICIES as readonly string[]).includes(v))
    throw new HostError(
      HostErrorCode.Refused,
      `annotation ${PULL_POLICY_ANNOTATION}="${v.slice(0, 40)}" is not a pull policy: use ${PULL_POLICIES.join(' or ')}`,
    );
  return v as PullPolicy;
}

async function fetchOther(
  ref: string,
  r: Exclude<ArtifactRef, { kind: 'oci' }>,
  o: FetchArtifactOptions,
): Promise<Uint8Array> {
  if (r.kind === 'builtin') throw new HostError(HostErrorCode.Refused, `${ref} is a builtin provider, not a component`);
  if (r.kind === 'file') {
    if (!o.allowFileLoad) {
      throw new HostError(
        HostErrorCode.Refused,
        `file:// refs are refused: start the host with --allow-file-load, or push the file with \`weft push\``,
      );
    }
    const st = statOrUndefined(r.path);
    if (!st?.isFile()) throw new HostError(HostErrorCode.NotFound, `file ${r.path} does not exist`);
    checkSize(ref, st.size, o.maxBytes);
    return new Uint8Array(st.size <= SYNC_READ_MAX ? readFileSync(r.path) : await readFile(r.path));
  }
  if (!o.store) throw new HostError(HostErrorCode.Refused, `this host has no artifact store for ${ref}`);
  // the store checks the object's size before reading it, and stops reading past the limit
  const bytes = await o.store.pull(r, o.maxBytes).catch((err: unknown) => {
    if ((err as { code?: string }).code !== 'LAT_REFUSED') throw err;
    throw new HostError(
      HostErrorCode.Refused,
      `${(err as Error).message.replace(/^\[[A-Z_]+\] /, '')}: the host's --max-component-size-bytes`,
      { cause: err },
    );
  });
  checkSize(ref, bytes.length, o.maxBytes);
  return bytes;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function checkSize(ref: string, size: number, max: number): void {
  if (size > max) {
    throw new HostError(
      HostErrorCode.Refused,
      `${ref} is ${size} bytes, over the host's --max-component-size-bytes of ${max}`,
    );
  }
}
