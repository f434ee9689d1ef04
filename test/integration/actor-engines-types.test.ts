/**
 * TypeScript actors type-check their WIT calls: `weft new actor --lang ts` writes the world's generated types
 * (jco guest types, `wit/gen/`) and a tsconfig.json that includes them; `weft build` writes them again when the WIT
 * changes. tsc is the project's own (node_modules/typescript), run on the scaffolded folder as an author would.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/index.ts';

const TSC = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));

/** tsc -p DIR: exit code and output. */
const tsc = (dir: string): Promise<{ code: number; out: string }> =>
  new Promise((done) =>
    execFile(process.execPath, [TSC, '-p', dir], { encoding: 'utf8' }, (err, stdout, stderr) =>
      done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    ),
  );

let work: string;
let env: Record<string, string>;
const weft = async (args: string[], cwd = work): Promise<string> => {
  const r = await runCli(args, env, 180_000, cwd);
  expect(r.code, `weft ${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
};

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'weft-ts-types-'));
  env = { WEFT_HOME: join(work, 'home'), WEFT_KEYS_DIR: join(work, 'keys') };
  await weft(['new', 'actor', 'hello', '--lang', 'ts']);
  await weft(['new', 'actor', 'counter', '--template', 'kv', '--lang', 'ts']);
}, 120_000);

describe('TypeScript actors: generated WIT types', () => {
  it('new actor --lang ts - the scaffolded http and kv actors type-check against their generated types', async () => {
    for (const a of ['hello', 'counter']) {
      expect(existsSync(join(work, a, 'tsconfig.json')), a).toBe(true);
      expect(existsSync(join(work, a, 'wit', 'gen', 'weft-sdk.d.ts')), a).toBe(true);
      const r = await tsc(join(work, a));
      expect(r, a).toEqual({ code: 0, out: '' });
    }
    expect(existsSync(join(work, 'counter', 'wit', 'gen', 'counter', 'interfaces', 'wasi-keyvalue-atomics.d.ts'))).toBe(
      true,
    );
  }, 120_000);

  it('new actor --lang ts - a wrong call to a WIT import fails type-checking', async () => {
    const file = join(work, 'counter', 'src', 'index.ts');
    const good = await readFile(file, 'utf8');
    await writeFile(file, good.replace('m[1] as string', '42')); // increment(bucket, key: string, delta)
    try {
      const r = await tsc(join(work, 'counter'));
      expect(r.code).not.toBe(0);
      expect(r.out).toMatch(/src\/index\.ts\(\d+,\d+\): error TS2345: Argument of type 'number'.*'string'/);
    } finally {
      await writeFile(file, good);
    }
  }, 120_000);

  it('weft build - writes the types again when the WIT changes, so a new import type-checks', async () => {
    const dir = join(work, 'hello');
    await appendFile(
      join(dir, 'wit', 'world.wit'),
      '\nworld hello-logged {\n  include hello;\n  import wasi:logging/logging@0.1.0-draft;\n}\n',
    );
    await writeFile(
      join(dir, 'weft.json'),
      JSON.stringify({ name: 'hello', world: 'hello-logged', wit: 'wit', source: 'src/index.ts' }),
    );
    await writeFile(
      join(dir, 'tsconfig.json'),
      (await readFile(join(dir, 'tsconfig.json'), 'utf8')).replace('gen/hello"', 'gen/hello-logged"'),
    );
    const source = join(dir, 'src', 'index.ts');
    await writeFile(
      source,
      `import { log } from 'wasi:logging/logging@0.1.0-draft';\n${(await readFile(source, 'utf8')).replace(
        'async fetch(request: Request): Promise<Response> {',
        "async fetch(request: Request): Promise<Response> {\n    log('info', 'hello', request.url);",
      )}`,
    );
    expect((await tsc(dir)).out).toMatch(/Cannot find module 'wasi:logging\/logging@0\.1\.0-draft'/);
    const built = await weft(['build', '--unsigned'], dir);
    expect(built).toMatch(/wrote the TypeScript types of world hello-logged/);
    expect(await tsc(dir)).toEqual({ code: 0, out: '' });
    await writeFile(source, (await readFile(source, 'utf8')).replace("log('info',", "log('loud',"));
    expect((await tsc(dir)).out).toMatch(/error TS2345: Argument of type '"loud"'/);
  }, 240_000);
});
