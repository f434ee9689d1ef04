import { LatticeError, LatticeErrorCode } from '../errors.ts';
import { checkId } from '../ids.ts';
import { isValidLatticeName } from '../subjects.ts';
import { isXkeyPublic, xkeyFromSeed } from '../secrets/index.ts';
import { decodeLinkDefinitionObject } from './link-secrets.ts';
import { decodeSecretMap, encodeSecretMap } from './secret-values.ts';
import type { SecretValue } from '../secrets/index.ts';
import type { LinkDefinition } from './link-secrets.ts';
import { asObject, InputLimits, list, num, optStrMap, str, strMap } from '../types/limits.ts';

/**
 * What a host hands an external provider process: one line of base64(JSON) + `\r\n` on stdin, wasmCloud's HostData
 * (`crates/core/src/host.rs`) in the subset weft uses. `link_definitions` carry weft's resolved links (config names
 * and their values). The NATS credentials are the provider's own user, `secrets` its own secrets; no decoder error
 * ever quotes either.
 */
export interface HostData {
  host_id: string;
  /** The lattice name. */
  lattice_rpc_prefix: string;
  lattice_rpc_url: string;
  lattice_rpc_user_seed?: string;
  lattice_rpc_user_jwt?: string;
  /** The provider id. */
  provider_key: string;
  /** This process, one per start or restart: the readiness handshake names it (`ready.{instance_id}`). */
  instance_id: string;
  link_name: string;
  /** The provider's config (its named configs merged; `SECRET_…` names are never merged, they are in `secrets`). */
  config: Record<string, string>;
  /**
   * The provider's own secrets (the `SECRET_…` names among its start configs, resolved with its identity), by the
   * name each reference gives. Plain, as in wasmCloud (HostData travels only on the process's stdin); on the wire a
   * map of wasmCloud's `SecretValue` (`{"kind":"String","value":…}`, see secret-values.ts), always present.
   */
  secrets?: Record<string, SecretValue>;
  /** The links involving this provider; their secrets sealed to `provider_xkey_private_key` (see link-secrets.ts). */
  link_definitions: LinkDefinition[];
  /** The host's xkey for this start (it seals the links' secrets), `X…`; given together with the next. */
  host_xkey_public_key?: string;
  /** The seed of this start's own xkey (`SX…`, fresh each start), which opens the links' secrets. */
  provider_xkey_private_key?: string;
  env_values?: Record<string, string>;
  cluster_issuers?: string[];
  /** @default 2000 (wasmCloud's) */
  default_rpc_timeout_ms: number;
  structured_logging?: boolean;
  log_level: string;
}

/** The longest HostData line a provider reads (base64 characters): the lattice's links with their config values. */
export const MAX_HOST_DATA_LINE = 16 * 1024 * 1024;
const W = 'HostData';
const bad = (msg: string): LatticeError =>
  new LatticeError(LatticeErrorCode.BadPayload, `${W}: ${msg}`, {
    hint: 'external providers are started by a weft host (weft start provider file://…)',
  });

/** Encodes HostData as the line the host writes to the provider's stdin. */
export function encodeHostData(d: HostData): string {
  const wire = { ...d, secrets: encodeSecretMap(d.secrets ?? {}) };
  return Buffer.from(JSON.stringify(wire)).toString('base64') + '\r\n';
}

/**
 * Decodes and validates the HostData line (wasmCloud's encoding: base64 of JSON).
 * @throws {LatticeError} LAT_BAD_PAYLOAD naming the field; the message never quotes the input (it holds a seed).
 */
export function decodeHostData(line: string): HostData {
  const text = line.trim();
  if (text.length > MAX_HOST_DATA_LINE) throw bad(`longer than ${MAX_HOST_DATA_LINE} characters`);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw bad('not base64');
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
  } catch {
    throw bad('not JSON'); // JSON.parse's message quotes the text
  }
  const o = asObject(v, W);
  const lattice = str(o, 'lattice_rpc_prefix', W);
  if (!isValidLatticeName(lattice)) throw bad('"lattice_rpc_prefix" is not a valid lattice name');
  const d: HostData = {
    host_id: checkId(str(o, 'host_id', W), `${W}: "host_id"`),
    lattice_rpc_prefix: lattice,
    lattice_rpc_url: nonEmpty(o, 'lattice_rpc_url'),
    provider_key: checkId(str(o, 'provider_key', W), `${W}: "provider_key"`),
    instance_id: checkId(str(o, 'instance_id', W), `${W}: "instance_id"`),
    link_name: checkId(str(o, 'link_name', W, 'default'), `${W}: "link_name"`),
    config: strMap(o, 'config', W),
    link_definitions: list(o, 'link_definitions', W, decodeLinkDefinitionObject),
    default_rpc_timeout_ms: num(o, 'default_rpc_timeout_ms', W, 2000),
    log_level: str(o, 'log_level', W, 'info'),
  };
  if (d.default_rpc_timeout_ms < 1 || d.default_rpc_timeout_ms > 600_000)
    throw bad('"default_rpc_timeout_ms" must be between 1 and 600000');
  for (const k of ['lattice_rpc_user_seed', 'lattice_rpc_user_jwt'] as const) {
    const s = o[k] === null ? undefined : str(o, k, W, '');
    if (s) d[k] = s;
  }
  xkeysOf(o, d);
  if (o['secrets'] !== undefined && o['secrets'] !== null) {
    const secrets = decodeSecretMap(o['secrets'], `${W}: "secrets"`);
    if (Object.keys(secrets).length > 0) d.secrets = secrets;
  }
  const env = optStrMap(o, 'env_values', W);
  if (env) d.env_values = env;
  if (o['cluster_issuers'] !== undefined && o['cluster_issuers'] !== null)
    d.cluster_issuers = list(o, 'cluster_issuers', W, (x, what) => {
      if (typeof x !== 'string' || x.length > InputLimits.string) throw bad(`${what} must be a string`);
      return x;
    });
  if (o['structured_logging'] !== undefined) {
    if (typeof o['structured_logging'] !== 'boolean') throw bad('"structured_logging" must be a boolean');
    d.structured_logging = o['structured_logging'];
  }
  return d;
}

const nonEmpty = (o: Record<string, unknown>, key: string): string => {
  const v = str(o, key, W);
  if (!v) throw bad(`"${key}" must be a non-empty string`);
  return v;
};

/** The xkey pair of a start: both or neither; never quoted. */
function xkeysOf(o: Record<string, unknown>, d: HostData): void {
  const pub = o['host_xkey_public_key'] ?? undefined;
  const seed = o['provider_xkey_private_key'] ?? undefined;
  if (pub === undefined && seed === undefined) return;
  if (typeof pub !== 'string' || !isXkeyPublic(pub)) throw bad('"host_xkey_public_key" must be a public xkey (X…)');
  if (typeof seed !== 'string') throw bad('"provider_xkey_private_key" must be an xkey seed (SX…)');
  try {
    xkeyFromSeed(seed);
  } catch {
    throw bad('"provider_xkey_private_key" must be an xkey seed (SX…)');
  }
  d.host_xkey_public_key = pub;
  d.provider_xkey_private_key = seed;
}
