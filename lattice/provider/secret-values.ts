import { LatticeError, LatticeErrorCode } from '../errors.ts';
import { SecretLimits } from '../secrets/index.ts';
import type { SecretValue } from '../secrets/index.ts';

/**
 * wasmCloud's `wasmcloud_core::secrets::SecretValue` on the wire: serde's adjacent tagging
 * (`#[serde(tag = "kind", content = "value")]`), so `{"kind":"String","value":"s"}` or `{"kind":"Bytes","value":[1,2]}`.
 * A map of them (name → value) is what HostData `secrets` holds, and the plain text of a link's sealed
 * `source_secrets`/`target_secrets`.
 */
export type WireSecretValue = { kind: 'String'; value: string } | { kind: 'Bytes'; value: number[] };

/** The bounds of a secret map a provider accepts (a few credentials, not data). */
export const SecretMapLimits = { entries: 64, name: 256, value: SecretLimits.value } as const;

const bad = (what: string, msg: string): LatticeError =>
  new LatticeError(LatticeErrorCode.BadPayload, `${what}: ${msg}`);

/** The wire form of one value. */
export function encodeSecretValue(v: SecretValue): WireSecretValue {
  return v.tag === 'string' ? { kind: 'String', value: v.val } : { kind: 'Bytes', value: [...v.val] };
}

/** The wire form of a map name → value. */
export function encodeSecretMap(m: Record<string, SecretValue>): Record<string, WireSecretValue> {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, encodeSecretValue(v)]));
}

const isBytes = (v: unknown[]): v is number[] =>
  v.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255);

/** Decodes one wire value strictly (exactly `kind` and `value`); `what` names it, the value is never quoted. */
function decodeValue(x: unknown, what: string): SecretValue {
  const shape = 'must be {"kind":"String","value":text} or {"kind":"Bytes","value":[bytes]}';
  if (typeof x !== 'object' || x === null || Array.isArray(x)) throw bad(what, shape);
  const o = x as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length !== 2 || !('kind' in o) || !('value' in o)) throw bad(what, shape);
  const v = o['value'];
  if (o['kind'] === 'String' && typeof v === 'string') {
    if (v.length > SecretMapLimits.value) throw bad(what, `is longer than ${SecretMapLimits.value} characters`);
    return { tag: 'string', val: v };
  }
  if (o['kind'] === 'Bytes' && Array.isArray(v)) {
    if (v.length > SecretMapLimits.value) throw bad(what, `is longer than ${SecretMapLimits.value} bytes`);
    if (!isBytes(v)) throw bad(what, 'must hold bytes 0..255');
    return { tag: 'bytes', val: Uint8Array.from(v) };
  }
  throw bad(what, shape);
}

/**
 * Decodes a map name → wire value (HostData `secrets`, an opened link box), bounded; every check names the entry
 * (names are not secret), never a value.
 * @throws {LatticeError} LAT_BAD_PAYLOAD, prefixed with `what`.
 */
export function decodeSecretMap(v: unknown, what: string): Record<string, SecretValue> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(what, 'must be an object of secrets');
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length > SecretMapLimits.entries) throw bad(what, `more than ${SecretMapLimits.entries} secrets`);
  const out: Record<string, SecretValue> = Object.create(null) as Record<string, SecretValue>;
  for (const [name, x] of entries) {
    if (name.length === 0 || name.length > SecretMapLimits.name) throw bad(what, 'a secret name is empty or too long');
    out[name] = decodeValue(x, `${what}: secret ${JSON.stringify(name.slice(0, 64))}`);
  }
  return { ...out };
}
