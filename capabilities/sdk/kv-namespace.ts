import { createHash } from 'node:crypto';
import { WitError } from '../../lattice/index.ts';
import type { ResolvedLink } from '../../lattice/index.ts';

/**
 * Which store a `wasi:keyvalue` call reaches, for every key-value provider: the guest's `open(identifier)` only ever
 * picks a store among those its link allows, never an arbitrary JetStream bucket or Redis key prefix.
 */

/** What a guest may pass to `open`: 1 to 128 letters, digits, `_` and `-` (no globs, dots, colons or slashes). */
export const KV_IDENTIFIER = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * JetStream KV bucket names no link may reach, even when an operator configures one as `bucket`: the lattice's
 * state (`LATTICEDATA_{lattice}` links and claims, `CONFIGDATA_{lattice}` named config with its secrets), wadm's
 * and weft's own buckets (`wadm_manifests`, `wadm_state`, `weft_controller`) and names that look like raw stream
 * names (`KV_`, `OBJ_`). Matched case-sensitively, as JetStream names are.
 */
export const RESERVED_BUCKET_PREFIXES = ['LATTICEDATA_', 'CONFIGDATA_', 'wadm_', 'weft_', 'KV_', 'OBJ_'] as const;

/** Longest bucket name a link derives (JetStream allows more; short names stay readable in `nats kv ls`). */
export const MAX_DERIVED_BUCKET = 64;

/** The prefix of every per-link bucket and Redis namespace weft derives. */
export const DERIVED_PREFIX = 'weftkv';

/** A WIT error value, with the reason an operator reads in the provider's log (the guest only sees the value). */
export class KvRefusal extends WitError {
  readonly reason: string;
  constructor(value: { tag: 'no-such-store' | 'access-denied' } | { tag: 'other'; val: string }, reason: string) {
    super(value);
    this.reason = reason;
  }
}

/** `error::other("[CODE] message")`, the form of every coded key-value error. */
export const kvCoded = (code: string, message: string): KvRefusal =>
  new KvRefusal({ tag: 'other', val: `[${code}] ${message}` }, `${code}: ${message}`);

/**
 * The identifier a guest passed to `open`, checked.
 * @throws {KvRefusal} `other("[KV_BAD_IDENTIFIER] …")` when it is not 1-128 of `[A-Za-z0-9_-]`.
 */
export function checkIdentifier(identifier: unknown): string {
  const id = typeof identifier === 'string' ? identifier : '';
  if (!KV_IDENTIFIER.test(id)) {
    const shown = JSON.stringify(String(identifier).slice(0, 40));
    throw kvCoded(
      'KV_BAD_IDENTIFIER',
      `store identifier ${shown} is not 1-128 letters, digits, "_" or "-"; open a plain name such as "default"`,
    );
  }
  return id;
}

/** True for a bucket name in the reserved list (see `RESERVED_BUCKET_PREFIXES`). */
export function isReservedBucket(name: string): boolean {
  return RESERVED_BUCKET_PREFIXES.some((p) => name.startsWith(p));
}

/** A short, stable digest of a list of strings (JSON of the list, so `["a_b","c"]` and `["a","b_c"]` differ). */
const digest = (parts: string[], hexChars: number): string =>
  createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, hexChars);

/**
 * The per-link JetStream bucket of `identifier` for a link without `bucket`: `weftkv_{lattice}_{source}_{id}_{hash}`,
 * the readable part sanitised to `[A-Za-z0-9_-]` and cut so the whole name is at most 64 characters, the hash the
 * first 20 hex digits of sha256 over the exact (lattice, source, identifier). Two different pairs never share a
 * bucket (the readable part may look alike; the hash differs), and no derived name is reserved.
 */
