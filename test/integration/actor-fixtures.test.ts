import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINES, readActorConfig } from '../../host/cli/toolchain/index.ts';
import { verifyComponent } from '../../lattice/wascap/index.ts';
import { ACTORS_DIR, actorFixture, actorFixtures } from '../helpers/actors.ts';

describe('prebuilt actor fixtures', () => {
  it('every actor has a signed fixture per engine built from its current source (else: npm run fixtures)', async () => {
    const actors = (await readdir(ACTORS_DIR, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    const manifest = await actorFixtures();
    expect(Object.keys(manifest).sort()).toEqual(actors.sort());
    for (const name of actors) {
      for (const engine of ENGINES) {
        const bytes = await actorFixture(name, engine);
        expect(bytes, `${name} (${engine}): fixture older than actors/${name}; run \`npm run fixtures\``).toBeDefined();
        const claims = verifyComponent(bytes as Uint8Array);
        expect(claims.wascap.name).toBe((await readActorConfig(join(ACTORS_DIR, name))).name);
        expect(claims.iss).toMatch(/^A[A-Z2-7]{55}$/);
        expect(claims.sub).toMatch(/^M[A-Z2-7]{55}$/);
      }
    }
  });

  it('QuickJS fixtures are at most 2 MB, under a fifth of their StarlingMonkey twins', async () => {
    for (const [name, e] of Object.entries(await actorFixtures())) {
      expect(e.quickjs?.bytes, name).toBeLessThanOrEqual(2_000_000);
      expect((e.quickjs?.bytes ?? Infinity) * 5, name).toBeLessThan(e.starlingmonkey?.bytes ?? 0);
    }
  });
});
