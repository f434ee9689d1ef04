import { describe, expect, it } from 'vitest';
import { decodeOrDrop, setBadInputSink } from './bad-input.ts';

describe('bad input', () => {
  it('decodeOrDrop - gives the decoded value, or undefined with one warning naming the source and the reason', () => {
    const warnings: Record<string, unknown>[] = [];
    setBadInputSink({ warn: (obj) => warnings.push(obj) });
    expect(decodeOrDrop('test ok', () => 42)).toBe(42);
    expect(warnings).toEqual([]);
    expect(decodeOrDrop('test junk', () => JSON.parse('{'), { key: 'k' })).toBeUndefined();
    expect(warnings).toEqual([expect.objectContaining({ source: 'test junk', key: 'k', reason: expect.any(String) })]);
  });
});
