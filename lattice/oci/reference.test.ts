import { describe, expect, it } from 'vitest';
import { OciError } from './errors.ts';
import {
  formatOciReference,
  isLoopbackRegistry,
  looksLikeOciReference,
  parseOciReference,
  registryApiHost,
  withDigest,
} from './reference.ts';

const D = `sha256:${'a1'.repeat(32)}`;

describe('parseOciReference', () => {
  it.each([
    [
      'ghcr.io/wasmcloud/components/http-hello-world-rust:0.1.0',
      'ghcr.io',
      'wasmcloud/components/http-hello-world-rust',
      '0.1.0',
      undefined,
    ],
    [
      'oci://ghcr.io/wasmcloud/components/http-hello-world-rust:0.1.0',
      'ghcr.io',
      'wasmcloud/components/http-hello-world-rust',
      '0.1.0',
      undefined,
    ],
    ['localhost:5000/adder:0.1.0', 'localhost:5000', 'adder', '0.1.0', undefined],
    ['localhost/adder', 'localhost', 'adder', 'latest', undefined],
    ['127.0.0.1:41234/a/b/c', '127.0.0.1:41234', 'a/b/c', 'latest', undefined],
    ['[::1]:5000/adder:v1', '[::1]:5000', 'adder', 'v1', undefined],
    [`ghcr.io/x/y@${D}`, 'ghcr.io', 'x/y', undefined, D],
    [`ghcr.io/x/y:1.2.3@${D}`, 'ghcr.io', 'x/y', '1.2.3', D],
    ['nginx', 'docker.io', 'library/nginx', 'latest', undefined],
    ['nginx:1.25', 'docker.io', 'library/nginx', '1.25', undefined],
    ['bitnami/redis:7', 'docker.io', 'bitnami/redis', '7', undefined],
    ['docker.io/hello', 'docker.io', 'library/hello', 'latest', undefined],
    ['index.docker.io/library/hello:1', 'docker.io', 'library/hello', '1', undefined],
    [
      'registry.example.com:8443/team/app_one__x:TAG_9.z-1',
      'registry.example.com:8443',
      'team/app_one__x',
      'TAG_9.z-1',
      undefined,
    ],
    ['my-registry.local/a.b/c-d--e', 'my-registry.local', 'a.b/c-d--e', 'latest', undefined],
  ])('%s', (ref, registry, repository, tag, digest) => {
    expect(parseOciReference(ref)).toEqual({ registry, repository, tag, digest });
  });

  it('accepts sha512 digests', () => {
    const d = `sha512:${'0f'.repeat(64)}`;
    expect(parseOciReference(`ghcr.io/x@${d}`).digest).toBe(d);
  });

  it.each([
    ['', 'empty'],
    ['oci://', 'empty'],
    ['ghcr.io/', 'missing repository'],
    ['ghcr.io/Upper/case:1', 'must be lower case'],
    ['ghcr.io/a//b', 'repository part ""'],
    ['ghcr.io/a/-b', 'repository part "-b"'],
    ['ghcr.io/a/b.', 'repository part "b."'],
    ['ghcr.io/a:', 'tag ""'],
    ['ghcr.io/a:.bad', 'tag ".bad"'],
    [`ghcr.io/a:${'t'.repeat(129)}`, 'tag'],
    ['ghcr.io/a@sha256:abc', 'lower-case hex'],
    [`ghcr.io/a@sha256:${'A1'.repeat(32)}`, 'lower-case hex'],
    [`ghcr.io/a@md5:${'a'.repeat(32)}`, 'not supported'],
    ['ghcr.io/a@sha256', 'algorithm:hex'],
    [`ghcr.io/a@sha256:${'a'.repeat(64)}:x`, 'algorithm:hex'],
    ['gh_cr.io:5000/a', 'registry "gh_cr.io:5000"'],
    ['host:port/a', 'registry "host:port"'],
    ['ghcr.io/a b', 'white space'],
    ['https://ghcr.io/a', 'only the oci:// scheme'],
    [`ghcr.io/${'a'.repeat(250)}`, 'longer than 255'],
  ])('refuses %j (%s)', (ref, why) => {
    let err: unknown;
    try {
      parseOciReference(ref);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OciError);
    expect((err as OciError).code).toBe('OCI_BAD_REFERENCE');
    expect((err as OciError).message).toContain(why);
    expect((err as OciError).hint).toContain('registry[:port]/repository');
  });

  it('round-trips through formatOciReference', () => {
    for (const r of ['ghcr.io/x/y:1', `localhost:5000/a@${D}`, `ghcr.io/x:1@${D}`, 'docker.io/library/nginx:latest']) {
      expect(formatOciReference(parseOciReference(r))).toBe(r);
    }
    expect(formatOciReference(parseOciReference('nginx'))).toBe('docker.io/library/nginx:latest');
    expect(formatOciReference(withDigest(parseOciReference('ghcr.io/x:1'), D))).toBe(`ghcr.io/x:1@${D}`);
  });
});

describe('registry helpers', () => {
  it('maps Docker Hub to its API host and leaves others alone', () => {
    expect(registryApiHost('docker.io')).toBe('registry-1.docker.io');
    expect(registryApiHost('ghcr.io')).toBe('ghcr.io');
    expect(registryApiHost('localhost:5000')).toBe('localhost:5000');
  });
  it('treats only loopback names as implicitly insecure', () => {
    expect(isLoopbackRegistry('localhost:5000')).toBe(true);
    expect(isLoopbackRegistry('127.0.0.1')).toBe(true);
    expect(isLoopbackRegistry('[::1]:5000')).toBe(true);
    expect(isLoopbackRegistry('localhost.evil.com')).toBe(false);
    expect(isLoopbackRegistry('127.0.0.1.nip.io:5000')).toBe(false);
    expect(isLoopbackRegistry('10.0.0.1:5000')).toBe(false);
  });
  it('recognises registry-qualified and oci:// strings only', () => {
    expect(looksLikeOciReference('ghcr.io/x/y:1')).toBe(true);
    expect(looksLikeOciReference('localhost:5000/adder:0.1.0')).toBe(true);
    expect(looksLikeOciReference('localhost/adder')).toBe(true);
    expect(looksLikeOciReference('oci://nginx')).toBe(true);
    expect(looksLikeOciReference('nginx:1')).toBe(false);
    expect(looksLikeOciReference('build/counter.wasm')).toBe(false);
    expect(looksLikeOciReference('./a.b/c')).toBe(false);
    expect(looksLikeOciReference('/abs/a.b/c')).toBe(false);
    expect(looksLikeOciReference('nats://artifacts/x:1')).toBe(false);
  });
});
