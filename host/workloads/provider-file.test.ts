import { chmod, mkdir, mkdtemp, realpath, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveProviderFile, TRANSPILE_CACHE_MARKER } from './provider-file.ts';

let root: string;
let allowed: string;
let outside: string;
beforeAll(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), 'weft-pdir-')));
  allowed = join(root, 'allowed');
  outside = join(root, 'outside');
  for (const d of [allowed, outside, join(allowed, 'sub'), join(allowed, 'cache'), join(allowed, 'open')])
    await mkdir(d, { mode: 0o755 });
  for (const f of ['p.ts', 'p.mjs', 'p.js', 'p.wasm', 'p.json', 'p.node', 'sub/q.ts', 'cache/c.js', 'open/o.js'])
    await writeFile(join(allowed, f), '// provider\n', { mode: 0o644 });
  await writeFile(join(outside, 'x.ts'), '// elsewhere\n', { mode: 0o644 });
  await writeFile(join(allowed, 'cache', TRANSPILE_CACHE_MARKER), '');
  await writeFile(join(allowed, 'ww.ts'), '', { mode: 0o644 });
  await chmod(join(allowed, 'ww.ts'), 0o666);
  await chmod(join(allowed, 'open'), 0o777);
  await symlink(join(outside, 'x.ts'), join(allowed, 'link.ts'));
});

const refused = (p: string, dirs = [allowed]) =>
  expect(resolveProviderFile(p, dirs)).rejects.toThrow(/HOST_PROVIDER_NOT_ALLOWED/);

describe('provider files', () => {
  it('provider file - .js/.mjs/.ts inside an allowed directory start, by their real path', async () => {
    for (const f of ['p.ts', 'p.mjs', 'p.js', 'sub/q.ts'])
      expect(await resolveProviderFile(join(allowed, f), [allowed])).toBe(join(allowed, f));
    expect(await resolveProviderFile(join(allowed, 'sub', '..', 'p.ts'), [`${allowed}/`])).toBe(join(allowed, 'p.ts'));
  });

  it('provider file - no allowed dir, outside it, a symlink out of it, other extensions, the transpile cache, writable files and dirs are refused', async () => {
    await refused(join(allowed, 'p.ts'), []);
    await refused(join(outside, 'x.ts'));
    await refused(join(allowed, 'link.ts'));
    for (const f of ['p.wasm', 'p.json', 'p.node']) await refused(join(allowed, f));
    await refused(join(allowed, 'cache', 'c.js'));
    await refused(join(allowed, 'ww.ts'));
    await refused(join(allowed, 'open', 'o.js'));
    await refused(allowed);
  });

  it('provider file - a missing file gets the same error text as a file that is not allowed (no path oracle)', async () => {
    const missing = await resolveProviderFile(join(allowed, 'nope.ts'), [allowed]).catch((e: Error) => e.message);
    const notAllowed = await resolveProviderFile(join(outside, 'x.ts'), [allowed]).catch((e: Error) => e.message);
    const wrongExt = await resolveProviderFile(join(allowed, 'p.wasm'), [allowed]).catch((e: Error) => e.message);
    expect(missing).toMatch(/HOST_PROVIDER_NOT_ALLOWED.*--allow-provider-dir/);
    expect(notAllowed).toBe(missing);
    expect(wrongExt).toBe(missing);
  });
});
