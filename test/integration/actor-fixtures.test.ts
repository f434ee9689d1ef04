import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readActorConfig } from '../../host/cli/index.ts';
import { verifyComponent } from '../../lattice/wascap/index.ts';
import { ACTORS_DIR, actorFixture, actorFixtures } from '../helpers/actors.ts';

describe('prebuilt actor fixtures', () => {
  it('every actor has a signed fixture built from its current source (else: npm run fixtures)', async () => {
    const actors = (await readdir(ACTORS_DIR, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(Object.keys(await actorFixtures()).sort()).toEqual(actors.sort());
    for (const name of actors) {
      const bytes = await actorFixture(name);
      expect(bytes, `${name}: fixture older than actors/${name}; run \`npm run fixtures\``).toBeDefined();
      const claims = verifyComponent(bytes as Uint8Array);
      expect(claims.wascap.name).toBe((await readActorConfig(join(ACTORS_DIR, name))).name);
      expect(claims.iss).toMatch(/^A[A-Z2-7]{55}$/);
      expect(claims.sub).toMatch(/^M[A-Z2-7]{55}$/);
    }
  });
});
