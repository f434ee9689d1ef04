import { describe, expect, it } from 'vitest';
import { parseArtifactRef } from '../artifact-ref.ts';
import { LatticeError } from '../errors.ts';

const D = `sha256:${'0'.repeat(64)}`;

describe('parseArtifactRef with OCI references', () => {
  it('reads registry-qualified and oci:// refs as OCI images', () => {
    expect(parseArtifactRef('ghcr.io/wasmcloud/components/http-hello-world-rust:0.1.0')).toEqual({
      kind: 'oci',
      ref: 'ghcr.io/wasmcloud/components/http-hello-world-rust:0.1.0',
      registry: 'ghcr.io',
      repository: 'wasmcloud/components/http-hello-world-rust',
      tag: '0.1.0',
      digest: undefined,
    });
    expect(parseArtifactRef(`localhost:5000/adder@${D}`)).toMatchObject({
      kind: 'oci',
      registry: 'localhost:5000',
      repository: 'adder',
      digest: D,
      tag: undefined,
    });
    expect(parseArtifactRef('oci://nginx')).toMatchObject({
      kind: 'oci',
      registry: 'docker.io',
      repository: 'library/nginx',
      tag: 'latest',
    });
  });

  it('keeps the other forms as they were', () => {
    expect(parseArtifactRef('nats://artifacts/adder:0.1.0')).toEqual({
      kind: 'nats',
      bucket: 'artifacts',
      name: 'adder',
      tag: '0.1.0',
      ref: 'nats://artifacts/adder:0.1.0',
    });
    expect(parseArtifactRef('file:///tmp/a.wasm')).toMatchObject({ kind: 'file', path: '/tmp/a.wasm' });
    expect(parseArtifactRef('./a.b/c.wasm')).toMatchObject({ kind: 'file' });
    expect(parseArtifactRef('weft+builtin://http-server')).toEqual({
      kind: 'builtin',
      name: 'http-server',
      ref: 'weft+builtin://http-server',
    });
  });

  it.each([
    [
      'ghcr.io/Bad/name:1',
      /bad artifact reference "ghcr.io\/Bad\/name:1": OCI image: repository part "Bad" must be lower case/,
    ],
    ['localhost:5000/adder@sha256:12', /OCI image: digest "sha256:12"/],
    ['ftp://x', /unsupported scheme/],
    ['adder:0.1.0', /unknown form .*docker\.io\/library/],
  ])('refuses %s with LAT_BAD_REQUEST', (ref, why) => {
    let err: unknown;
    try {
      parseArtifactRef(ref);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LatticeError);
    expect((err as LatticeError).code).toBe('LAT_BAD_REQUEST');
    expect((err as LatticeError).message).toMatch(why);
    expect((err as LatticeError).hint).toMatch(/registry\[:port\]\/repo:tag/);
  });
});
