/**
 * Caps the linear memories a core module defines at `maxBytes` by rewriting the maximum in its memory section, so
 * `memory.grow` past the cap fails inside the guest (which then traps) instead of exhausting the host. 32-bit,
 * 64-bit (memory64: limits are u64 LEB128, flags 0x04/0x05) and shared memories (threads: 0x03/0x07, always with a
 * max) are all capped; a limits encoding this does not know (custom page sizes, flag bit 0x08) is refused, because an
 * uncapped memory is the one way a guest could grow past the limit.
 */
import { concatBytes, encodeLeb128 } from '../../lattice/pure.ts';

const PAGE = 65536;
const HAS_MAX = 0x01;
const SHARED = 0x02;
const MEMORY64 = 0x04;

/** Thrown for a module that cannot run under the cap (maps to COMP_MEMORY_LIMIT in the transpile cache). */
class MemoryCapError extends RangeError {}

/**
 * Reads an unsigned LEB128 of up to 64 bits (memory64 limits). Values past 2^53 lose precision, which does not matter
 * here: they are only compared with the cap, and anything that large is over it.
 */
function readU64(b: Uint8Array, pos: number): [number, number] {
  let result = 0;
  for (let i = pos, shift = 0; i < b.length && shift < 70; i++, shift += 7) {
    const byte = b[i] as number;
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [result, i + 1];
  }
  throw new MemoryCapError('bad LEB128 in the memory section of a core module');
}

/** Rewrites one memory's limits at `p`: `[new limits bytes, next position]`. */
function capLimits(module: Uint8Array, p: number, maxPages: number): [number[], number] {
  const flags = module[p++] as number;
  if (flags > (HAS_MAX | SHARED | MEMORY64)) {
    throw new MemoryCapError(
      `a memory uses limits flags 0x${flags.toString(16)} (e.g. custom page sizes), which weft cannot cap; build the component without them`,
    );
  }
  const [min, afterMin] = readU64(module, p);
  p = afterMin;
  let max = maxPages;
  if (flags & HAS_MAX) {
    const [m, afterMax] = readU64(module, p);
    p = afterMax;
    max = Math.min(m, maxPages);
  } else if (flags & SHARED) {
    throw new MemoryCapError('a shared memory has no maximum (the threads proposal requires one)');
  }
  if (min > maxPages)
    throw new MemoryCapError(
      `the component needs ${min * PAGE} bytes of linear memory at start, over the limit of ${maxPages * PAGE}`,
    );
  return [[flags | HAS_MAX, ...encodeLeb128(min), ...encodeLeb128(max)], p];
}

/**
 * Returns the module with every defined memory's max set to at most `maxBytes` (unchanged if it defines none).
 * @throws {RangeError} when a memory needs more than `maxBytes` at start or uses limits that cannot be capped.
 */
export function capMemory(module: Uint8Array, maxBytes: number): Uint8Array {
  const maxPages = Math.max(1, Math.floor(maxBytes / PAGE));
  if (module.length < 8) return module;
  let pos = 8;
  const parts: Uint8Array[] = [module.subarray(0, 8)];
  let changed = false;
  while (pos < module.length) {
    const id = module[pos] as number;
    const [size, bodyStart] = readU64(module, pos + 1);
    const end = bodyStart + size;
    if (id !== 5) {
      parts.push(module.subarray(pos, end));
      pos = end;
      continue;
    }
    const body: number[] = [];
    let [count, p] = readU64(module, bodyStart);
    body.push(...encodeLeb128(count));
    for (; count > 0; count--) {
      const [limits, next] = capLimits(module, p, maxPages);
      body.push(...limits);
      p = next;
      changed = true;
    }
    parts.push(new Uint8Array([5, ...encodeLeb128(body.length), ...body]));
    pos = end;
  }
  return changed ? concatBytes(parts) : module;
}
