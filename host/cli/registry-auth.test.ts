import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allCredentials,
  credentialsFor,
  registryKey,
  removeCredentials,
  saveCredentials,
  storedRegistries,
} from './registry-auth.ts';

// a temp weft home, a temp Docker config dir and a fake `docker-credential-fake` helper first on PATH
const root = mkdtempSync(join(tmpdir(), 'weft-reg-auth-'));
const saved = {
  WEFT_HOME: process.env['WEFT_HOME'],
  DOCKER_CONFIG: process.env['DOCKER_CONFIG'],
  PATH: process.env['PATH'],
};
const b64 = (s: string) => Buffer.from(s).toString('base64');
function dockerConfig(v: unknown): void {
  writeFileSync(join(root, 'docker', 'config.json'), JSON.stringify(v));
}

beforeAll(() => {
  for (const d of ['home', 'docker', 'bin']) mkdirSync(join(root, d));
  // answers per server on stdin, as Docker's helpers do; "<token>" is an identity token (skipped)
  const helper = join(root, 'bin', 'docker-credential-fake');
  writeFileSync(
    helper,
    `#!/bin/sh\nread s\ncase "$s" in\n  helped.io) echo '{"Username":"hu","Secret":"hs"}';;\n  https://index.docker.io/v1/) echo '{"Username":"du","Secret":"ds"}';;\n  tokened.io) echo '{"Username":"<token>","Secret":"refresh"}';;\n  *) echo 'credentials not found' >&2; exit 1;;\nesac\n`,
  );
  chmodSync(helper, 0o755);
  process.env['WEFT_HOME'] = join(root, 'home');
  process.env['DOCKER_CONFIG'] = join(root, 'docker');
  process.env['PATH'] = `${join(root, 'bin')}:${saved.PATH ?? ''}`;
});
afterAll(() => {
  for (const [k, v] of Object.entries(saved))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  rmSync(root, { recursive: true, force: true });
});

describe('registry credentials', () => {
  it("registryKey - the host as references write it; Docker Hub's server names are docker.io", () => {
    expect(registryKey('https://index.docker.io/v1/')).toBe('docker.io');
    expect(registryKey('registry-1.docker.io')).toBe('docker.io');
    expect(registryKey('ghcr.io/')).toBe('ghcr.io');
    expect(registryKey('http://127.0.0.1:5000/v2/x')).toBe('127.0.0.1:5000');
  });

  it("Docker's auths: base64 user:password (a colon in the password kept), username/password, registrytoken", () => {
    dockerConfig({
      auths: {
        'https://a.io/v1/': { auth: b64('alice:pa:ss') },
        'b.io': { username: 'bob', password: 'pw' },
        'c.io': { registrytoken: 'tok' },
        'bad.io': { auth: b64('no-colon') },
        'junk.io': 7,
      },
    });
    expect(credentialsFor('a.io')).toEqual({ username: 'alice', password: 'pa:ss' });
    expect(credentialsFor('https://b.io')).toEqual({ username: 'bob', password: 'pw' });
    expect(credentialsFor('c.io')).toEqual({ token: 'tok' });
    expect(credentialsFor('bad.io')).toBeUndefined();
    expect(credentialsFor('junk.io')).toBeUndefined();
  });

  it('credential helpers: credHelpers per registry before auths, credsStore for the rest; a failing or identity-token helper gives nothing', () => {
    dockerConfig({
      credHelpers: { 'helped.io': 'fake', 'evil.io': '../../bin/sh' },
      credsStore: 'fake',
      auths: { 'helped.io': { username: 'stale', password: 'x' }, 'tokened.io': {} },
    });
    expect(credentialsFor('helped.io')).toEqual({ username: 'hu', password: 'hs' });
    expect(credentialsFor('docker.io')).toEqual({ username: 'du', password: 'ds' });
    expect(credentialsFor('tokened.io')).toBeUndefined();
    expect(credentialsFor('unknown.io')).toBeUndefined();
    expect(credentialsFor('evil.io')).toBeUndefined(); // not a helper name: never run
  });

  it("weft reg login's credentials win over Docker's, are stored 0600 by registry key, listed and removed", async () => {
    dockerConfig({
      auths: { 'b.io': { username: 'bob', password: 'pw' }, 'd.io': { username: 'dan', password: 'dp' } },
    });
    const file = await saveCredentials('https://b.io/', { username: 'weft', password: 'wp' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(credentialsFor('b.io')).toEqual({ username: 'weft', password: 'wp' });
    expect(storedRegistries()).toEqual(['b.io']);
    expect(allCredentials()).toEqual({
      'b.io': { username: 'weft', password: 'wp' },
      'd.io': { username: 'dan', password: 'dp' },
    });
    expect(await removeCredentials('b.io')).toBe(true);
    expect(await removeCredentials('b.io')).toBe(false);
    expect(credentialsFor('b.io')).toEqual({ username: 'bob', password: 'pw' });
  });

  it('a registries.json that is not JSON is CLI_FAILED saying to fix or delete it', () => {
    writeFileSync(join(root, 'home', 'registries.json'), '{nope');
    expect(() => credentialsFor('x.io')).toThrow(
      expect.objectContaining({ code: 'CLI_FAILED', message: expect.stringContaining('is not valid JSON') }),
    );
    rmSync(join(root, 'home', 'registries.json'));
  });
});
