import { describe, expect, it } from 'vitest';
import { IncrementBatcher, MAX_BATCH } from './increment-batch.ts';

/** A store of counters whose writes take a turn of the event loop each, and count how often they were made. */
function store() {
  const values = new Map<string, number>();
  const writes: number[] = [];
  const apply =
    (key: string, fail?: () => Error | undefined) =>
    async (total: number): Promise<number> => {
      await new Promise((r) => setImmediate(r));
      const err = fail?.();
      if (err) throw err;
      writes.push(total);
      const v = (values.get(key) ?? 0) + total;
      values.set(key, v);
      return v;
    };
  return { values, writes, apply };
}

describe('IncrementBatcher', () => {
  it('gives every concurrent caller its own value, in arrival order, with fewer writes than increments', async () => {
    const s = store();
    const b = new IncrementBatcher();
    const got = await Promise.all(Array.from({ length: 50 }, () => b.add('k', 1, s.apply('k'))));
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(s.values.get('k')).toBe(50);
    expect(s.writes.length).toBeLessThanOrEqual(2); // the first write alone, then the 49 that waited behind it
    expect(b.size).toBe(0);
  });

  it('adds deltas of different sizes and signs, each caller seeing the running sum', async () => {
    const s = store();
    const b = new IncrementBatcher();
    const got = await Promise.all([5, -2, 10, 0, 7].map((d) => b.add('k', d, s.apply('k'))));
    expect(got).toEqual([5, 3, 13, 13, 20]);
    expect(s.values.get('k')).toBe(20);
  });

  it('keeps keys apart', async () => {
    const s = store();
    const b = new IncrementBatcher();
    const [a1, b1, a2, b2] = await Promise.all([
      b.add('a', 1, s.apply('a')),
      b.add('b', 100, s.apply('b')),
      b.add('a', 1, s.apply('a')),
      b.add('b', 100, s.apply('b')),
    ]);
    expect([a1, a2, b1, b2]).toEqual([1, 2, 100, 200]);
  });

  it('fails only the batch whose write failed; later increments are written', async () => {
    const s = store();
    const b = new IncrementBatcher();
    let failNext = true;
    const fail = () => (failNext ? ((failNext = false), new Error('JetStream is down')) : undefined);
    const first = b.add('k', 1, s.apply('k', fail));
    const second = b.add('k', 1, s.apply('k', fail));
    await expect(first).rejects.toThrow('JetStream is down');
    await expect(second).rejects.toThrow('JetStream is down'); // same batch: same write
    await expect(b.add('k', 1, s.apply('k', fail))).resolves.toBe(1);
    expect(s.values.get('k')).toBe(1);
  });

  it(`writes at most ${MAX_BATCH} increments at once`, async () => {
    const s = store();
    const b = new IncrementBatcher();
    const n = MAX_BATCH * 2 + 3;
    const got = await Promise.all(Array.from({ length: n }, () => b.add('k', 1, s.apply('k'))));
    expect(got.at(-1)).toBe(n);
    expect(new Set(got).size).toBe(n);
    expect(Math.max(...s.writes)).toBeLessThanOrEqual(MAX_BATCH);
  });
});
