import { describe, expect, it } from 'vitest';
import { parseDts } from './dts-types.ts';
import { findExport, hasExport } from './export-lookup.ts';
import type { ExportSource } from './export-lookup.ts';

// the declarations jco writes, already parsed into the lookup's cache (so no file is read)
function source(): ExportSource {
  const dts = new Map([
    [
      'add.d.ts',
      parseDts('export function add(x: number, y: number): number;\nexport function addMany(xs: Uint32Array): number;'),
    ],
    ['component.d.ts', parseDts('export function run(): void;')],
  ]);
  const exports = { 'docs:adder/add@0.1.0': 'add.d.ts', '': 'component.d.ts' };
  return { dir: '/nowhere', dts, meta: { digest: 'd', jspi: false, asyncWasi: [], hostImports: [], exports } };
}
const instance = { 'docs:adder/add@0.1.0': { add: (x: number, y: number) => x + y, addMany: () => 0 }, run: () => 1 };

describe('export lookup', () => {
  it('hasExport - an interface function at any version or none, kebab-case names; a root function', () => {
    const l = source();
    for (const op of ['docs:adder/add@0.1.0.add', 'docs:adder/add@0.2.0.add', 'docs:adder/add.add-many', 'run'])
      expect(hasExport(l, op), op).toBe(true);
    for (const op of ['docs:adder/add.sub', 'docs:adder/other.add', 'walk', 'docs:adder/add', ''])
      expect(hasExport(l, op), op).toBe(false);
  });

  it('findExport - the function and its declaration; a dotted name without an interface is a root function', () => {
    const l = source();
    const f = findExport(l, instance, 'docs:adder/add@0.1.1.add');
    expect(f.fn(2, 3)).toBe(5);
    expect(f.decl.params.map((p) => p.name)).toEqual(['x', 'y']);
    expect(findExport(l, instance, 'run').fn()).toBe(1);
    expect(() => findExport(l, instance, 'a.run')).toThrow(/"\(root\)" has no function "a.run"/);
  });

  it('findExport - COMP_NO_SUCH_EXPORT naming the missing interface or function and what there is', () => {
    const l = source();
    expect(() => findExport(l, instance, 'docs:adder/sub.sub')).toThrow(
      expect.objectContaining({
        code: 'COMP_NO_SUCH_EXPORT',
        message: expect.stringMatching(/docs:adder\/sub.*exports: docs:adder\/add@0\.1\.0/),
      }),
    );
    expect(() => findExport(l, instance, 'docs:adder/add.sub')).toThrow(/has no function "sub"; it has: add, addMany/);
  });
});
