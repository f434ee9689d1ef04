/**
 * The example actors for tests: the prebuilt, signed fixture of each (`test/fixtures/actors/`, see
 * `build-fixtures.ts`) while it matches the actor's source, else a fresh build (cached by source hash).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';
import { actorSourceKey, buildActor } from '../../host/cli/index.ts';
import type { FixtureEntry } from '../fixtures/actors/build-fixtures.ts';

export const ACTORS_DIR = fileURLToPath(new URL('../../actors/', import.meta.url));
export const ACTOR_FIXTURES_DIR = fileURLToPath(new URL('../fixtures/actors/', import.meta.url));

/** The fixture manifest: actor folder → the source key and digest of its prebuilt component. */
export async function actorFixtures(): Promise<Record<string, FixtureEntry>> {
  const file = join(ACTOR_FIXTURES_DIR, 'manifest.json');
  return existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as Record<string, FixtureEntry>) : {};
}

/** The signed prebuilt component of `actors/{name}`, or undefined when it is missing or older than the source. */
export async function actorFixture(name: string): Promise<Uint8Array | undefined> {
  const entry = (await actorFixtures())[name];
  if (!entry || entry.key !== (await actorSourceKey(join(ACTORS_DIR, name)))) return undefined;
  const bytes = new Uint8Array(brotliDecompressSync(await readFile(join(ACTOR_FIXTURES_DIR, `${name}.wasm.br`))));
  if (createHash('sha256').update(bytes).digest('hex') !== entry.sha256)
    throw new Error(`test/fixtures/actors/${name}.wasm.br does not match its manifest entry; run \`npm run fixtures\``);
  return bytes;
}

/** Writes `actors/{name}` (its fixture, else a build) to a temp dir and returns a `file://` ref to it. */
export async function actorRef(name: string): Promise<string> {
  const bytes = (await actorFixture(name)) ?? (await buildActor(join(ACTORS_DIR, name))).bytes;
  const dir = await mkdtemp(join(tmpdir(), `weft-actor-${name}-`));
  await writeFile(join(dir, `${name}.wasm`), bytes);
  return `file://${join(dir, `${name}.wasm`)}`;
}
