/**
 * `weft build`'s up-to-date check, made before anything heavy loads. A stamp beside the output
 * (`build/.weft-build.json`) records what the last build read and what it wrote: weft.json, the files rolldown
 * bundled (the author's sources, npm packages, the SDK) and the listings of the author's folders among them (a new
 * file can change what an import resolves to), the WIT, the signing key files, the options, the toolchain (its own
 * sources and the installed packages' lockfile). When all of them hash as recorded and the output is still the file
 * written, the build is skipped: no rolldown, no jco world resolution, no componentizer, no signing (like tsc's
 * `.tsbuildinfo` or cargo's fingerprints).
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { witHash } from './build-actor.ts';

const STAMP_VERSION = 1;
const TOOLCHAIN_DIR = fileURLToPath(new URL('./', import.meta.url));
const LOCKFILE = fileURLToPath(new URL('../../../node_modules/.package-lock.json', import.meta.url));

/** The options a build's output depends on besides its files (the CLI's flags), plus the key files it signs with. */
export interface StampOptions {
  engine?: string;
  caps: string[];
  unsigned: boolean;
  /** `--issuer`, hashed into the key (a seed is never written to the stamp). */
  issuer?: string;
  /** Paths of the key files that signing reads (their contents are hashed). */
  keyFiles: string[];
}

/** What a build wrote, as `weft build` reports it. */
export interface StampedResult {
  file: string;
  sha256: string;
  bytes: number;
  engine: string;
  caps?: string[];
  subject?: string;
}

interface Stamp {
  version: number;
  key: string;
  inputs: string[];
  result: StampedResult;
}

/** Where the stamp of the actor in `dir` lives. */
export const stampFile = (dir: string): string => join(dir, 'build', '.weft-build.json');

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

async function contentHash(path: string): Promise<string> {
  try {
    return sha256(await readFile(path));
  } catch {
    return 'missing';
  }
}

async function listing(dir: string): Promise<string> {
  try {
    return (await readdir(dir)).sort().join('\0');
  } catch {
    return 'missing';
  }
}

async function toolchainHash(): Promise<string> {
  const h = createHash('sha256');
  for (const f of (await readdir(TOOLCHAIN_DIR)).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts')).sort())
    h.update(f).update(await readFile(join(TOOLCHAIN_DIR, f)));
  const lock = await stat(LOCKFILE).catch(() => undefined);
  return h.update(lock ? `${lock.size}:${lock.mtimeMs}` : 'no-lockfile').digest('hex');
}

/** The key of a build of `dir` that read `inputs`, with `opts`, as things are on disk now. */
async function stampKey(dir: string, inputs: string[], opts: StampOptions): Promise<string> {
  const configText = await readFile(join(dir, 'weft.json'), 'utf8');
  const wit = resolve(dir, String((JSON.parse(configText) as { wit?: unknown }).wit));
  const h = createHash('sha256').update(`${STAMP_VERSION}\0${await toolchainHash()}\0${configText}\0`);
  h.update(JSON.stringify({ ...opts, issuer: opts.issuer === undefined ? null : sha256(opts.issuer), keyFiles: [] }));
  for (const f of opts.keyFiles) h.update(`\0key ${f} ${await contentHash(f)}`);
  h.update(`\0wit ${await witHash(wit)}`);
  const sorted = [...inputs].sort();
  for (const f of sorted) h.update(`\0in ${f} ${await contentHash(f)}`);
  const dirs = [...new Set(sorted.filter((f) => !f.includes(`${sep}node_modules${sep}`)).map((f) => dirname(f)))];
  for (const d of dirs) h.update(`\0dir ${d} ${await listing(d)}`);
  return h.digest('hex');
}

/**
 * The result of the last build of `dir` when nothing it depends on has changed since (and its output is intact),
 * else undefined. Never throws: anything unreadable means "build again".
 */
export async function upToDate(dir: string, opts: StampOptions): Promise<StampedResult | undefined> {
  try {
    const stamp = JSON.parse(await readFile(stampFile(dir), 'utf8')) as Stamp;
    if (stamp.version !== STAMP_VERSION || !Array.isArray(stamp.inputs) || !stamp.result) return undefined;
    if ((await stampKey(dir, stamp.inputs, opts)) !== stamp.key) return undefined;
    return (await contentHash(stamp.result.file)) === stamp.result.sha256 ? stamp.result : undefined;
  } catch {
    return undefined;
  }
}

/** Records a finished build of `dir` (what it read: `inputs`, with `opts`; what it wrote: `result`). */
export async function writeStamp(
  dir: string,
  opts: StampOptions,
  inputs: string[],
  result: StampedResult,
): Promise<void> {
  const file = stampFile(dir);
  const stamp: Stamp = { version: STAMP_VERSION, key: await stampKey(dir, inputs, opts), inputs, result };
  await mkdir(dirname(file), { recursive: true });
  await writeFile(`${file}.${process.pid}`, JSON.stringify(stamp, null, 1) + '\n');
  await rename(`${file}.${process.pid}`, file);
}

/** sha256 (hex) of bytes, for `StampedResult.sha256`. */
export const bytesHash = (bytes: Uint8Array): string => sha256(bytes);
