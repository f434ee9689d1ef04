/**
 * TypeScript declarations for a TypeScript actor: its world's WIT imports and exports (jco's guest types) in
 * `{wit}/gen/{world}/`, and `@weft/sdk`'s in `{wit}/gen/weft-sdk.d.ts`, which the actor's tsconfig.json includes, so
 * `tsc` checks every call to a WIT import. `weft new actor --lang ts` writes them and the tsconfig.json;
 * `weft build` writes them again when the world's WIT changed (a hash of the .wit files in `{world}/.wit-hash`). An
 * actor without a tsconfig.json (the examples, whose types `npm run wit:types` writes into the shared `wit/gen/`) is
 * left alone.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError, CliErrorCode } from '../errors.ts';
import { witHash } from './build-actor.ts';
import type { ActorConfig } from './build-actor.ts';

const SDK_TYPES = fileURLToPath(new URL('./sdk/weft-sdk.d.ts', import.meta.url));

/** The folder of the generated types of `cfg`'s world. */
export const witTypesDir = (dir: string, cfg: Pick<ActorConfig, 'wit' | 'world'>): string =>
  resolve(dir, cfg.wit, 'gen', cfg.world);

/** The tsconfig.json of a TypeScript actor: strict, no emit (weft build bundles), its generated types included. */
export function actorTsconfig(cfg: Pick<ActorConfig, 'wit' | 'world'>): string {
  const gen = `${cfg.wit.replace(/\/$/, '')}/gen`;
  const compilerOptions = {
    target: 'es2022',
    module: 'preserve',
    moduleResolution: 'bundler',
    lib: ['es2022', 'dom'], // Request, Response, URL, TextEncoder: the SDK provides them on QuickJS
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  return JSON.stringify({ compilerOptions, include: ['src', `${gen}/${cfg.world}`, `${gen}/weft-sdk.d.ts`] }, null, 2);
}

/**
 * Writes the types of the actor in `dir` when it is a TypeScript actor with a tsconfig.json and its WIT changed
 * since they were written (or they are missing). Returns whether it wrote them.
 * @throws {CliError} CLI_FAILED when jco cannot read the world.
 */
export async function refreshWitTypes(dir: string, cfg: ActorConfig): Promise<boolean> {
  if (!cfg.source.endsWith('.ts') || !existsSync(join(dir, 'tsconfig.json'))) return false;
  const out = witTypesDir(dir, cfg);
  const hash = await witHash(resolve(dir, cfg.wit));
  const written = await readFile(join(out, '.wit-hash'), 'utf8').catch(() => '');
  if (existsSync(join(dirname(out), 'weft-sdk.d.ts')) && written === hash) return false;
  await writeWitTypes(dir, cfg);
  return true;
}

/** Writes the guest types of `cfg`'s world and `@weft/sdk`'s (see the module comment). */
export async function writeWitTypes(dir: string, cfg: Pick<ActorConfig, 'wit' | 'world'>): Promise<void> {
  // jco reads the WIT through WASI: build tooling (never a guest) gets the host filesystem
  const fs = (await import('@bytecodealliance/preview2-shim/filesystem')) as unknown as {
    _setPreopens: (p: Record<string, string>) => void;
  };
  fs._setPreopens({ '/': '/' });
  const { types } = (await import('@bytecodealliance/jco')) as unknown as {
    types: (wit: string, o: { worldName: string; guest: boolean }) => Promise<Record<string, Uint8Array>>;
  };
  let files: Record<string, Uint8Array>;
  try {
    files = await types(resolve(dir, cfg.wit), { worldName: cfg.world, guest: true });
  } catch (err) {
    throw new CliError(
      CliErrorCode.Failed,
      `cannot generate the TypeScript types of world ${cfg.world}: ${String((err as Error).message).split('\n')[0]}`,
      'check "world" and "wit" in weft.json',
    );
  }
  const out = witTypesDir(dir, cfg);
  await rm(out, { recursive: true, force: true });
  for (const [name, data] of Object.entries(files)) {
    await mkdir(dirname(join(out, name)), { recursive: true });
    await writeFile(join(out, name), data);
  }
  await copyFile(SDK_TYPES, join(dirname(out), 'weft-sdk.d.ts'));
  await writeFile(join(out, '.wit-hash'), await witHash(resolve(dir, cfg.wit)));
}
