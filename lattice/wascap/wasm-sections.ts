import { createHash } from 'node:crypto';
import { concatBytes, encodeLeb128 } from '../wasm-bytes.ts';
import { ClaimsError, ClaimsErrorCode } from './errors.ts';

/** Custom section names that carry a wascap JWT (current and legacy). */
export const JWT_SECTIONS = ['wasmcloud_jwt', 'jwt'] as const;

/** One top-level section of a module or component. */
export interface Section {
  id: number;
  start: number;
  end: number;
  /** For custom sections (id 0): the name and where the payload starts. */
  name?: string;
  payloadStart?: number;
}

const bad = (why: string): ClaimsError => new ClaimsError(ClaimsErrorCode.BadWasm, `not a valid Wasm binary: ${why}`);

function readU32(b: Uint8Array, pos: number): [number, number] {
  let result = 0;
  for (let shift = 0, i = pos; shift < 35; shift += 7, i++) {
    if (i >= b.length) throw bad('truncated LEB128');
    const byte = b[i] as number;
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) {
      if (result > 0xffffffff) throw bad('LEB128 out of range');
      return [result, i + 1];
    }
  }
  throw bad('LEB128 too long');
}

/**
 * Lists the top-level sections of a core module or component (same preamble shape: `\0asm` + 4 bytes).
 * @throws {ClaimsError} CLAIMS_BAD_WASM on a bad preamble or a section running past the end.
 */
export function listSections(b: Uint8Array): Section[] {
  if (b.length < 8 || b[0] !== 0 || b[1] !== 0x61 || b[2] !== 0x73 || b[3] !== 0x6d) throw bad('missing \\0asm magic');
  const out: Section[] = [];
  let pos = 8;
  while (pos < b.length) {
    const id = b[pos] as number;
    const [size, body] = readU32(b, pos + 1);
    const end = body + size;
    if (end > b.length) throw bad(`section ${id} at ${pos} runs past the end`);
    const s: Section = { id, start: pos, end };
    if (id === 0) {
      const [nameLen, nameStart] = readU32(b, body);
      if (nameStart + nameLen > end) throw bad('custom section name runs past its section');
      s.name = new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(nameStart, nameStart + nameLen));
      s.payloadStart = nameStart + nameLen;
    }
    out.push(s);
    pos = end;
  }
  return out;
}

/** The JWT text embedded in `wasmcloud_jwt` (or legacy `jwt`), if any. */
export function extractJwt(b: Uint8Array): string | undefined {
  const secs = listSections(b);
  for (const name of JWT_SECTIONS) {
    const s = secs.find((x) => x.id === 0 && x.name === name);
    if (s) return new TextDecoder().decode(b.subarray(s.payloadStart, s.end)).trim();
  }
  return undefined;
}

/** The binary without its JWT sections. */
export function stripJwt(b: Uint8Array): Uint8Array {
  const keep = listSections(b).filter(
    (s) => !(s.id === 0 && (JWT_SECTIONS as readonly string[]).includes(s.name ?? '')),
  );
  return concatBytes([b.subarray(0, 8), ...keep.map((s) => b.subarray(s.start, s.end))]);
}

/** wascap's module hash: uppercase hex SHA-256 of the binary with the JWT sections removed. */
export function moduleHash(b: Uint8Array): string {
  return createHash('sha256').update(stripJwt(b)).digest('hex').toUpperCase();
}

/** Strips old JWT sections and appends `jwt` as a top-level `wasmcloud_jwt` custom section. */
export function embedJwt(b: Uint8Array, jwt: string): Uint8Array {
  const stripped = stripJwt(b);
  const name = new TextEncoder().encode('wasmcloud_jwt');
  const payload = new TextEncoder().encode(jwt);
  const body = [...encodeLeb128(name.length), ...name, ...payload];
  return concatBytes([stripped, new Uint8Array([0, ...encodeLeb128(body.length), ...body])]);
}
