import { LatticeError, LatticeErrorCode } from '../errors.ts';

/** Bounds on what a decoder accepts from the lattice; beyond them a payload is malformed, not merely big. */
export const InputLimits = {
  /** Longest string field (ids, refs, names, label values). */
  string: 8 * 1024,
  /** Most entries of a list (components, providers, links). */
  list: 10_000,
  /** Most entries of a string map (labels, annotations, config values). */
  map: 1024,
} as const;

type Obj = Record<string, unknown>;
const bad = (msg: string): LatticeError => new LatticeError(LatticeErrorCode.BadPayload, msg);

/** `v` as a plain object. @throws {LatticeError} LAT_BAD_PAYLOAD otherwise. */
export function asObject(v: unknown, what: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(`${what} must be a JSON object`);
  return v as Obj;
}

/** A string field; `fallback` when absent (required when no fallback is given). */
export function str(o: Obj, key: string, what: string, fallback?: string): string {
  const v = o[key];
  if ((v === undefined || v === null) && fallback !== undefined) return fallback;
  if (typeof v !== 'string') throw bad(`${what}: "${key}" must be a string`);
  if (v.length > InputLimits.string) throw bad(`${what}: "${key}" is longer than ${InputLimits.string} characters`);
  return v;
}

/** A non-empty string field. */
export function id(o: Obj, key: string, what: string): string {
  const v = str(o, key, what);
  if (!v) throw bad(`${what}: "${key}" must be a non-empty string`);
  return v;
}

/** A finite number ≥ 0; `fallback` when absent. */
export function num(o: Obj, key: string, what: string, fallback?: number): number {
  const v = o[key];
  if ((v === undefined || v === null) && fallback !== undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw bad(`${what}: "${key}" must be a number ≥ 0`);
  return v;
}

/** A bounded `map<string,string>`; `{}` when absent. */
export function strMap(o: Obj, key: string, what: string): Record<string, string> {
  const v = o[key];
  if (v === undefined || v === null) return {};
  const m = asObject(v, `${what}: "${key}"`);
  const entries = Object.entries(m);
  if (entries.length > InputLimits.map) throw bad(`${what}: "${key}" has more than ${InputLimits.map} entries`);
  for (const [k, x] of entries) {
    if (typeof x !== 'string' || x.length > InputLimits.string || k.length > InputLimits.string)
      throw bad(`${what}: "${key}.${k.slice(0, 40)}" must be a string`);
  }
  return m as Record<string, string>;
}

/** An optional bounded string map: undefined when absent. */
export function optStrMap(o: Obj, key: string, what: string): Record<string, string> | undefined {
  return o[key] === undefined || o[key] === null ? undefined : strMap(o, key, what);
}

/** A bounded list, each element decoded by `each`; `[]` when absent. */
export function list<T>(o: Obj, key: string, what: string, each: (v: unknown, what: string) => T): T[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw bad(`${what}: "${key}" must be a list`);
  if (v.length > InputLimits.list) throw bad(`${what}: "${key}" has more than ${InputLimits.list} entries`);
  return v.map((x, i) => each(x, `${what}: ${key}[${i}]`));
}

/** Parses JSON text (or bytes) without trusting it: LAT_BAD_PAYLOAD when it is not JSON. */
export function parseJson(data: Uint8Array | string, what: string): unknown {
  const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw bad(`malformed JSON in ${what}: ${(err as Error).message}`);
  }
}
