/**
 * The example actors for tests, on either engine: the prebuilt, signed fixture of each (`test/fixtures/actors/`, see
 * `build-fixtures.ts`) while it matches the actor's build key, else a fresh build (cached by that key in
 * `~/.cache/weft/actors`, so each engine builds an actor once).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';
import { actorSourceKey, buildActor } from '../../host/cli/toolchain/index.ts';
import type { Engine } from '../../host/cli/toolchain/index.ts';
import { fixtureFile } from '../fixtures/actors/build-fixtures.ts';
import type { FixtureManifest } from '../fixtures/actors/build-fixtures.ts';

export const ACTORS_DIR = fileURLToPath(new URL('../../actors/', import.meta.url));
export const ACTOR_FIXTURES_DIR = fileURLToPath(new URL('../fixtures/actors/', import.meta.url));

/** The engine of `actorRef` when a test names none: StarlingMonkey, the engine every older test was written for. */
export const TEST_ENGINE: Engine = 'starlingmonkey';

/** The fixture manifest: actor folder → engine → the build key and digest of its prebuilt component. */
export async function actorFixtures(): Promise<FixtureManifest> {
  const file = join(ACTOR_FIXTURES_DIR, 'manifest.json');
  return existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as FixtureManifest) : {};
}

const keys = new Map<string, Promise<string>>();
/** The build key of `actors/{name}` on `engine`, once per process (bundling takes a moment). */
export const actorKey = (name: string, engine: Engine): Promise<string> => {
  const k = `${name}/${engine}`;
  if (!keys.has(k)) keys.set(k, actorSourceKey(join(ACTORS_DIR, name), undefined, engine));
  return keys.get(k)!;
};

/** The signed prebuilt component of `actors/{name}`, or undefined when it is missing or older than the source. */
export async function actorFixture(name: string, engine: Engine = TEST_ENGINE): Promise<Uint8Array | undefined> {
  const entry = (await actorFixtures())[name]?.[engine];
  if (!entry || entry.key !== (await actorKey(name, engine))) return undefined;
  const bytes = new Uint8Array(brotliDecompressSync(await readFile(fixtureFile(name, engine))));
  if (createHash('sha256').update(bytes).digest('hex') !== entry.sha256)
    throw new Error(`${fixtureFile(name, engine)} does not match its manifest entry; run \`npm run fixtures\``);
  return bytes;
}

/** The component of `actors/{name}` on `engine`: its fixture, else a build (cached by build key). */
export async function actorBytes(name: string, engine: Engine = TEST_ENGINE): Promise<Uint8Array> {
  return (await actorFixture(name, engine)) ?? (await buildActor(join(ACTORS_DIR, name), { engine })).bytes;
}

/** Writes `actors/{name}` (its fixture, else a build) to a temp dir and returns a `file://` ref to it. */
export async function actorRef(name: string, engine: Engine = TEST_ENGINE): Promise<string> {
  const bytes = await actorBytes(name, engine);
  const dir = await mkdtemp(join(tmpdir(), `weft-actor-${name}-${engine}-`));
  await writeFile(join(dir, `${name}.wasm`), bytes);
  return `file://${join(dir, `${name}.wasm`)}`;
}
