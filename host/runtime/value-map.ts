import type { TypeExpr } from './dts-types.ts';

/** Resolves named types of the interface being called. */
export type TypeLookup = (name: string) => TypeExpr | undefined;

const camel = (s: string): string => s.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

function resolve(t: TypeExpr, lookup: TypeLookup, depth = 0): TypeExpr {
  let cur = t;
  for (let i = 0; cur.k === 'ref' && i < 32; i++) {
    const next = lookup(cur.name);
    if (!next) return cur;
    cur = next;
  }
  void depth;
  return cur;
}

/** Throws a readable argument error. */
function bad(path: string, want: string, v: unknown): never {
  throw new TypeError(`${path || 'value'}: expected ${want}, got ${JSON.stringify(v)?.slice(0, 60)}`);
}

/**
 * Maps a JSON value to what jco's bindings take for type `t`: BigInt for 64-bit integers, typed arrays for
 * `list<u8>` & co., `undefined` for a null option, `{tag,val}` for results given as `{ok}`/`{err}`, camelCase keys.
 */
export function fromJson(v: unknown, t: TypeExpr, lookup: TypeLookup, path = ''): unknown {
  const r = resolve(t, lookup);
  switch (r.k) {
    case 'prim':
      if (r.name === 'bigint') {
        if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
        if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
        if (typeof v === 'bigint') return v;
        return bad(path, 'an integer', v);
      }
      if (r.name === 'number' && typeof v !== 'number') return bad(path, 'a number', v);
      if (r.name === 'string' && typeof v !== 'string') return bad(path, 'a string', v);
      if (r.name === 'boolean' && typeof v !== 'boolean') return bad(path, 'a boolean', v);
      return r.name === 'void' ? undefined : v;
    case 'typed': {
      if (ArrayBuffer.isView(v)) return v;
      if (!Array.isArray(v)) return bad(path, `a list of numbers (${r.name})`, v);
      const Ctor = (globalThis as unknown as Record<string, new (x: unknown[]) => unknown>)[r.name];
      return Ctor ? new Ctor(r.name.startsWith('Big') ? v.map((x) => BigInt(x as number)) : v) : v;
    }
    case 'array':
      if (!Array.isArray(v)) return bad(path, 'a list', v);
      return v.map((x, i) => fromJson(x, r.of, lookup, `${path}[${i}]`));
    case 'tuple':
      if (!Array.isArray(v) || v.length !== r.items.length) return bad(path, `a tuple of ${r.items.length}`, v);
      return r.items.map((it, i) => fromJson(v[i], it, lookup, `${path}[${i}]`));
    case 'option':
      return v === null || v === undefined ? undefined : fromJson(v, r.of, lookup, path);
    case 'result': {
      const o = (v ?? {}) as Record<string, unknown>;
      if ('tag' in o)
        return { tag: o['tag'], val: fromJson(o['val'], o['tag'] === 'ok' ? r.ok : r.err, lookup, `${path}.val`) };
      if ('ok' in o) return { tag: 'ok', val: fromJson(o['ok'], r.ok, lookup, `${path}.ok`) };
      if ('err' in o) return { tag: 'err', val: fromJson(o['err'], r.err, lookup, `${path}.err`) };
      return bad(path, '{"ok": …} or {"err": …}', v);
    }
    case 'lit':
      return v;
    case 'object': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        // flags given as a list of names
        if (Array.isArray(v) && Object.values(r.fields).every((f) => f.k === 'prim' && f.name === 'boolean')) {
          return Object.fromEntries(v.map((n) => [camel(String(n)), true]));
        }
        return bad(path, 'a record (JSON object)', v);
      }
      const src = Object.fromEntries(Object.entries(v).map(([k, x]) => [camel(k), x]));
      const out: Record<string, unknown> = {};
      for (const [k, ft] of Object.entries(r.fields)) {
        if (k === 'tag' && ft.k === 'lit') {
          out[k] = src[k] ?? ft.value;
          continue;
        }
        if (src[k] !== undefined) out[k] = fromJson(src[k], ft, lookup, `${path}.${k}`);
        else if (resolve(ft, lookup).k === 'option') out[k] = undefined;
      }
      return out;
    }
    case 'union': {
      // variants: pick the case whose tag matches
      const tag = (v as { tag?: unknown } | null)?.tag;
      if (typeof v === 'object' && v !== null && typeof tag === 'string') {
        for (const it of r.items) {
          const c = resolve(it, lookup);
          if (
            c.k === 'object' &&
            c.fields['tag']?.k === 'lit' &&
            (c.fields['tag'] as { value: string }).value === tag
          ) {
            return fromJson(v, c, lookup, path);
          }
        }
        return bad(path, `a variant tag among ${r.items.map((i) => JSON.stringify(tagOf(i, lookup))).join(', ')}`, v);
      }
      return v; // enums are string literals
    }
    case 'ref':
      return v;
  }
}

function tagOf(t: TypeExpr, lookup: TypeLookup): string | undefined {
  const c = resolve(t, lookup);
  if (c.k === 'lit') return c.value;
  if (c.k === 'object' && c.fields['tag']?.k === 'lit') return (c.fields['tag'] as { value: string }).value;
  return undefined;
}

/** Maps a value returned by jco bindings back to plain JSON (BigInt → number when safe, else string). */
export function toJson(v: unknown): unknown {
  if (typeof v === 'bigint')
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (v === undefined) return null;
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number | bigint>, (x) => toJson(x));
  if (Array.isArray(v)) return v.map(toJson);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(x)]));
  return v;
}
