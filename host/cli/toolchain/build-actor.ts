import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CliError, CliErrorCode } from '../errors.ts';
import { bundleActor } from './bundle.ts';
import { DEFAULT_ENGINE, parseEngine } from './engines.ts';
import type { Engine } from './engines.ts';
import { componentizeQuickJs } from './quickjs.ts';
import { componentizeStarlingMonkey } from './starlingmonkey.ts';
import { interfacesExported, interfacesImported, worldWit } from './world-caps.ts';

/** An actor's build settings (`weft.json` in its folder). */
export interface ActorConfig {
  name: string;
  /** World in the WIT folder. */
  world: string;
  /** WIT folder (with deps/), relative to the actor folder. */
  wit: string;
  /** JavaScript or TypeScript entry, relative to the actor folder. */
  source: string;
  /** JS engine (default: DEFAULT_ENGINE); `weft build --engine` overrides it. */
  engine?: Engine;
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
  if (c.engine !== undefined) parseEngine(c.engine, 'weft.json');
  return c as ActorConfig;
}

/** sha256 over the names and contents of the `.wit` files under `dir`, in a stable order. */
export async function witHash(dir: string): Promise<string> {
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

/** What one build needs and is keyed by: the bundled module, the world's WIT and the engine. */
export interface PreparedBuild {
  config: ActorConfig;
  engine: Engine;
  /** The world as wasm-tools prints it (the default caps come from its imports). */
  wit: string;
  code: string;
  /** The files the bundle was made of (see `Bundle.inputs`). */
  inputs: string[];
  /** sha256 of engine, bundle, world and WIT: the build cache's key. */
  key: string;
}

/** Reads the config, resolves the world and bundles the source for `engine` (default: weft.json's, else QuickJS). */
export async function prepareBuild(dir: string, engine?: Engine, config?: ActorConfig): Promise<PreparedBuild> {
  const cfg = config ?? (await readActorConfig(dir));
  const eng = engine ?? cfg.engine ?? DEFAULT_ENGINE;
  const wit = await worldWit(dir, cfg);
  const source = resolve(dir, cfg.source);
  const { code, inputs } = await bundleActor(source, eng, interfacesExported(wit), interfacesImported(wit));
  const key = createHash('sha256')
    .update(`${eng}\0${cfg.world}\0`)
    .update(code)
    .update(await witHash(resolve(dir, cfg.wit)))
    .digest('hex');
  return { config: cfg, engine: eng, wit, code, inputs, key };
}

/** What a build of the actor in `dir` depends on (the build cache's key): see `prepareBuild`. */
export async function actorSourceKey(dir: string, config?: ActorConfig, engine?: Engine): Promise<string> {
  return (await prepareBuild(dir, engine, config)).key;
}

/** The outcome of `buildActor`. */
export interface BuiltActor extends PreparedBuild {
  bytes: Uint8Array;
  cached: boolean;
  /** Time spent componentizing (0 when cached). */
  componentizeMs: number;
}

/** The default build cache, `~/.cache/weft/actors`. */
export const ACTOR_CACHE_DIR = join(homedir(), '.cache', 'weft', 'actors');

/**
 * Builds an actor into a component on QuickJS or StarlingMonkey. Builds are cached by `prepareBuild`'s key
 * (`~/.cache/weft/actors`), so rebuilding an unchanged actor takes only the bundling.
 */
export async function buildActor(dir: string, opts: { engine?: Engine; cacheDir?: string } = {}): Promise<BuiltActor> {
  const p = await prepareBuild(dir, opts.engine);
  const cached = join(opts.cacheDir ?? ACTOR_CACHE_DIR, `${p.config.name}-${p.engine}-${p.key.slice(0, 16)}.wasm`);
  if (existsSync(cached))
    return { ...p, bytes: new Uint8Array(await readFile(cached)), cached: true, componentizeMs: 0 };
  const t0 = performance.now();
  const wit = resolve(dir, p.config.wit);
  const bytes =
    p.engine === 'quickjs'
      ? await componentizeQuickJs(p.code, wit, p.config.world)
      : await componentizeStarlingMonkey(p.code, wit, p.config.world);
  const componentizeMs = performance.now() - t0;
  await mkdir(dirname(cached), { recursive: true });
  await writeFile(`${cached}.${process.pid}`, bytes);
  await rename(`${cached}.${process.pid}`, cached);
  return { ...p, bytes, cached: false, componentizeMs };
}
