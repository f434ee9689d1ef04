import { afterEach, describe, expect, it, vi } from 'vitest';
import { settleWithin } from './settle-within.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('settleWithin', () => {
  it('resolves as soon as the promise settles, fulfilled or rejected, and clears its timer', async () => {
    vi.useFakeTimers(); // time never moves here: waiting for the timer would never end
    await settleWithin(Promise.resolve(1), 5000);
    await settleWithin(Promise.reject(new Error('gone')), 5000);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('resolves when the time is up for a promise that never settles, not before', async () => {
    vi.useFakeTimers();
    let done = false;
    const wait = settleWithin(new Promise(() => undefined), 50).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(49);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await wait;
    expect(done).toBe(true);
  });
});
