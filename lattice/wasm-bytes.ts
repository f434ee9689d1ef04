/** Small helpers for reading and rewriting Wasm binaries: LEB128, section walking, joining bytes (wascap, runtime). */

/** Reads an unsigned LEB128 at `pos`: `[value, next position]`. */
export function readLeb128(b: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (let i = pos; i < b.length && shift < 35; i++) {
    const byte = b[i] as number;
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [result, i + 1];
  }
  throw new Error('bad LEB128 in core module');
}

/** Skips a signed LEB128 (up to 64 bits) at `pos`. */
export function skipSleb128(b: Uint8Array, pos: number): number {
  let i = pos;
  while (i < b.length && ((b[i] as number) & 0x80) !== 0) i++;
  return i + 1;
}

/** Encodes an unsigned LEB128. */
export function encodeLeb128(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** One section of a module: id, where its body starts and ends, and where the section itself starts. */
export interface Section {
  id: number;
  start: number;
  bodyStart: number;
  end: number;
}

/** The sections of a core module, in order. */
export function wasmSections(module: Uint8Array): Section[] {
  const out: Section[] = [];
  let pos = 8;
  while (pos < module.length) {
    const id = module[pos] as number;
    const [size, bodyStart] = readLeb128(module, pos + 1);
    out.push({ id, start: pos, bodyStart, end: bodyStart + size });
    pos = bodyStart + size;
  }
  return out;
}

/** Joins byte chunks. */
export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  return out;
}
