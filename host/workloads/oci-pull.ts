/**
 * The host's OCI pulls: a component from a registry into an on-disk cache keyed by digest, next to the transpile
 * cache (`~/.cache/weft/oci` by default, 0700). Layers are stored under their sha256 (`blobs/<hex>`) and verified on
 * every read; a digest-pinned ref found in the cache (`manifests/<hex>` names its layer) needs no registry at all,
 * while a tag is resolved with one manifest GET per pull, so a moved tag is seen by the next scale. Concurrent pulls
 * of one ref share one download.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { formatOciReference, OciClient, pullWasm } from '../../lattice/index.ts';
import type { ArtifactRef, RegistryCredentials } from '../../lattice/index.ts';
import { HostError, HostErrorCode } from '../errors.ts';

/** Options of {@link pullOciComponent}. */
export interface OciPullOptions {
  /** Cache directory. @default ~/.cache/weft/oci */
  cacheDir?: string;
  /** Credentials per registry host. */
  credentials?: (registry: string) => RegistryCredentials | undefined;
  /** Registries besides localhost/127.0.0.1 that may be reached over plain HTTP. */
  allowInsecure?: readonly string[];
  /** Per-request timeout. @default 60000 */
  timeoutMs?: number;
}

type OciRef = Extract<ArtifactRef, { kind: 'oci' }>;

const inflight = new Map<string, Promise<Uint8Array>>();

/**
 * Pulls `ref` (at most `maxBytes`), from the cache when its digest is known there.
 * @throws {OciError} the registry client's coded errors (OCI_NOT_FOUND, OCI_DIGEST_MISMATCH, OCI_TOO_LARGE, …).
 */
export function pullOciComponent(ref: OciRef, maxBytes: number, o: OciPullOptions = {}): Promise<Uint8Array> {
  const key = `${formatOciReference(ref)}|${maxBytes}`;
  let p = inflight.get(key);
  if (!p) {
    p = pull(ref, maxBytes, o).finally(() => inflight.delete(key));
    inflight.set(key, p);
  }
  return p;
}

async function pull(ref: OciRef, maxBytes: number, o: OciPullOptions): Promise<Uint8Array> {
  const dir = o.cacheDir ?? join(homedir(), '.cache', 'weft', 'oci');
  ensurePrivateDir(dir);
  if (ref.digest) {
    const layer = await readFile(join(dir, 'manifests', hexOf(ref.digest)), 'utf8').catch(() => undefined);
    const cached = layer ? await readBlob(dir, layer.trim(), maxBytes) : undefined;
    if (cached) return cached;
  }
  const client = new OciClient({
    ...(o.credentials ? { credentials: o.credentials } : {}),
    ...(o.allowInsecure ? { allowInsecure: o.allowInsecure } : {}),
    ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
  });
  const pulled = await pullWasm(client, ref, { maxBytes });
  await writeAtomic(join(dir, 'blobs', hexOf(pulled.layerDigest)), pulled.bytes);
  await writeAtomic(join(dir, 'manifests', hexOf(pulled.digest)), new TextEncoder().encode(pulled.layerDigest));
  return pulled.bytes;
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
  for (const d of [dir, join(dir, 'blobs'), join(dir, 'manifests')]) mkdirSync(d, { recursive: true, mode: 0o700 });
  const st = statSync(dir);
  if (st.mode & 0o022) {
    throw new HostError(
      HostErrorCode.Refused,
      `the OCI cache ${dir} (mode ${(st.mode & 0o777).toString(8)}) is writable by group or others, and the host runs the code it holds: run \`chmod 700 ${dir}\``,
    );
  }
}
