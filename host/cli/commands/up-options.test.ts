import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registryOptionsFrom } from './up-options.ts';

let dir: string;
const saved = { WEFT_HOME: process.env['WEFT_HOME'], DOCKER_CONFIG: process.env['DOCKER_CONFIG'] };
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-up-options-'));
  process.env['WEFT_HOME'] = dir;
  process.env['DOCKER_CONFIG'] = join(dir, 'docker');
});
afterEach(async () => {
  for (const [k, v] of Object.entries(saved))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  await rm(dir, { recursive: true, force: true });
});

describe('registryOptionsFrom', () => {
  it("reads weft reg login's file; WEFT_REGISTRY with a user and password (or a token) overrides one registry", async () => {
    await writeFile(
      join(dir, 'registries.json'),
      JSON.stringify({ auths: { 'ghcr.io': { username: 'a', password: 'b' }, 'r.example:5000': { token: 't' } } }),
    );
    const none = registryOptionsFrom({ allowInsecureRegistries: ['r.example:5000'] }, {});
    expect(none).toEqual({
      allowInsecureRegistries: ['r.example:5000'],
      registryCredentials: { 'ghcr.io': { username: 'a', password: 'b' }, 'r.example:5000': { token: 't' } },
    });
    const env = registryOptionsFrom(
      { allowInsecureRegistries: [] },
      { WEFT_REGISTRY: 'https://ghcr.io/', WEFT_REGISTRY_USER: 'u', WEFT_REGISTRY_PASSWORD: 'p' },
    );
    expect(env.registryCredentials['ghcr.io']).toEqual({ username: 'u', password: 'p' });
    const token = registryOptionsFrom(
      { allowInsecureRegistries: [] },
      { WEFT_REGISTRY: 'docker.io', WEFT_REGISTRY_TOKEN: 'tok' },
    );
    expect(token.registryCredentials['docker.io']).toEqual({ token: 'tok' });
  });

  it('refuses half a set of WEFT_REGISTRY* env vars with a usage error that shows no value', () => {
    for (const env of [
      { WEFT_REGISTRY_USER: 'u', WEFT_REGISTRY_PASSWORD: 'secret-pw' },
      { WEFT_REGISTRY: 'ghcr.io', WEFT_REGISTRY_PASSWORD: 'secret-pw' },
    ]) {
      let err: (Error & { code?: string }) | undefined;
      try {
        registryOptionsFrom({ allowInsecureRegistries: [] }, env);
      } catch (e) {
        err = e as Error & { code?: string };
      }
      expect(err?.code).toMatch(/USAGE/);
      expect(err?.message).not.toContain('secret-pw');
    }
  });
});
