import { appendFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { bytesHash, upToDate, writeStamp } from './build-stamp.ts';
import type { StampedResult, StampOptions } from './build-stamp.ts';

let dir: string;
let opts: StampOptions;
let inputs: string[];
let result: StampedResult;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-stamp-'));
  await mkdir(join(dir, 'src'));
  await mkdir(join(dir, 'wit'));
  await mkdir(join(dir, 'build'));
  await mkdir(join(dir, 'keys'));
  await writeFile(
    join(dir, 'weft.json'),
    JSON.stringify({ name: 'a', world: 'w', wit: 'wit', source: 'src/index.ts' }),
  );
  await writeFile(join(dir, 'wit', 'world.wit'), 'package a:b;\nworld w {}\n');
  await writeFile(join(dir, 'src', 'index.ts'), 'export default {};\n');
  await writeFile(join(dir, 'keys', 'a_component.nk'), 'SMSEED\n');
  const out = new Uint8Array([0, 97, 115, 109]);
  await writeFile(join(dir, 'build', 'a.wasm'), out);
  opts = { caps: [], unsigned: false, keyFiles: [join(dir, 'keys', 'a_component.nk')] };
  inputs = [join(dir, 'src', 'index.ts')];
  result = { file: join(dir, 'build', 'a.wasm'), sha256: bytesHash(out), bytes: 4, engine: 'quickjs', caps: [] };
  await writeStamp(dir, opts, inputs, result);
});

describe('weft build up-to-date check', () => {
  it('build stamp - nothing changed: the recorded result', async () => {
    expect(await upToDate(dir, opts)).toEqual(result);
  });

  it('build stamp - no stamp, or an unreadable one: build again', async () => {
    const other = await mkdtemp(join(tmpdir(), 'weft-stamp-none-'));
    expect(await upToDate(other, opts)).toBeUndefined();
    await writeFile(join(dir, 'build', '.weft-build.json'), '{ not json');
    expect(await upToDate(dir, opts)).toBeUndefined();
  });

  it('build stamp - a changed source, weft.json, WIT file or key file makes it stale', async () => {
    for (const [file, text] of [
      ['src/index.ts', '// edit\n'],
      ['weft.json', ' '],
      ['wit/world.wit', '\n'],
      ['keys/a_component.nk', 'X'],
    ] as const) {
      await writeStamp(dir, opts, inputs, result);
      expect(await upToDate(dir, opts)).toBeDefined();
      await appendFile(join(dir, file), text);
      expect(await upToDate(dir, opts), file).toBeUndefined();
    }
  });

  it('build stamp - a new file beside a source (it may change what an import resolves to) makes it stale', async () => {
    await writeFile(join(dir, 'src', 'util.ts'), 'export {};\n');
    expect(await upToDate(dir, opts)).toBeUndefined();
  });

  it('build stamp - other options (engine, caps, unsigned, issuer) do not match the stamp', async () => {
    expect(await upToDate(dir, { ...opts, engine: 'starlingmonkey' })).toBeUndefined();
    expect(await upToDate(dir, { ...opts, caps: ['wasi:http'] })).toBeUndefined();
    expect(await upToDate(dir, { ...opts, unsigned: true })).toBeUndefined();
    expect(await upToDate(dir, { ...opts, issuer: 'SAOTHERSEED' })).toBeUndefined();
  });

  it('build stamp - an output changed or removed since is built again; a seed issuer is not written down', async () => {
    await writeStamp(dir, { ...opts, issuer: 'SASECRETSEED' }, inputs, result);
    expect(await readFile(join(dir, 'build', '.weft-build.json'), 'utf8')).not.toContain('SASECRETSEED');
    expect(await upToDate(dir, { ...opts, issuer: 'SASECRETSEED' })).toBeDefined();
    await appendFile(join(dir, 'build', 'a.wasm'), 'x');
    expect(await upToDate(dir, { ...opts, issuer: 'SASECRETSEED' })).toBeUndefined();
  });
});
