/**
 * The host's OCI pulls: a component from a registry (or its mirror) into an on-disk cache keyed by digest, beside
 * the transpile cache (`{cache dir}/oci`, `~/.cache/weft/oci` by default, 0700). Layers are stored under their sha256
 * (`blobs/<hex>`) and verified on every read; `manifests/<hex>` names a manifest's layer, `tags/<sha256 of ref>` the
 * manifest a tag last resolved to. A digest-pinned ref found in the cache needs no registry. A tag, under the pull
 * policy `always` (the default, as wasmCloud's host), is resolved with one manifest GET per pull, and its layer
 * downloaded only when the cache lacks it; under `if-not-present` a tag this host pulled before is taken from the
 * cache without asking the registry. Concurrent pulls of one ref by one host share one download.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  formatOciReference,
  mirroredReference,
  normalizeRegistryHost,
  OciClient,
  pullWasm,
  withDigest,
} from '../../lattice/index.ts';
import type { ArtifactRef, RegistryCredentials, RegistryMirrors } from '../../lattice/index.ts';
import { HostError, HostErrorCode } from '../errors.ts';

/** When a tag is asked of the registry again: every pull (`always`), or only when this host has not pulled it. */
export type PullPolicy = 'always' | 'if-not-present';
export const PULL_POLICIES: readonly PullPolicy[] = ['always', 'if-not-present'];
/** Scale annotation that sets the pull policy of one scale (`always` or `if-not-present`), over the host's. */
export const PULL_POLICY_ANNOTATION = 'weft.dev/pull-policy';

/** Options of {@link pullOciComponent} (one object per host: concurrent pulls are shared per options object). */
export interface OciPullOptions {
  /** Cache directory. @default ~/.cache/weft/oci */
  cacheDir?: string;
  /** Credentials per registry host (for a mirrored ref: the mirror's). */
  credentials?: (registry: string) => RegistryCredentials | undefined;
  /** Registries besides localhost/127.0.0.1 that may be reached over plain HTTP. */
  allowInsecure?: readonly string[];
  /** Per-request timeout. @default 60000 */
  timeoutMs?: number;
  /** The whole pull (token, manifest and blob requests) must finish within this. @default 120000 */
  pullTimeoutMs?: number;
  /** @default 'always' */
  pullPolicy?: PullPolicy;
  /** Registry → mirror (`{'ghcr.io': 'localhost:5000'}`): refs of those registries are pulled from the mirror. */
  mirrors?: RegistryMirrors;
}

/** A pulled component: its bytes and the manifest digest the ref resolved to. */
export interface PulledComponent {
  bytes: Uint8Array;
  /** Manifest digest (`sha256:…`): what the ref was pinned to. */
  digest: string;
  /** The ref as given, pinned to `digest` (`registry/repo:tag@sha256:…`; the original registry, not the mirror). */
  ref: string;
}

type OciRef = Extract<ArtifactRef, { kind: 'oci' }>;

const DEFAULT_OPTIONS: OciPullOptions = {};
const inflight = new WeakMap<OciPullOptions, Map<string, Promise<PulledComponent>>>();

/**
 * Pulls `ref` (at most `maxBytes`, refused before the download when the manifest says more), from the cache when
 * the digest is known there, or under `if-not-present` when the tag was pulled before.
 * @throws {OciError} the registry client's coded errors (OCI_NOT_FOUND, OCI_DIGEST_MISMATCH, OCI_TOO_LARGE, OCI_TIMEOUT …).
 */
export function pullOciComponent(
  ref: OciRef,
  maxBytes: number,
  o: OciPullOptions = DEFAULT_OPTIONS,
  policy: PullPolicy = o.pullPolicy ?? 'always',
): Promise<PulledComponent> {
  let pulls = inflight.get(o);
  if (!pulls) inflight.set(o, (pulls = new Map()));
  const key = `${formatOciReference(ref)}|${maxBytes}|${policy}`;
  let p = pulls.get(key);
  if (!p) {
    const mine = pulls;
    p = pull(ref, maxBytes, o, policy).finally(() => mine.delete(key));
    pulls.set(key, p);
  }
  return p;
}

