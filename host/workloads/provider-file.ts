import { existsSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, extname, join, sep } from 'node:path';
import { HostError, HostErrorCode } from '../errors.ts';
import type { Logger } from '../logger.ts';

/** File the transpile cache keeps in its directory; no provider starts from below a directory holding it. */
export const TRANSPILE_CACHE_MARKER = '.weft-transpile-cache';

/** Entry files a provider process may start from (never `.wasm`, `.json`, `.node`, …). */
export const PROVIDER_EXTENSIONS = ['.js', '.mjs', '.ts'];

const inside = (path: string, dir: string): boolean =>
  path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
const real = (p: string): Promise<string | undefined> => realpath(p).catch(() => undefined);

/** weft's own writable directories (home and caches), as real paths. */
async function weftDirs(): Promise<string[]> {
  const dirs = await Promise.all([join(homedir(), '.weft'), join(homedir(), '.cache', 'weft')].map(real));
  return dirs.filter((d): d is string => d !== undefined);
}

/** Why `file` may not start, or undefined when it may. */
async function problem(file: string, allowedDirs: readonly string[]): Promise<string | undefined> {
  if (!allowedDirs.length) return 'the host names no --allow-provider-dir';
  const path = await real(file);
  if (!path) return 'the file does not exist';
  if (!PROVIDER_EXTENSIONS.includes(extname(path))) return `${path} is not a ${PROVIDER_EXTENSIONS.join('/')} file`;
  const roots = (await Promise.all(allowedDirs.map(real))).filter((d): d is string => d !== undefined);
  const root = roots.find((d) => inside(path, d) && path !== d);
  if (!root) return `${path} is outside every --allow-provider-dir (${allowedDirs.join(', ')})`;
  for (const d of await weftDirs()) if (inside(path, d)) return `${path} is inside weft's own directory ${d}`;
  for (let d = dirname(path); ; d = dirname(d)) {
    if (existsSync(join(d, TRANSPILE_CACHE_MARKER))) return `${path} is inside the transpile cache ${d}`;
    if (d === dirname(d)) break;
  }
  const uid = process.getuid?.();
  const owned = (s: { uid: number }): boolean => uid === undefined || s.uid === uid || s.uid === 0;
  const st = await stat(path);
  if (!st.isFile()) return `${path} is not a regular file`;
  if (st.mode & 0o022 || !owned(st)) return `${path} is writable by group or others, or owned by another user`;
  // every directory from the file's up to the allowed one: whoever may write there may swap the file
  for (let d = dirname(path); inside(d, root); d = dirname(d)) {
    const ds = await stat(d);
    if (ds.mode & 0o022 || !owned(ds)) return `directory ${d} is writable by group or others, or owned by another user`;
    if (d === root || d === dirname(d)) break;
  }
  return undefined;
}

/**
 * Resolves the entry file of an external provider process (`file://` provider ref): its real path must be a
 * `.js`/`.mjs`/`.ts` file inside one of `allowedDirs` (`--allow-provider-dir`), outside weft's home and caches and
 * the transpile cache, owned by this user (or root) and not writable by group or others, nor its directories up to
 * the allowed one. The refusal reads the same whether the file is missing or not allowed (no probing of paths over
 * the lattice); the reason goes to the host's log.
 * @returns the real path to start.
 * @throws {HostError} HOST_PROVIDER_NOT_ALLOWED.
 */
export async function resolveProviderFile(
  file: string,
  allowedDirs: readonly string[],
  logger?: Logger,
): Promise<string> {
  const why = await problem(file, allowedDirs).catch((err: unknown) => `cannot check it: ${(err as Error).message}`);
  if (why === undefined) return (await real(file)) ?? file;
  logger?.warn({ path: file, reason: why }, 'provider file refused');
  throw new HostError(
    HostErrorCode.ProviderNotAllowed,
    'provider file is missing or not allowed: external providers start only from a .js, .mjs or .ts file (not writable by group or others) inside a directory named by the host flag --allow-provider-dir; the host log says which',
  );
}
