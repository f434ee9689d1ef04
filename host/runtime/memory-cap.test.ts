import { parse } from '@bytecodealliance/jco';
import { describe, expect, it } from 'vitest';
import { capMemory } from './memory-cap.ts';

const PAGE = 65536;
const CAP = 16 * PAGE;

/** A core module from WAT with one memory of `decl` and a `grow(pages)` export returning memory.grow's result. */
async function moduleWith(decl: string, i64 = false): Promise<Uint8Array> {
  const t = i64 ? 'i64' : 'i32';
  return parse(`(module (memory (export "memory") ${decl})
    (func (export "grow") (param ${t}) (result ${t}) (memory.grow (local.get 0))))`);
}

async function growFn(module: Uint8Array): Promise<(pages: number | bigint) => number | bigint> {
  const { instance } = await WebAssembly.instantiate(module as Uint8Array<ArrayBuffer>);
  return instance.exports['grow'] as (pages: number | bigint) => number | bigint;
}

describe('capMemory', () => {
  it('memory cap - a 32-bit memory without a max cannot grow past the cap', async () => {
    const grow = await growFn(capMemory(await moduleWith('1'), CAP));
    expect(grow(15)).toBe(1);
    expect(grow(1)).toBe(-1);
  });

  it('memory cap - a memory64 memory is capped like a 32-bit one (u64 limits, flags 0x04/0x05)', async () => {
    const raw = await moduleWith('i64 1', true);
    expect(await (await growFn(raw))(64n)).toBe(1n); // uncapped, it grows past the cap
    const grow = await growFn(capMemory(raw, CAP));
    expect(grow(15n)).toBe(1n);
    expect(grow(1n)).toBe(-1n);
    const withMax = await growFn(capMemory(await moduleWith('i64 1 100000', true), CAP));
    expect(withMax(16n)).toBe(-1n);
    expect(withMax(15n)).toBe(1n);
  });

  it('memory cap - a shared memory keeps its flags and gets the cap as its max', async () => {
    const raw = await moduleWith('1 65536 shared');
    const capped = capMemory(raw, CAP);
    const mem = new WebAssembly.Module(capped as Uint8Array<ArrayBuffer>);
    const grow = await growFn(capped);
    expect(grow(15)).toBe(1);
    expect(grow(1)).toBe(-1);
    const instance = await WebAssembly.instantiate(mem);
    expect((instance.exports['memory'] as WebAssembly.Memory).buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('memory cap - a smaller declared max stays; a memory needing more than the cap at start is refused', async () => {
    const grow = await growFn(capMemory(await moduleWith('1 4'), CAP));
    expect(grow(4)).toBe(-1);
    expect(grow(3)).toBe(1);
    expect(() => capMemory(new Uint8Array(0), CAP)).not.toThrow();
    const big = await moduleWith('i64 17', true);
    expect(() => capMemory(big, CAP)).toThrow(RangeError);
  });

  it('memory cap - limits it cannot cap are refused rather than passed through', async () => {
    const mod = await moduleWith('1');
    const at = findMemoryFlags(mod);
    const odd = mod.slice();
    odd[at] = 0x08; // custom page size bit
    expect(() => capMemory(odd, CAP)).toThrow(/cannot cap/);
  });
});

/** Offset of the first memory's limits flags byte (memory section id 5: size, count, then flags). */
function findMemoryFlags(m: Uint8Array): number {
  let pos = 8;
  while (pos < m.length) {
    const id = m[pos] as number;
    let size = 0;
    let shift = 0;
    let p = pos + 1;
    for (;;) {
      const b = m[p++] as number;
      size |= (b & 0x7f) << shift;
      shift += 7;
      if (!(b & 0x80)) break;
    }
    if (id === 5) return p + 1;
    pos = p + size;
  }
  throw new Error('no memory section');
}
