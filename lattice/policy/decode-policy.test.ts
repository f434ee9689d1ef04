import { describe, expect, it } from 'vitest';
import { DecisionCache } from './decision-cache.ts';
import { decodePolicyResponse } from './decode-policy.ts';

describe('policy replies and decision cache', () => {
  it('decodePolicyResponse wants a boolean permitted and the request id it answers', () => {
    expect(decodePolicyResponse('{"requestId":"r1","permitted":true}', 'r1')).toEqual({
      requestId: 'r1',
      permitted: true,
      message: '',
    });
    expect(decodePolicyResponse('{"requestId":"r1","permitted":false,"message":"no"}')).toMatchObject({
      permitted: false,
      message: 'no',
    });
    for (const b of [
      '{}',
      'null',
      '[]',
      '{"requestId":"r1","permitted":"yes"}',
      '{"permitted":true}',
      '{"requestId":"r2","permitted":true}',
      '{"requestId":"r1","permitted":true,"message":5}',
      '{"req',
    ]) {
      expect(() => decodePolicyResponse(b, 'r1'), b).toThrow(/LAT_BAD_PAYLOAD/);
    }
  });

  it('DecisionCache expires entries after the TTL and keeps at most maxEntries, least recently used out first', () => {
    let now = 0;
    const c = new DecisionCache<number>({ ttlMs: 1000, maxEntries: 3, now: () => now });
    c.set('a', 1);
    c.set('b', 2);
    c.set('c', 3);
    expect(c.get('a')).toBe(1); // a is now the most recently used
    expect(c.set('d', 4)).toBe('b');
    expect(c.size).toBe(3);
    expect([c.get('a'), c.get('b'), c.get('c'), c.get('d')]).toEqual([1, undefined, 3, 4]);
    expect(c.replace('a', 10)).toBe(true);
    now = 1000;
    expect(c.get('a')).toBeUndefined();
    expect(c.replace('c', 30)).toBe(false);
    for (let i = 0; i < 10_000; i++) c.set(`k${i}`, i);
    expect(c.size).toBe(3);
  });
});
