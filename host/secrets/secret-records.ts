/**
 * The built-in backend's record of one secret (the value of KV key `{name}` in `weft_secrets_{lattice}`): who may
 * read it and every version, each value sealed by the backend's xkey to itself (encrypted at rest), plus the access
 * rule check. Records come from KV: decoded without trust.
 */
import { readEntityJwt, tokenProblem } from '../../lattice/secrets/index.ts';
import type { EntityToken, SecretRequest } from '../../lattice/secrets/index.ts';

/** Secret names: a KV key of letters, digits, `_`, `-`, `.` and `/` (no leading/trailing `.` or `/`), ≤ 128. */
export const SECRET_NAME = /^[A-Za-z0-9_-](?:[A-Za-z0-9_./-]{0,126}[A-Za-z0-9_-])?$/;
/** KV key holding the public xkey the bucket's values are sealed with (a bucket sealed by another key is refused). */
export const XKEY_MARKER = '__weft_xkey';
/** Most versions kept per secret; a put past it is refused until old versions are deleted. */
export const MAX_VERSIONS = 256;

/** An access rule: `component:ID`, `provider:ID`, `subject:KEY`, `issuer:KEY` or `cap:PACKAGE`. */
export const RULE = /^(component|provider|subject|issuer|cap):[A-Za-z0-9_:./@-]{1,256}$/;

export interface StoredVersion {
  version: string;
  kind: 'string' | 'bytes';
  /** base64 of the value sealed by the backend's xkey to itself. */
  sealed: string;
  created_at: string;
}

export interface SecretRecord {
  name: string;
  allow: string[];
  versions: StoredVersion[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A stored record, or undefined when the entry is not one (the caller drops it with a warning). */
export function decodeRecord(bytes: Uint8Array): SecretRecord | undefined {
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
  if (!isObj(v) || typeof v['name'] !== 'string' || !SECRET_NAME.test(v['name'])) return undefined;
  const allow = v['allow'];
  const versions = v['versions'];
  if (!Array.isArray(allow) || !allow.every((r) => typeof r === 'string' && RULE.test(r))) return undefined;
  if (!Array.isArray(versions) || versions.length > MAX_VERSIONS) return undefined;
  for (const x of versions)
    if (
      !isObj(x) ||
      typeof x['version'] !== 'string' ||
      (x['kind'] !== 'string' && x['kind'] !== 'bytes') ||
      typeof x['sealed'] !== 'string' ||
      typeof x['created_at'] !== 'string'
    )
      return undefined;
  return { name: v['name'], allow: allow as string[], versions: versions as StoredVersion[] };
}

/** The next version number (one more than the highest kept). */
export function nextVersion(r: SecretRecord | undefined): string {
  const top = Math.max(0, ...(r?.versions ?? []).map((x) => Number(x.version)).filter(Number.isFinite));
  return String(top + 1);
}

/** Who asked, for the denial log: never a value. */
export interface Requester {
  entity_id?: string;
  entity_kind?: string;
  subject?: string;
  issuer?: string;
  host?: string;
}

/** The checks of a `get`: both JWTs valid, the entity a component or provider, one rule of the record matching. */
export function authorize(
  r: SecretRecord,
  req: SecretRequest,
): { ok: true; who: Requester } | { ok: false; who: Requester; reason: string } {
  const entity = readEntityJwt(req.context.entity_jwt);
  const host = readEntityJwt(req.context.host_jwt);
  const who: Requester = {
    entity_id: req.context.entity_id,
    entity_kind: req.context.entity_kind,
    subject: entity?.sub,
    issuer: entity?.iss,
    host: host?.sub,
  };
  const ep = tokenProblem(entity);
  if (ep) return { ok: false, who, reason: `entity JWT: ${ep}` };
  if (entity!.role !== 'M' && entity!.role !== 'V')
    return { ok: false, who, reason: 'entity JWT: subject is neither a component (M…) nor a provider (V…) key' };
  const hp = tokenProblem(host);
  if (hp) return { ok: false, who, reason: `host JWT: ${hp}` };
  if (host!.role !== 'N') return { ok: false, who, reason: 'host JWT: subject is not a host (N…) key' };
  if (r.allow.some((rule) => matches(rule, req, entity!))) return { ok: true, who };
  return { ok: false, who, reason: 'no allow rule of the secret matches' };
}

function matches(rule: string, req: SecretRequest, t: EntityToken): boolean {
  const at = rule.indexOf(':');
  const kind = rule.slice(0, at);
  const v = rule.slice(at + 1);
  switch (kind) {
    case 'component':
      return req.context.entity_kind === 'component' && t.role === 'M' && req.context.entity_id === v;
    case 'provider':
      return req.context.entity_kind === 'provider' && t.role === 'V' && req.context.entity_id === v;
    case 'subject':
      return t.sub === v;
    case 'issuer':
      return t.iss === v;
    case 'cap': {
      const caps = t.wascap['caps'];
      return Array.isArray(caps) && caps.some((c) => c === v || (typeof c === 'string' && c.startsWith(`${v}/`)));
    }
    default:
      return false;
  }
}
