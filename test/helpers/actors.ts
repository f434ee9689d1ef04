/** Builds the example actors (cached by source hash) and writes them to a temp dir for `file://` refs. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildActor } from '../../host/cli/build/build-actor.ts';

export const ACTORS_DIR = fileURLToPath(new URL('../../actors/', import.meta.url));

/** Builds `actors/{name}` and returns a `file://` ref to it. */
export async function actorRef(name: string): Promise<string> {
  const { bytes } = await buildActor(join(ACTORS_DIR, name));
  const dir = await mkdtemp(join(tmpdir(), `weft-actor-${name}-`));
  await writeFile(join(dir, `${name}.wasm`), bytes);
  return `file://${join(dir, `${name}.wasm`)}`;
}
