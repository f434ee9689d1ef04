import { describe, expect, it } from 'vitest';
import { mirroredReference, normalizeRegistryHost, parseRegistryMirrors } from './mirrors.ts';
import { parseOciReference } from './reference.ts';

describe('registry mirrors', () => {
  it('parses REGISTRY=MIRROR entries, normalising Docker Hub names, schemes and case; a later entry wins', () => {
    expect(
      parseRegistryMirrors([
        'ghcr.io=localhost:5000',
        'https://index.docker.io/v1/=127.0.0.1:5001',
        'GHCR.io=mirror.example:443',
      ]),
    ).toEqual({ 'ghcr.io': 'mirror.example:443', 'docker.io': '127.0.0.1:5001' });
    expect(normalizeRegistryHost('registry-1.docker.io')).toBe('docker.io');
  });

  it.each(['ghcr.io', '=localhost:5000', 'ghcr.io=', 'ghcr.io=local host', 'a=b=c', 'ghcr.io=x:99999999'])(
    'refuses %j naming it',
    (entry) => {
      expect(() => parseRegistryMirrors([entry])).toThrow(
        expect.objectContaining({ code: 'OCI_BAD_REFERENCE', message: expect.stringContaining(entry) }),
      );
    },
  );

  it('replaces only the registry of a mirrored ref; repository, tag and digest stay', () => {
    const mirrors = parseRegistryMirrors(['ghcr.io=localhost:5000', 'docker.io=localhost:5001']);
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(mirroredReference(parseOciReference(`ghcr.io/wasmcloud/components/x:0.1.0@${digest}`), mirrors)).toEqual({
      registry: 'localhost:5000',
      repository: 'wasmcloud/components/x',
      tag: '0.1.0',
      digest,
    });
    expect(mirroredReference(parseOciReference('docker.io/hello'), mirrors)).toMatchObject({
      registry: 'localhost:5001',
      repository: 'library/hello',
    });
    const other = parseOciReference('quay.io/a/b:1');
    expect(mirroredReference(other, mirrors)).toBe(other);
    expect(mirroredReference(other, undefined)).toBe(other);
  });
});
