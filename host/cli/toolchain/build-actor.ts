import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CliError, CliErrorCode } from '../errors.ts';

/** An actor's build settings (`weft.json` in its folder). */
export interface ActorConfig {
  name: string;
  /** World in the WIT folder. */
  world: string;
  /** WIT folder (with deps/), relative to the actor folder. */
  wit: string;
  /** JavaScript entry, relative to the actor folder. */
  source: string;
}

/** Reads `weft.json`. @throws {CliError} CLI_USAGE when missing or incomplete. */
export async function readActorConfig(dir: string): Promise<ActorConfig> {
  const file = join(dir, 'weft.json');
  if (!existsSync(file))
    throw new CliError(CliErrorCode.Usage, `no weft.json in ${dir}`, 'create an actor with `weft new actor NAME`');
  const c = JSON.parse(await readFile(file, 'utf8')) as Partial<ActorConfig>;
  for (const k of ['name', 'world', 'wit', 'source'] as const) {
    if (typeof c[k] !== 'string') throw new CliError(CliErrorCode.Usage, `weft.json: "${k}" must be a string`);
  }
  return c as ActorConfig;
}

async function witHash(dir: string): Promise<string> {
  const h = createHash('sha256');
  const walk = async (d: string): Promise<void> => {
    for (const e of (await readdir(d, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.wit')) h.update(e.name).update(await readFile(p));
    }
  };
  await walk(dir);
  return h.digest('hex');
}

/** What a build of the actor in `dir` depends on: the hash of its source, world and WIT (the build cache's key). */
export async function actorSourceKey(dir: string, config?: ActorConfig): Promise<string> {
  const cfg = config ?? (await readActorConfig(dir));
  return createHash('sha256')
    .update(await readFile(resolve(dir, cfg.source)))
    .update(cfg.world)
    .update(await witHash(resolve(dir, cfg.wit)))
    .digest('hex');
}

/**
 * Builds an actor with componentize-js (StarlingMonkey) into a component. Builds are cached by the hash of the
 * source and WIT (`~/.cache/weft/actors`), so rebuilding unchanged sources is instant.
 * @returns the component bytes and whether the cache answered.
 */
export async function buildActor(
  dir: string,
  cacheDir = join(homedir(), '.cache', 'weft', 'actors'),
): Promise<{ bytes: Uint8Array; cached: boolean; config: ActorConfig }> {
  const cfg = await readActorConfig(dir);
  const source = resolve(dir, cfg.source);
  const wit = resolve(dir, cfg.wit);
  const key = await actorSourceKey(dir, cfg);
  const cached = join(cacheDir, `${cfg.name}-${key.slice(0, 16)}.wasm`);
  if (existsSync(cached)) return { bytes: new Uint8Array(await readFile(cached)), cached: true, config: cfg };
  // componentize-js reads WIT and sources through WASI: build tooling (never guests) gets the host filesystem
  const fs = (await import('@bytecodealliance/preview2-shim/filesystem')) as unknown as {
    _setPreopens: (p: Record<string, string>) => void;
  };
  fs._setPreopens({ '/': '/' });
  const { componentize } = (await import('componentize-js-sm')) as unknown as {
    componentize: (o: { sourcePath: string; witPath: string; worldName: string }) => Promise<{ component: Uint8Array }>;
  };
  let component: Uint8Array;
  try {
    ({ component } = await componentize({ sourcePath: source, witPath: wit, worldName: cfg.world }));
  } catch (err) {
    throw new CliError(
      CliErrorCode.Failed,
      `building ${cfg.name} failed: ${String((err as Error).message).split('\n')[0]}`,
      'check the world name in weft.json and the imports in your source',
    );
  }
  await mkdir(dirname(cached), { recursive: true });
  await writeFile(cached, component);
  return { bytes: component, cached: false, config: cfg };
}
