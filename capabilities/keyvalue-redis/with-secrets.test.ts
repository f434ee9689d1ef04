import { describe, expect, it } from 'vitest';
import { withSecrets } from './provider.ts';

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