async function pull(ref: OciRef, maxBytes: number, o: OciPullOptions, policy: PullPolicy): Promise<PulledComponent> {
  const dir = o.cacheDir ?? join(homedir(), '.cache', 'weft', 'oci');
  ensurePrivateDir(dir);
  const pinned = (digest: string): string => formatOciReference(withDigest(ref, digest));
  const known = ref.digest ?? (policy === 'if-not-present' ? await readTag(dir, ref) : undefined);
  if (known) {
    const bytes = await readCached(dir, known, maxBytes);
    if (bytes) return { bytes, digest: known, ref: pinned(known) };
  }
  const client = new OciClient({
    ...(o.credentials ? { credentials: o.credentials } : {}),
    ...(o.allowInsecure ? { allowInsecure: o.allowInsecure } : {}),
    ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
    deadlineMs: o.pullTimeoutMs ?? 120_000,
  });
  const pulled = await pullWasm(client, mirroredReference(ref, o.mirrors), {
    maxBytes,
    fromCache: (layer) => readBlob(dir, layer.digest, maxBytes),
  });
  await writeAtomic(join(dir, 'blobs', hexOf(pulled.layerDigest)), pulled.bytes);
  await writeAtomic(join(dir, 'manifests', hexOf(pulled.digest)), new TextEncoder().encode(pulled.layerDigest));
  if (!ref.digest) await writeAtomic(tagFile(dir, ref), new TextEncoder().encode(pulled.digest));
  return { bytes: pulled.bytes, digest: pulled.digest, ref: pinned(pulled.digest) };
}

/** The file naming the manifest digest `ref`'s tag last resolved to on this host. */
const tagFile = (dir: string, ref: OciRef): string =>
  join(
    dir,
    'tags',
    createHash('sha256')
      .update(formatOciReference({ ...ref, digest: undefined }))
      .digest('hex'),
  );

async function readTag(dir: string, ref: OciRef): Promise<string | undefined> {
  const d = (await readFile(tagFile(dir, ref), 'utf8').catch(() => '')).trim();
  return /^sha256:[a-f0-9]{64}$/.test(d) ? d : undefined;
}

/** The layer of a cached manifest, verified; `undefined` when anything is missing or does not hash right. */
async function readCached(dir: string, manifestDigest: string, maxBytes: number): Promise<Uint8Array | undefined> {
  const layer = await readFile(join(dir, 'manifests', hexOf(manifestDigest)), 'utf8').catch(() => undefined);
  return layer ? readBlob(dir, layer.trim(), maxBytes) : undefined;
}

/** A cached layer if present, within `maxBytes` and still hashing to its name; otherwise `undefined` (pulled again). */
async function readBlob(dir: string, digest: string, maxBytes: number): Promise<Uint8Array | undefined> {
  if (!/^sha256:[a-f0-9]{64}$/.test(digest)) return undefined;
  const file = join(dir, 'blobs', hexOf(digest));
  const size = statSync(file, { throwIfNoEntry: false })?.size;
  if (size === undefined || size > maxBytes) return undefined;
  const bytes = await readFile(file).catch(() => undefined);
  if (!bytes || `sha256:${createHash('sha256').update(bytes).digest('hex')}` !== digest) return undefined;
  return new Uint8Array(bytes);
}

const hexOf = (digest: string): string => digest.slice(digest.indexOf(':') + 1);

async function writeAtomic(file: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeFile(tmp, bytes, { mode: 0o600 });
  await rename(tmp, file);
}

function ensurePrivateDir(dir: string): void {
  for (const d of [dir, join(dir, 'blobs'), join(dir, 'manifests'), join(dir, 'tags')])
    mkdirSync(d, { recursive: true, mode: 0o700 });
  const st = statSync(dir);
  if (st.mode & 0o022) {
    throw new HostError(
      HostErrorCode.Refused,
      `the OCI cache ${dir} (mode ${(st.mode & 0o777).toString(8)}) is writable by group or others, and the host runs the code it holds: run \`chmod 700 ${dir}\``,
    );
  }
}

/** The host's pull settings (`weft up --oci-pull-policy`, `--oci-pull-timeout-ms`, `--registry-mirror`, `--cache-dir`). */
export type OciPullSettings = Pick<OciPullOptions, 'cacheDir' | 'pullPolicy' | 'pullTimeoutMs' | 'mirrors'>;

/**
 * Checks the host's pull settings: a known policy, a positive timeout, mirrors keyed by registry host.
 * @throws {HostError} HOST_BAD_OPTIONS naming the setting.
 */
export function checkOciPullSettings(s: OciPullSettings = {}): OciPullSettings {
  const bad = (why: string): HostError => new HostError(HostErrorCode.BadOptions, why);
  if (s.pullPolicy !== undefined && !PULL_POLICIES.includes(s.pullPolicy))
    throw bad(`OCI pull policy "${String(s.pullPolicy)}" is not one of ${PULL_POLICIES.join(', ')}`);
  if (s.pullTimeoutMs !== undefined && !(s.pullTimeoutMs > 0))
    throw bad(`OCI pull timeout must be > 0 ms, got ${s.pullTimeoutMs}`);
  const mirrors = s.mirrors
    ? Object.fromEntries(Object.entries(s.mirrors).map(([from, to]) => [normalizeRegistryHost(from), to]))
    : undefined;
  return { ...s, ...(mirrors ? { mirrors } : {}) };
}
