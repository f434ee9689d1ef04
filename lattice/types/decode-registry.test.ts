import { describe, expect, it } from 'vitest';
import { decodeRegistryCredentials, MAX_REGISTRIES_PER_PUT, registryHostOf } from './decode-registry.ts';

const enc = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));
const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

describe('decodeRegistryCredentials', () => {
  it('reads wasmCloud RegistryCredential maps, keyed by registry host', () => {
    const m = decodeRegistryCredentials(
      enc({
        'https://GHCR.io/': { username: 'u', password: 'p', registryType: 'oci' },
        'localhost:5000': { token: 't' },
        'index.docker.io': { username: 'd', password: '' },
      }),
    );
    expect([...m.entries()]).toEqual([
      ['ghcr.io', { username: 'u', password: 'p' }],
      ['localhost:5000', { token: 't' }],
      ['docker.io', { username: 'd', password: '' }],
    ]);
  });

  it('refuses malformed payloads with LAT_BAD_PAYLOAD, never naming a password', () => {
    for (const bad of [
      '{',
      '[]',
      '"x"',
      JSON.stringify({ 'ghcr.io': 'secret' }),
      JSON.stringify({ 'ghcr.io': { username: 'u' } }),
    ]) {
      expect(codeOf(() => decodeRegistryCredentials(bad))).toBe('LAT_BAD_PAYLOAD');
    }
    expect(codeOf(() => decodeRegistryCredentials(enc({ 'ghcr.io': { username: 'u', password: 7 } })))).toBe(
      'LAT_BAD_PAYLOAD',
    );
    expect(codeOf(() => decodeRegistryCredentials(enc({ 'ghcr.io': { token: 't', registryType: 'docker' } })))).toBe(
      'LAT_BAD_PAYLOAD',
    );
    expect(codeOf(() => decodeRegistryCredentials(enc({ 'a b/c': { token: 't' } })))).toBe('LAT_BAD_PAYLOAD');
    expect(codeOf(() => decodeRegistryCredentials(enc({ 'ghcr.io': { token: 'x'.repeat(9000) } })))).toBe(
      'LAT_BAD_PAYLOAD',
    );
    const many = Object.fromEntries(
      Array.from({ length: MAX_REGISTRIES_PER_PUT + 1 }, (_, i) => [`r${i}.io`, { token: 't' }]),
    );
    expect(codeOf(() => decodeRegistryCredentials(enc(many)))).toBe('LAT_BAD_PAYLOAD');
    let message = '';
    try {
      decodeRegistryCredentials(
        enc({ 'ghcr.io': { username: 'u', password: 'hunter2', registryType: 'hunter2-type' } }),
      );
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('ghcr.io');
    expect(message).not.toContain('hunter2');
    try {
      decodeRegistryCredentials('{"ghcr.io": {"username": "u", "password": "hunter2"');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/malformed JSON/);
    expect(message).not.toContain('hunter2');
  });

  it('normalises registry URLs as references write them', () => {
    expect(registryHostOf('https://registry-1.docker.io/v2/')).toBe('docker.io');
    expect(registryHostOf('oci://LocalHost:5000')).toBe('localhost:5000');
  });
});
