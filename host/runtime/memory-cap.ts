/**
 * Caps the linear memories a core module defines at `maxBytes` by rewriting the maximum in its memory section, so
 * `memory.grow` past the cap fails inside the guest (which then traps) instead of exhausting the host.
 */
import { concatBytes, encodeLeb128, readLeb128 } from '../../lattice/index.ts';

const PAGE = 65536;

/** Returns the module with every defined 32-bit memory's max set to at most `maxBytes` (unchanged if none). */
export function capMemory(module: Uint8Array, maxBytes: number): Uint8Array {
  const maxPages = Math.max(1, Math.floor(maxBytes / PAGE));
  if (module.length < 8) return module;
  let pos = 8;
  const parts: Uint8Array[] = [module.subarray(0, 8)];
  let changed = false;
  while (pos < module.length) {
    const id = module[pos] as number;
    const [size, bodyStart] = readLeb128(module, pos + 1);
    const end = bodyStart + size;
    if (id !== 5) {
      parts.push(module.subarray(pos, end));
      pos = end;
      continue;
    }
    const body: number[] = [];
    let [count, p] = readLeb128(module, bodyStart);
    body.push(...encodeLeb128(count));
    for (; count > 0; count--) {
      const flags = module[p++] as number;
      if (flags > 1) return module; // shared or 64-bit memories: leave as they are
      const [min, afterMin] = readLeb128(module, p);
      p = afterMin;
      let max = maxPages;
      if (flags === 1) {
        const [m, afterMax] = readLeb128(module, p);
        p = afterMax;
        max = Math.min(m, maxPages);
      }
      if (min > maxPages) throw new RangeError(`the component needs ${min * PAGE} bytes of linear memory at start, over the limit of ${maxPages * PAGE}`);
      body.push(1, ...encodeLeb128(min), ...encodeLeb128(max));
      changed = true;
    }
    parts.push(new Uint8Array([5, ...encodeLeb128(body.length), ...body]));
    pos = end;
  }
  return changed ? concatBytes(parts) : module;
}
