/** What a binary is, from its 8-byte preamble: a Wasm component, a core module, or neither. */
export type WasmKind = 'component' | 'module' | 'unknown';

/** Reads the preamble: `\0asm` then version 1 (core module) or version 0x0d + layer 1 (component). */
export function wasmKindOf(bytes: Uint8Array): WasmKind {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d)
    return 'unknown';
  if (bytes[4] === 1 && bytes[5] === 0 && bytes[6] === 0 && bytes[7] === 0) return 'module';
  if (bytes[6] === 1 && bytes[7] === 0) return 'component';
  return 'unknown';
}
