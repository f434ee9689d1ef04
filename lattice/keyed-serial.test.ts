import { describe, expect, it } from 'vitest';
import { KeyedSerial } from './keyed-serial.ts';

describe('KeyedSerial', () => {
  it('runs the tasks of one key one after another, and those of other keys beside them', async () => {
    const q = new KeyedSerial();
    const log: string[] = [];
    const task = (name: string, ms: number) => () =>
      new Promise<string>((r) => {
        log.push(`start ${name}`);
        setTimeout(() => {
          log.push(`end ${name}`);
          r(name);
        }, ms);
      });
    const results = await Promise.all([
      q.run('a', task('a1', 20)),
      q.run('a', task('a2', 1)),
      q.run('b', task('b1', 1)),
    ]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(log.indexOf('start a2')).toBeGreaterThan(log.indexOf('end a1'));
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
  });

  it('a failed task rejects for its caller only: the next one of its key still runs', async () => {
    const q = new KeyedSerial();
    const failed = q.run('a', () => Promise.reject(new Error('boom')));
    const next = q.run('a', () => Promise.resolve(2));
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe(2);
  });

  it('forgets a key once its queue is empty', async () => {
    const q = new KeyedSerial();
    await q.run('a', () => Promise.resolve());
    await new Promise((r) => setImmediate(r));
    expect(q.size).toBe(0);
  });
});
