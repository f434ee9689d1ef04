import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TYPES_DIR, worldTypes, worlds } from './generate-types.ts';

describe('wit/gen', () => {
  it('the committed TypeScript types are what jco generates from the WIT now (else: npm run wit:types)', async () => {
    const all = await worlds();
    expect(all).toContain('kv-counter');
    for (const world of all) {
      for (const [name, text] of Object.entries(await worldTypes(world))) {
        const file = join(TYPES_DIR, world, name);
        expect(existsSync(file), `${world}/${name} missing; run npm run wit:types`).toBe(true);
        expect(await readFile(file, 'utf8'), `${world}/${name} is stale; run npm run wit:types`).toBe(text);
      }
    }
  });
});
