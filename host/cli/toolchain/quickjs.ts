/**
 * Componentizes a bundled actor with QuickJS (componentize-qjs, its non-async runtime for preview-2 hosts).
 *
 * componentize-qjs snapshots the engine with Wizer, whose linker gives every import it does not know trap stubs with
 * one placeholder resource type, then adds the real WASI 0.2 imports over them. A world that uses wasi:http then
 * fails to link (`wasi:http/types` `io-error` is a placeholder, `wasi:io/error` is real: mismatched resource types).
 * So the build moves the world's WASI 0.2 packages to version 9.2.x (unknown to the linker: all placeholders,
 * consistent), and afterwards writes `@0.2.` back over every `@9.2.` in the component (same length, so every offset
 * holds).
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError, CliErrorCode } from '../errors.ts';

/** The WASI packages the snapshot linker implements (their 0.2.x versions move out of its way). */
const LINKED = /\b(wasi:(?:io|clocks|cli|filesystem|random|sockets|http)(?:\/[a-z-]+)?)@0\.2\./g;
const MOVED = '@9.2.';

/** WIT or JS text with the linked WASI packages at 9.2.x. */
export const moveWasiVersions = (text: string): string => text.replace(LINKED, `$1${MOVED}`);

/** Writes `@0.2.` over every `@9.2.` in the component bytes (in place). */
export function restoreWasiVersions(bytes: Uint8Array): Uint8Array {
  const from = new TextEncoder().encode(MOVED);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = buf.indexOf(from); i >= 0; i = buf.indexOf(from, i + from.length)) buf[i + 1] = 0x30; // '9' → '0'
  return bytes;
}

async function movedWitCopy(wit: string, into: string): Promise<void> {
  await cp(wit, into, { recursive: true, filter: (src) => !/[\\/](gen|node_modules)$/.test(src) });
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.wit')) await writeFile(p, moveWasiVersions(await readFile(p, 'utf8')));
    }
  };
  await walk(into);
}

/** Builds the component of `code` (one bundled ES module) for `world` in the WIT folder `wit`. */
export async function componentizeQuickJs(code: string, wit: string, world: string): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'weft-qjs-'));
  try {
    await movedWitCopy(wit, join(dir, 'wit'));
    const jsPath = join(dir, 'actor.js');
    const jsSource = moveWasiVersions(code);
    await writeFile(jsPath, jsSource);
    const { componentize } = (await import('componentize-qjs')) as unknown as {
      componentize: (o: Record<string, unknown>) => Promise<{ component: Uint8Array }>;
    };
    const { component } = await componentize({ witPath: join(dir, 'wit'), jsSource, jsPath, world, sync: true });
    return restoreWasiVersions(new Uint8Array(component));
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(
      CliErrorCode.Failed,
      `QuickJS build failed: ${String((err as Error).message).split('\n')[0]}`,
      'check the world name in weft.json and the imports in your source, or try --engine starlingmonkey',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
