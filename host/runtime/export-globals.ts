/**
 * Exports every mutable global a core module defines as `weft:global:{index}`, so an instance can be reset to its
 * just-instantiated state (linear memories *and* globals such as the stack pointer or the WASI adapter's state
 * pointer) instead of being instantiated again. The guest sees no difference; jco's glue only reads the exports it
 * knows by name. A module this reader does not understand is returned unchanged (it is then never reset).
 */
import { concatBytes, encodeLeb128, readLeb128, skipSleb128, wasmSections } from '../../lattice/pure.ts';

/** Prefix of the added export names. */
export const GLOBAL_EXPORT_PREFIX = 'weft:global:';

function skipValType(b: Uint8Array, p: number): number {
  const t = b[p] as number;
  return t === 0x63 || t === 0x64 ? skipSleb128(b, p + 1) : p + 1; // (ref null? heaptype)
}

function skipLimits(b: Uint8Array, p: number): number {
  const flags = b[p] as number;
  let q = readLeb128(b, p + 1)[1];
  if (flags & 1) q = readLeb128(b, q)[1];
  return q;
}

/** Skips a constant expression up to and including its `end`; undefined for an opcode it does not know. */
function skipConstExpr(b: Uint8Array, p: number): number | undefined {
  for (;;) {
    const op = b[p++] as number;
    if (op === 0x0b) return p;
    if (op === 0x41 || op === 0x42) p = skipSleb128(b, p);
    else if (op === 0x43) p += 4;
    else if (op === 0x44) p += 8;
    else if (op === 0x23 || op === 0xd2) p = readLeb128(b, p)[1];
    else if (op === 0xd0) p = skipSleb128(b, p);
    else if ((op >= 0x6a && op <= 0x6c) || (op >= 0x7c && op <= 0x7e)) continue;
    else if (op === 0xfd && b[p] === 0x0c) p += 17;
    else return undefined;
  }
}

/** Indices of the module's own mutable globals, or undefined when the module could not be read. */
function mutableGlobals(
  b: Uint8Array,
  imports: number | undefined,
  globals: { bodyStart: number } | undefined,
): number[] | undefined {
  let imported = 0;
  if (imports !== undefined) {
    let [n, p] = readLeb128(b, imports);
    for (; n > 0; n--) {
      for (let k = 0; k < 2; k++) {
        const [len, q] = readLeb128(b, p);
        p = q + len;
      }
      const kind = b[p++] as number;
      if (kind === 0) p = readLeb128(b, p)[1];
      else if (kind === 1) p = skipLimits(b, skipValType(b, p));
      else if (kind === 2) p = skipLimits(b, p);
      else if (kind === 3) {
        p = skipValType(b, p) + 1;
        imported++;
      } else if (kind === 4) p = readLeb128(b, p + 1)[1];
      else return undefined;
    }
  }
  const out: number[] = [];
  if (!globals) return out;
  const [n, start] = readLeb128(b, globals.bodyStart);
  let p = start;
  for (let i = 0; i < n; i++) {
    p = skipValType(b, p);
    const mutable = b[p++] === 1;
    const next = skipConstExpr(b, p);
    if (next === undefined) return undefined;
    p = next;
    if (mutable) out.push(imported + i);
  }
  return out;
}

/** Returns the module with its mutable globals exported (unchanged when it has none or cannot be read). */
export function exportGlobals(module: Uint8Array): Uint8Array {
  if (module.length < 8) return module;
  try {
    const secs = wasmSections(module);
    const exp = secs.find((s) => s.id === 7);
    const idx = mutableGlobals(
      module,
      secs.find((s) => s.id === 2)?.bodyStart,
      secs.find((s) => s.id === 6),
    );
    if (!exp || !idx?.length) return module;
    const [count, first] = readLeb128(module, exp.bodyStart);
    const enc = new TextEncoder();
    const added = idx.flatMap((i) => {
      const name = enc.encode(`${GLOBAL_EXPORT_PREFIX}${i}`);
      return [...encodeLeb128(name.length), ...name, 3, ...encodeLeb128(i)];
    });
    const body = concatBytes([
      new Uint8Array(encodeLeb128(count + idx.length)),
      module.subarray(first, exp.end),
      new Uint8Array(added),
    ]);
    return concatBytes([
      module.subarray(0, exp.start),
      new Uint8Array([7, ...encodeLeb128(body.length)]),
      body,
      module.subarray(exp.end),
    ]);
  } catch {
    return module;
  }
}
