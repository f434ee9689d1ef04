import { describe, expect, it } from 'vitest';
import { mirrorsFrom, ociPullFrom } from './registry-options.ts';

describe('ociPullFrom (weft up flags -> the host pull settings)', () => {
  it('nothing given: undefined, so the host keeps its defaults', () => {
    expect(ociPullFrom({})).toBeUndefined();
    expect(ociPullFrom({ registryMirror: [] })).toBeUndefined();
  });

  it('mirrors, policy, timeout, and the OCI cache beside the transpile cache under --cache-dir', () => {
    expect(
      ociPullFrom({
        registryMirror: ['ghcr.io=localhost:5000', 'docker.io=127.0.0.1:5001'],
        ociPullPolicy: 'if-not-present',
        ociPullTimeoutMs: 5000,
        cacheDir: '/var/cache/weft',
      }),
    ).toEqual({
      mirrors: { 'ghcr.io': 'localhost:5000', 'docker.io': '127.0.0.1:5001' },
      pullPolicy: 'if-not-present',
      pullTimeoutMs: 5000,
      cacheDir: '/var/cache/weft/oci',
    });
  });

  it('a bad mirror or timeout is a usage error naming it', () => {
    expect(() => mirrorsFrom(['ghcr.io'])).toThrow(
      expect.objectContaining({ code: 'CLI_USAGE', message: expect.stringContaining('"ghcr.io"') }),
    );
    expect(() => ociPullFrom({ ociPullTimeoutMs: Number('soon') })).toThrow(/--oci-pull-timeout-ms/);
  });
});