export function derivedBucket(lattice: string, sourceId: string, identifier: string): string {
  const hash = digest([lattice, sourceId, identifier], 20);
  const room = MAX_DERIVED_BUCKET - DERIVED_PREFIX.length - hash.length - 2;
  const readable = `${lattice}_${sourceId}_${identifier}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, room);
  return `${DERIVED_PREFIX}_${readable}_${hash}`;
}

/** A JetStream KV bucket name: letters, digits, `_` and `-`. */
const BUCKET_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/** Where a keyvalue-nats call goes: the bucket, whether it is derived (counted, created) or configured. */
export interface NatsStore {
  bucket: string;
  derived: boolean;
  /** Configured buckets only: create the bucket when it is missing (`enable_bucket_auto_create`, default true). */
  autoCreate: boolean;
}

/** The comma-separated values of a config key, trimmed, empty ones dropped. */
const list = (v: string | undefined): string[] =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Resolves `open(identifier)` on a keyvalue-nats link. With `bucket` (or `buckets=a,b`) in the link's target config,
 * the identifier must be the link's name or the configured `bucket` (both reach `bucket`; wasmCloud names the
 * store by link name), or one of `buckets` (reaches that bucket); anything else is `no-such-store`. Without
 * either, the bucket is the link's own `derivedBucket(lattice, source, identifier)`. Reserved names are
 * `access-denied` even when configured.
 * @throws {KvRefusal} no-such-store, access-denied, `[KV_BAD_IDENTIFIER]` or `[KV_BAD_CONFIG]`.
 */
export function resolveNatsBucket(lattice: string, link: ResolvedLink, identifier: unknown): NatsStore {
  const id = checkIdentifier(identifier);
  const cfg = link.target_config_values ?? {};
  const bucket = cfg['bucket'] ?? cfg['BUCKET'];
  const allowed = list(cfg['buckets']);
  if (bucket === undefined && !allowed.length)
    return { bucket: derivedBucket(lattice, link.source_id, id), derived: true, autoCreate: true };
  let chosen: string | undefined;
  if (bucket !== undefined && (id === link.name || id === bucket)) chosen = bucket;
  else if (allowed.includes(id)) chosen = id;
  const where = `link ${link.source_id} -> ${link.target} (${link.name})`;
  if (chosen === undefined) {
    const offered = [...new Set([...(bucket !== undefined ? [link.name, bucket] : []), ...allowed])].join(', ');
    throw new KvRefusal(
      { tag: 'no-such-store' },
      `${where}: open("${id}") is not one of the stores the link allows (${offered}); add it to the link's target config "buckets"`,
    );
  }
  if (!BUCKET_NAME.test(chosen))
    throw kvCoded(
      'KV_BAD_CONFIG',
      `${where}: configured bucket "${chosen.slice(0, 60)}" is not a JetStream bucket name (letters, digits, "_", "-")`,
    );
  if (isReservedBucket(chosen)) {
    throw new KvRefusal(
      { tag: 'access-denied' },
      `${where}: bucket "${chosen}" is reserved for the lattice (${RESERVED_BUCKET_PREFIXES.join(', ')}); configure another bucket`,
    );
  }
  return {
    bucket: chosen,
    derived: false,
    autoCreate: (cfg['enable_bucket_auto_create'] ?? 'true').toLowerCase() !== 'false',
  };
}

/** A configured Redis / memory namespace: letters, digits, `_`, `.` and `-` (no `:`, so it is one key segment). */
const NAMESPACE = /^[A-Za-z0-9_.-]{1,128}$/;

/** One key segment of a derived namespace: every character outside `[A-Za-z0-9_.-]` as `%XX` (UTF-8), `%` included. */
const segment = (s: string): string =>
  Array.from(new TextEncoder().encode(s), (b) =>
    /[A-Za-z0-9_.-]/.test(String.fromCharCode(b))
      ? String.fromCharCode(b)
      : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
  ).join('');

/**
 * The key prefix of a link on a key-value store with one flat key space (Redis, memory): `{namespace}:{identifier}:`.
 * The namespace is the link's target config `namespace` (or `bucket`), so an operator can point several links at
 * one on purpose; else `weftkv:{lattice}:{source_id}:{link name}`, each part %-escaped so it holds no `:`.
 * Every prefix is a fixed number of `:`-free segments and a configured namespace may not be `weftkv`, so no link's
 * keys can start with another link's prefix.
 * @throws {KvRefusal} `[KV_BAD_IDENTIFIER]`, or `[KV_BAD_CONFIG]` for a namespace that is not one segment.
 */
export function linkKeyPrefix(lattice: string, link: ResolvedLink, identifier: unknown): string {
  const id = checkIdentifier(identifier);
  const cfg = link.target_config_values ?? {};
  const configured = cfg['namespace'] ?? cfg['bucket'];
  if (configured === undefined)
    return `${DERIVED_PREFIX}:${segment(lattice)}:${segment(link.source_id)}:${segment(link.name)}:${id}:`;
  if (!NAMESPACE.test(configured) || configured === DERIVED_PREFIX) {
    throw kvCoded(
      'KV_BAD_CONFIG',
      `namespace "${configured.slice(0, 60)}" of link ${link.source_id} (${link.name}) must be 1-128 letters, digits, "_", "." or "-" and not "${DERIVED_PREFIX}"`,
    );
  }
  return `${configured}:${id}:`;
}

/** `s` with Redis glob metacharacters (`*`, `?`, `[`, `]`, `\`) escaped, for `SCAN … MATCH`. */
export const escapeGlob = (s: string): string => s.replace(/[*?[\]\\^]/g, '\\$&');
