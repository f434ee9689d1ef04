/**
 * Density: idle instances of `adder` one host holds, from the memory they add to the host process, against raw
 * instances of the same core module in one thread (no jco glue, no workers) measured in the same run.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { transpile } from '@bytecodealliance/jco';
import { ComponentRuntime } from '../../host/runtime/index.ts';
import { fixture } from '../helpers/index.ts';
import { row } from './table.ts';
import type { BenchRow } from './table.ts';

const GIB = 1024 ** 3;
/** RSS after a full GC when the bench runs with --expose-gc (npm run bench does), so earlier scenarios' garbage does not blur the delta. */
const rss = (): number => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss;
};

export async function densityScenarios(quick: boolean): Promise<BenchRow[]> {
  const bytes = await readFile(fixture('adder.component.wasm'));
  const components = quick ? 200 : 500;
  const { files } = await transpile(bytes, { name: 'component', instantiation: 'async' });
  const mod = await WebAssembly.compile(files['component.core.wasm'] as Uint8Array<ArrayBuffer>);

  // weft: every started component keeps one pre-instantiated spare in each worker of the default pool
  const workers = availableParallelism();
  const rt = new ComponentRuntime({ cacheDir: await mkdtemp(join(tmpdir(), 'weft-density-')), workers });
  const prepared = await rt.load(bytes);
  await rt.start('warm', prepared, { maxInstances: 1 });
  await rt.invoke('warm', 'docs:adder/add.add', [2, 3]);
  const before = rss();
  for (let i = 0; i < components; i++) await rt.start(`d${i}`, prepared, { maxInstances: 1 });
  for (let i = 0; i < components; i += 50) await rt.invoke(`d${i}`, 'docs:adder/add.add', [2, 3]); // they answer
  const instances = components * workers;
  const perInstance = (rss() - before) / instances;
  await rt.close();

  // baseline: plain WebAssembly instances of the component's core module, kept alive in this thread (4x as many:
  // each adds little, and the delta must stand out of the heap's noise)
  const keep: WebAssembly.Instance[] = [];
  const rawBefore = rss();
  for (let i = 0; i < instances * 4; i++) keep.push(await WebAssembly.instantiate(mod, {}));
  const rawPer = (rss() - rawBefore) / keep.length;

  const kib = (b: number): number => b / 1024;
  if (!(perInstance > 0 && rawPer > 0))
    throw new Error(
      `density: memory did not grow (${perInstance} / ${rawPer} bytes per instance); run with --expose-gc`,
    );
  return [
    row(
      'density',
      `memory per idle adder instance (${instances} in ${workers} workers)`,
      'KiB',
      kib(perInstance),
      'raw core instance',
      kib(rawPer),
    ),
    row(
      'density',
      'idle adder instances per GiB',
      'inst',
      GIB / perInstance,
      'raw core instances per GiB',
      GIB / rawPer, // the target is absolute (≥ 1000 per GiB): as a ratio to this run's baseline that is 1000 / baseline
      { ratio: 1000 / (GIB / rawPer), higherIsBetter: true, text: '≥ 1000 per GiB' },
    ),
  ];
}
