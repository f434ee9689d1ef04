import { describe, expect, it } from 'vitest';
import { RateLimitedLog } from './rate-limited-log.ts';

function setup(opts: { maxKeys?: number } = {}) {
  const lines: { obj: Record<string, unknown>; msg: string }[] = [];
  let t = 1_000_000;
  const log = new RateLimitedLog(
    { warn: (obj, msg) => lines.push({ obj, msg }) },
    { intervalMs: 10_000, now: () => t, ...opts },
  );
  return { lines, log, advance: (ms: number) => (t += ms) };
}

describe('RateLimitedLog', () => {
  it('writes the first warning of a key and suppresses the next ones within the interval', () => {
    const { lines, log, advance } = setup();
    expect(log.warn('a', { n: 1 }, 'refused')).toBe(true);
    advance(5_000);
    expect(log.warn('a', { n: 2 }, 'refused')).toBe(false);
    expect(log.warn('a', { n: 3 }, 'refused')).toBe(false);
    expect(lines).toEqual([{ obj: { n: 1 }, msg: 'refused' }]);
  });

  it('after the interval writes again with the count of suppressed lines', () => {
    const { lines, log, advance } = setup();
    log.warn('a', {}, 'x');
    log.warn('a', {}, 'x');
    log.warn('a', {}, 'x');
    advance(10_000);
    expect(log.warn('a', { subject: 's' }, 'x')).toBe(true);
    expect(lines[1]).toEqual({ obj: { subject: 's', suppressed: 2 }, msg: 'x' });
    advance(10_000);
    log.warn('a', {}, 'x');
    expect(lines[2]!.obj).toEqual({});
  });

  it('keeps keys apart', () => {
    const { lines, log } = setup();
    log.warn('a', { k: 'a' }, 'x');
    log.warn('b', { k: 'b' }, 'x');
    log.warn('a', { k: 'a' }, 'x');
    expect(lines.map((l) => l.obj['k'])).toEqual(['a', 'b']);
  });

  it('remembers at most maxKeys keys, forgetting the oldest', () => {
    const { lines, log } = setup({ maxKeys: 2 });
    log.warn('a', {}, 'x');
    log.warn('b', {}, 'x');
    log.warn('c', {}, 'x'); // forgets a
    log.warn('b', {}, 'x'); // still limited
    log.warn('a', {}, 'x'); // a was forgotten: written again
    expect(lines).toHaveLength(4);
  });
});
