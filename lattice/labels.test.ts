import { describe, expect, it } from 'vitest';
import { matchesLabels } from './labels.ts';

describe('label constraints', () => {
  const labels = { zone: 'a', 'hostcore.os': 'linux', empty: '' };

  it('matchesLabels - every constraint must be set to exactly that value', () => {
    expect(matchesLabels(labels, { zone: 'a' })).toBe(true);
    expect(matchesLabels(labels, { zone: 'a', 'hostcore.os': 'linux' })).toBe(true);
    expect(matchesLabels(labels, { zone: 'b' })).toBe(false);
    expect(matchesLabels(labels, { zone: 'a', region: 'eu' })).toBe(false);
  });

  it('matchesLabels - no constraints match every host; an empty value matches only an empty label', () => {
    expect(matchesLabels({}, {})).toBe(true);
    expect(matchesLabels(labels, { empty: '' })).toBe(true);
    expect(matchesLabels(labels, { missing: '' })).toBe(false);
  });

  it('matchesLabels - inherited properties are not labels', () => {
    expect(matchesLabels(labels, { toString: String(Object.prototype.toString) })).toBe(false);
    expect(matchesLabels(labels, { constructor: 'x' })).toBe(false);
  });
});
