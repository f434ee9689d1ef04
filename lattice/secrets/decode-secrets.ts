/**
 * Validating decoders of the secrets protocol: requests (backend side), responses (host side) and `SECRET_…`
 * references. Every failure is LAT_BAD_PAYLOAD naming the field; no message quotes a value (it may be a secret).
 */
import { LatticeError, LatticeErrorCode } from '../errors.ts';
import { asObject } from '../types/limits.ts';
import { SECRET_CONFIG_PREFIX, SECRET_TYPE } from './types.ts';
import type { GetSecretError, SecretReference, SecretRequest, SecretResponse } from './types.ts';

/** Bounds: a JWT with many caps is a few KiB; a secret value at most 1 MiB. */
export const SecretLimits = { field: 8 * 1024, jwt: 64 * 1024, value: 1024 * 1024 } as const;

type Obj = Record<string, unknown>;
const bad = (msg: string): LatticeError => new LatticeError(LatticeErrorCode.BadPayload, msg);

function parse(data: Uint8Array | string, what: string): unknown {
  const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw bad(`${what} is not JSON`); // JSON.parse's message quotes the input
  }
}

function optStr(o: Obj, key: string, what: string, max: number = SecretLimits.field): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw bad(`${what}: "${key}" must be a string`);
  if (v.length > max) throw bad(`${what}: "${key}" is longer than ${max} characters`);
  return v;
}

function reqStr(o: Obj, key: string, what: string, max: number = SecretLimits.field): string {
  const v = optStr(o, key, what, max);
  if (!v) throw bad(`${what}: "${key}" must be a non-empty string`);
  return v;
}

/** A `get` request as a backend receives it (after opening). */
export function decodeSecretRequest(data: Uint8Array | string): SecretRequest {
  const what = 'secret request';
  const o = asObject(parse(data, what), what);
  const c = asObject(o['context'], `${what}: "context"`);
  const a =
    c['application'] === undefined || c['application'] === null
      ? {}
      : asObject(c['application'], `${what}: "context.application"`);
  const kind = optStr(c, 'entity_kind', `${what}: context`);
  if (kind !== undefined && kind !== 'component' && kind !== 'provider')
    throw bad(`${what}: "context.entity_kind" must be component or provider`);
  return {
    key: reqStr(o, 'key', what),
    field: optStr(o, 'field', what),
    version: optStr(o, 'version', what),
    context: {
      entity_jwt: reqStr(c, 'entity_jwt', `${what}: context`, SecretLimits.jwt),
      host_jwt: reqStr(c, 'host_jwt', `${what}: context`, SecretLimits.jwt),
      application: {
        name: optStr(a, 'name', `${what}: application`),
        policy: optStr(a, 'policy', `${what}: application`) ?? '',
      },
      entity_id: optStr(c, 'entity_id', `${what}: context`),
      entity_kind: kind,
    },
  };
}

function decodeError(v: unknown, what: string): GetSecretError {
  if (typeof v === 'string') {
    if (v.length > SecretLimits.field) throw bad(`${what}: "error" is too long`);
    return v;
  }
  const o = asObject(v, `${what}: "error"`);
  const entries = Object.entries(o);
  if (entries.length !== 1 || typeof entries[0]![1] !== 'string' || entries[0]![1].length > SecretLimits.field)
    throw bad(`${what}: "error" must be a variant name or {variant: message}`);
  return { [entries[0]![0].slice(0, 64)]: entries[0]![1] };
}

/** A backend's response (after opening, or unsealed when it carries only an error). */
export function decodeSecretResponse(data: Uint8Array | string): SecretResponse {
  const what = 'secret response';
  const o = asObject(parse(data, what), what);
  const out: SecretResponse = {};
  if (o['error'] !== undefined && o['error'] !== null) out.error = decodeError(o['error'], what);
  if (o['secret'] !== undefined && o['secret'] !== null) {
    const s = asObject(o['secret'], `${what}: "secret"`);
    const version = optStr(s, 'version', `${what}: secret`) ?? '';
    const str = optStr(s, 'string_secret', `${what}: secret`, SecretLimits.value);
    const bin = s['binary_secret'];
    if (bin !== undefined && bin !== null) {
      if (str !== undefined) throw bad(`${what}: secret has both string_secret and binary_secret`);
      if (!Array.isArray(bin) || bin.length > SecretLimits.value)
        throw bad(`${what}: "secret.binary_secret" must be a list of at most ${SecretLimits.value} bytes`);
      for (const b of bin)
        if (!Number.isInteger(b) || (b as number) < 0 || (b as number) > 255)
          throw bad(`${what}: "secret.binary_secret" must hold bytes (0-255)`);
      out.secret = { version, binary_secret: bin as number[] };
    } else if (str !== undefined) out.secret = { version, string_secret: str };
    else throw bad(`${what}: secret has neither string_secret nor binary_secret`);
  }
  if (!out.secret && out.error === undefined) throw bad(`${what} has neither "secret" nor "error"`);
  return out;
}

/**
 * A `SECRET_…` named config as a reference. `name` defaults to the config name without the prefix (older wasmCloud
 * references carry none); `policy` defaults to an empty policy.
 */
export function decodeSecretReference(configName: string, m: Record<string, string>): SecretReference {
  const what = `secret reference ${configName}`;
  const type = optStr(m, 'type', what);
  if (type !== undefined && type !== SECRET_TYPE) throw bad(`${what}: "type" must be ${SECRET_TYPE}`);
  const name =
    optStr(m, 'name', what) ??
    (configName.startsWith(SECRET_CONFIG_PREFIX) ? configName.slice(SECRET_CONFIG_PREFIX.length) : configName);
  if (!name) throw bad(`${what}: "name" must be a non-empty string`);
  const policy = optStr(m, 'policy', what, SecretLimits.jwt) ?? '';
  if (policy) asObject(parse(policy, `${what}: "policy"`), `${what}: "policy"`);
  return {
    name,
    backend: reqStr(m, 'backend', what),
    key: reqStr(m, 'key', what),
    field: optStr(m, 'field', what),
    version: optStr(m, 'version', what),
    policy,
    type: SECRET_TYPE,
  };
}

/** The reference as the string map stored in `CONFIGDATA_{lattice}` (wasmCloud's `SecretConfig` → map). */
export function encodeSecretReference(r: Omit<SecretReference, 'type'>): Record<string, string> {
  return {
    name: r.name,
    type: SECRET_TYPE,
    backend: r.backend,
    key: r.key,
    ...(r.field !== undefined ? { field: r.field } : {}),
    ...(r.version !== undefined ? { version: r.version } : {}),
    policy: r.policy,
  };
}

/** One line for a backend's error (wasmCloud's Display texts), never a value. */
export function secretErrorText(e: GetSecretError): string {
  if (typeof e === 'string') {
    const known: Record<string, string> = {
      SecretNotFound: 'secret not found',
      Unauthorized: 'unauthorized',
      InvalidXKey: 'invalid xkey',
      EncryptionError: 'error encrypting secret',
      DecryptionError: 'error decrypting secret',
      InvalidRequest: 'invalid request',
      InvalidPayload: 'invalid payload',
      InvalidHeaders: 'invalid headers',
    };
    return known[e] ?? e.slice(0, 200);
  }
  const [k, v] = Object.entries(e)[0] ?? ['Other', ''];
  return `${k}: ${String(v).slice(0, 300)}`;
}
