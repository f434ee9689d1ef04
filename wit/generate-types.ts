/**
 * Generates the TypeScript declarations of every world in `weft.wit` for actor authors (jco's guest types: what an
 * actor module exports and may import), into `wit/gen/{world}/`. `npm run wit:types` after changing the WIT;
 * `wit/gen-types.test.ts` fails while the committed types differ from what this would generate.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WIT_DIR = fileURLToPath(new URL('./', import.meta.url));
export const TYPES_DIR = join(WIT_DIR, 'gen');

/** The worlds of `weft.wit`. */
export async function worlds(): Promise<string[]> {
  const text = await readFile(join(WIT_DIR, 'weft.wit'), 'utf8');
  return [...text.matchAll(/^world ([a-z0-9-]+) \{/gm)].map((m) => m[1] ?? '');
}

/** Guest types of one world: file name (relative to its folder) → text. */
export async function worldTypes(world: string): Promise<Record<string, string>> {
  // jco reads WIT through WASI: this build tool (never a guest) gets the host filesystem
  const fs = (await import('@bytecodealliance/preview2-shim/filesystem')) as unknown as {
    _setPreopens: (p: Record<string, string>) => void;
  };
  fs._setPreopens({ '/': '/' });
  const { types } = (await import('@bytecodealliance/jco')) as unknown as {
    types: (wit: string, o: { worldName: string; guest: boolean }) => Promise<Record<string, Uint8Array>>;
  };
  const files = await types(WIT_DIR, { worldName: `weft:actors/${world}`, guest: true });
  return Object.fromEntries(Object.entries(files).map(([name, data]) => [name, new TextDecoder().decode(data)]));
}

async function main(): Promise<void> {
  await rm(TYPES_DIR, { recursive: true, force: true });
  for (const world of await worlds()) {
    const files = await worldTypes(world);
    for (const [name, text] of Object.entries(files)) {
      const file = join(TYPES_DIR, world, name);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, text);
    }
    console.log(`${world}: ${Object.keys(files).length} files`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
