import { describe, expect, it } from 'vitest';
import { redisUrlOf, withSecrets } from './provider.ts';
import type { ResolvedLink } from '../sdk/index.ts';

const s = (val: string) => ({ tag: 'string' as const, val });

describe('withSecrets', () => {
  it('puts a password (and username) secret into the config URL, escaped', () => {
    expect(withSecrets('redis://127.0.0.1:6379', { password: s('p@ss:w/rd') })).toBe(
      'redis://:p%40ss%3Aw%2Frd@127.0.0.1:6379',
    );
    expect(
      withSecrets('redis://h:1', { username: s('u'), PASSWORD: { tag: 'bytes', val: new TextEncoder().encode('x') } }),
    ).toBe('redis://u:x@h:1');
  });
  it('takes a whole URL secret over the config, and leaves the URL alone without secrets', () => {
    expect(withSecrets('redis://a:1', { URL: s('redis://:pw@b:2') })).toBe('redis://:pw@b:2');
    expect(withSecrets('redis://a:1', undefined)).toBe('redis://a:1');
    expect(withSecrets('redis://a:1', { other: s('x') })).toBe('redis://a:1');
  });
});

describe('redisUrlOf', () => {
  const link = (target: Record<string, string>): ResolvedLink => ({
    source_id: 'c',
    target: 'kv',
    name: 'default',
    wit_namespace: 'wasi',
    wit_package: 'keyvalue',
    interfaces: ['store'],
    source_config: [],
    target_config: [],
    source_config_values: {},
    target_config_values: target,
  });
  it("a link's URL takes the link's secrets only; the provider's URL takes the link's, else the provider's own", () => {
    const own = { password: s('own') };
    expect(redisUrlOf(link({ URL: 'redis://l:1' }), {}, undefined, own)).toBe('redis://l:1');
    expect(redisUrlOf(link({ URL: 'redis://l:1' }), {}, { password: s('lk') }, own)).toBe('redis://:lk@l:1');
    expect(redisUrlOf(link({}), { URL: 'redis://p:2' }, undefined, own)).toBe('redis://:own@p:2');
    expect(redisUrlOf(link({}), { URL: 'redis://p:2' }, { password: s('lk') }, own)).toBe('redis://:lk@p:2');
    expect(redisUrlOf(link({}), {}, undefined, undefined)).toBe('redis://127.0.0.1:6379');
    expect(redisUrlOf(link({}), {}, undefined, own)).toBe('redis://:own@127.0.0.1:6379');
  });
});
